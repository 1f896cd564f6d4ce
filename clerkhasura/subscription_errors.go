package clerkhasura

import (
	"errors"
	"fmt"
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
)

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
