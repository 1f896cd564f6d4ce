package clerkhasura

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

var (
	// ErrSubscriptionsClosed is returned by the methods of a
	// [SubscriptionClient] after Close.
	ErrSubscriptionsClosed = errors.New("clerkhasura: subscription client closed")

	// ErrConnectionRejected means Hasura refused a websocket connection's
	// token at connection_init: graphql-transport-ws closes with 4403,
	// Apollo sends connection_error and closes with 4400. The client
	// invalidates the token and tries again with a fresh one.
	ErrConnectionRejected = errors.New("clerkhasura: Hasura rejected the websocket connection")

	// ErrWebsocketRedirect means the endpoint answered the websocket
	// handshake with a redirect. The client follows none, since the next
	// thing it sends is the token, and a redirect may lead to another
	// host or from wss to plain ws; set the endpoint to the final URL.
	// The [*WebsocketRedirectError] says where it led.
	ErrWebsocketRedirect = errors.New("clerkhasura: the websocket handshake was redirected")
)

// WebsocketRedirectError is a websocket handshake answered with a
// redirect, which the client did not follow. It matches
// [ErrWebsocketRedirect].
type WebsocketRedirectError struct {
	// StatusCode is the redirect's HTTP status, such as 301 or 302.
	StatusCode int
	// Location is where the redirect led: its scheme, host and path,
	// without user information, query or fragment.
	Location string
}

// Error returns "clerkhasura: the websocket handshake was redirected
// (<status>) to <location>; …".
func (e *WebsocketRedirectError) Error() string {
	return fmt.Sprintf("%s (%d) to %s; redirects are not followed, so that the token reaches no other host: set the endpoint to the final URL",
		ErrWebsocketRedirect.Error(), e.StatusCode, e.Location)
}

// Unwrap returns [ErrWebsocketRedirect].
func (e *WebsocketRedirectError) Unwrap() error { return ErrWebsocketRedirect }

// maxRedirectLocation bounds the Location a [WebsocketRedirectError]
// keeps: the server chose it, and it ends up in logs.
const maxRedirectLocation = 256

// refuseRedirect is the CheckRedirect of the websocket handshake.
func refuseRedirect(req *http.Request, _ []*http.Request) error {
	loc := (&url.URL{Scheme: req.URL.Scheme, Host: req.URL.Host, Path: req.URL.Path}).String()
	if len(loc) > maxRedirectLocation {
		loc = loc[:maxRedirectLocation] + "…"
	}
	e := &WebsocketRedirectError{Location: loc}
	if req.Response != nil {
		e.StatusCode = req.Response.StatusCode
	}
	return e
}

// CloseError is the end of a websocket connection to Hasura: the close
// code and reason Hasura sent, or code 1006 when the connection was lost
// without a close frame, as Hasura drops it when the token expires.
// It matches [ErrConnectionRejected] when the close refused the token.
type CloseError struct {
	// Code is the websocket close code, such as 1012 (Hasura restarting),
	// 4400 (a message Hasura could not parse) or 1006 (no close frame).
	Code int
	// Reason is Hasura's message, without its JSON wrapping and numeric
	// prefix. It never holds the token.
	Reason string
	// ServerCode is the code at the start of Hasura's reason, or 0. It
	// can differ from Code: Hasura closes a graphql-transport-ws
	// connection with 1000 and the reason "4400: …" when a subscribe
	// message reuses an ID or comes before connection_init.
	ServerCode int
	// Rejected is set when Hasura refused the token at connection_init.
	Rejected bool
}

// Error returns "clerkhasura: websocket closed with <code>: <reason>".
func (e *CloseError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "clerkhasura: websocket closed with %d", e.Code)
	if e.Code == wsproto.CloseAbnormal {
		b.WriteString(" (connection lost)")
	}
	if e.Reason != "" {
		b.WriteString(": ")
		b.WriteString(e.Reason)
	}
	return b.String()
}

// Is reports whether target is [ErrConnectionRejected] and the close
// refused the token.
func (e *CloseError) Is(target error) bool {
	return e.Rejected && target == ErrConnectionRejected
}

// redact removes secret from s, in case a server echoes a token.
func redact(s, secret string) string {
	if secret == "" {
		return s
	}
	return strings.ReplaceAll(s, secret, "[redacted]")
}
