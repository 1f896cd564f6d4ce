package clerkhasura

import (
	"errors"
	"fmt"
	"net/http"

	"github.com/clerkhasura/clerkhasura-go/internal/bodylimit"
	"github.com/clerkhasura/clerkhasura-go/internal/endpoint"
	"github.com/clerkhasura/clerkhasura-go/internal/errwrap"
)

// Transport is an [http.RoundTripper] that authenticates requests to Hasura
// as a Clerk user: it adds "Authorization: Bearer <jwt>", with a token from
// its source, and the optional "x-hasura-role" header, to every request
// for its endpoint's scheme, host and port. Requests for any other origin,
// such as the target of a redirect, pass through to its base unchanged and
// never carry the token. Make one with [NewTransport].
//
// # Resending
//
// Transport sends a request a second time, once, only when the answer
// proves that the token was refused before anything ran, so that no
// mutation can run twice:
//
//   - Hasura's own refusal: HTTP 200 (or 400, from /v1alpha1/graphql) with
//     a JSON body holding exactly one error, whose extensions.code is
//     "invalid-jwt", whose extensions.path is "$" and whose message begins
//     "Could not verify JWT: ", as Hasura's JWT verifier writes it, and no
//     "data" member at all. Hasura passes the error extensions of action
//     handlers and remote schemas on, so the code alone proves nothing: a
//     handler may have done its work and then reported "invalid-jwt" for
//     a token of its own. Such an error, a header problem
//     ("invalid-headers", which another token does not mend) and any
//     error next to "data", null included, are returned as they are.
//   - HTTP 401, unless its body is a JSON object with a "data" member, or
//     a JSON object too long to read through. Hasura answers every
//     /v1/graphql error with HTTP 200, so a 401 comes from something in
//     front of it, such as a gateway that checks tokens, and the request
//     went no further.
//
// Then Transport invalidates the refused token if its source is an
// [Invalidator], gets a token and, if it is a different one, sends the
// request with it, replaying the body; the answer to that is returned as
// it is. If the source returns the same token, or the body cannot be
// replayed, the refusal is returned at once. To tell a refusal from a
// result, Transport reads at most 8 KiB of a body that begins with
// {"errors" (or, for a 401, with "{"); any other response streams
// through unread.
//
// # Memory
//
// [TransportOptions.MaxBodyBytes] bounds what Transport buffers: a request
// body without GetBody, read to be replayed (a longer one is streamed and
// never resent), and what can be read of a response from the endpoint's
// origin that is not a successful JSON answer, such as a proxy's error
// page ([ErrResponseTooLarge] past it). Successful JSON answers stream
// through unbounded.
//
// For the endpoint's origin, an Authorization header the caller set is
// replaced; elsewhere the caller's headers go out untouched. Transport is
// safe for concurrent use when its source and base are.
type Transport struct {
	src     TokenSource
	base    http.RoundTripper
	role    string
	maxBody int64
	origin  endpoint.Origin
}

// TransportOptions configures [NewTransport]. A nil *TransportOptions, and
// every zero field, means the default.
type TransportOptions struct {
	// Base sends the requests. A Base that is itself a [*Transport] is
	// replaced by that Transport's own base, so that a request carries one
	// token and is resent at most once. Optional: [http.DefaultTransport].
	Base http.RoundTripper

	// Role is sent as the x-hasura-role header, asking Hasura to run the
	// operation as this role rather than the token's default role. Optional.
	Role string

	// MaxBodyBytes bounds what Transport buffers, as [Transport] describes.
	// Optional: [DefaultMaxBodyBytes].
	MaxBodyBytes int64
}

// Invalidator is a [TokenSource] that can drop a token its audience
// refused, so that its next Token call returns another one; the caches
// are. [Transport] and the subscription client call Invalidate with the
// token Hasura refused. It must be safe for concurrent use, and keep a
// token newer than rejected.
type Invalidator interface {
	Invalidate(rejected *Token)
}

// NewTransport returns a [Transport] adding tokens from src to the requests
// for the origin of endpointURL, Hasura's GraphQL endpoint, such as
// "https://my-project.hasura.app/v1/graphql". A nil opts means the
// defaults. An endpoint that is not an absolute http or https URL with a
// host, or a nil src, gives an [*InputError], whose reason never quotes
// the endpoint: it may hold credentials.
func NewTransport(endpointURL string, src TokenSource, opts *TransportOptions) (*Transport, error) {
	origin, err := endpoint.Parse(endpointURL)
	if err != nil {
		return nil, &InputError{Field: "endpoint", Reason: err.Error()}
	}
	if src == nil {
		return nil, &InputError{Field: "token source", Reason: "is nil"}
	}
	var o TransportOptions
	if opts != nil {
		o = *opts
	}
	if inner, ok := o.Base.(*Transport); ok {
		o.Base = inner.base
	}
	if o.MaxBodyBytes <= 0 {
		o.MaxBodyBytes = DefaultMaxBodyBytes
	}
	return &Transport{src: src, base: o.Base, role: o.Role, maxBody: o.MaxBodyBytes, origin: origin}, nil
}

// RoundTrip sends req, adding the token when req is for the endpoint's
// origin. It never modifies req, and it closes req.Body on every path,
// errors included. Errors from the source are wrapped; they and every
// other error leave the token out.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	if !t.origin.Matches(req.URL) {
		return t.roundTripper().RoundTrip(req)
	}
	r, err := bodylimit.Replayable(req, t.maxBody)
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: reading the request body: %w", err)
	}
	tok, err := t.token(r)
	if err != nil {
		if r.Body != nil {
			r.Body.Close()
		}
		return nil, errwrap.Wrap("getting a token for Hasura", err)
	}
	// From here on, Base closes the bodies it is given.
	resp, err := t.roundTripper().RoundTrip(t.authorize(r, tok))
	if err != nil {
		return nil, err
	}
	if !rejectedToken(resp) {
		return t.limit(resp), nil
	}
	return t.retry(r, resp, tok)
}

// retry sends r a second time with a fresh token, after Hasura answered
// resp because it refused tok, when it can; otherwise it returns resp.
func (t *Transport) retry(r *http.Request, resp *http.Response, tok *Token) (*http.Response, error) {
	if inv, ok := t.src.(Invalidator); ok {
		inv.Invalidate(tok)
	}
	if !bodylimit.CanReplay(r) {
		return t.limit(resp), nil
	}
	fresh, err := t.token(r)
	if err != nil {
		bodylimit.Discard(resp)
		return nil, errwrap.Wrap("Hasura rejected the token; getting a new one", err)
	}
	if fresh.Value == tok.Value {
		// The same token would be refused the same way.
		return t.limit(resp), nil
	}
	bodylimit.Discard(resp)
	again := t.authorize(r, fresh)
	if again.GetBody != nil {
		if again.Body, err = again.GetBody(); err != nil {
			return nil, fmt.Errorf("clerkhasura: replaying the request body: %w", err)
		}
	}
	if resp, err = t.roundTripper().RoundTrip(again); err != nil {
		return nil, err
	}
	return t.limit(resp), nil
}

// token gets a token for req from the source; its caller wraps the error.
func (t *Transport) token(req *http.Request) (*Token, error) {
	tok, err := t.src.Token(req.Context())
	if err == nil && (tok == nil || tok.Value == "") {
		err = errors.New("TokenSource returned an empty token")
	}
	return tok, err
}

// authorize returns a copy of req that carries tok.
func (t *Transport) authorize(req *http.Request, tok *Token) *http.Request {
	out := req.Clone(req.Context())
	if out.Header == nil {
		out.Header = make(http.Header)
	}
	out.Header.Set("Authorization", "Bearer "+tok.Value)
	if t.role != "" {
		out.Header.Set("X-Hasura-Role", t.role)
	}
	return out
}

// roundTripper returns the base, or [http.DefaultTransport] for none: read
// at use, as the DefaultTransport variable may be replaced.
func (t *Transport) roundTripper() http.RoundTripper {
	if t.base != nil {
		return t.base
	}
	return http.DefaultTransport
}
