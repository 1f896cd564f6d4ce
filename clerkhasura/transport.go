package clerkhasura

import (
	"errors"
	"io"
	"net/http"
	"sync/atomic"
)

// Transport is an [http.RoundTripper] that authenticates requests to Hasura
// as a Clerk user: it adds "Authorization: Bearer <jwt>", with a token from
// Source, and the optional "x-hasura-role" header, to every request for
// Endpoint's scheme, host and port. Requests for any other origin, such as
// the target of a redirect, pass through to Base unchanged and never carry
// the token.
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
// Then Transport invalidates the refused token if Source has a method
//
//	Invalidate(rejected *Token)
//
// (as [*CachedTokenSource] does), gets a token from Source and, if it is a
// different one, sends the request with it, replaying the body. If Source
// returns the same token (a cache that declines to mint again so soon
// does), or the body cannot be replayed, the refusal is returned at once,
// without waiting for a mint. The answer to the second attempt is
// returned as it is, refusal or not. To tell a refusal from a result,
// Transport reads at most 8 KiB of a body that begins with {"errors" (or,
// for a 401, with "{"); any other response streams through unread.
//
// # Memory
//
// MaxBodyBytes (1 MiB by default) bounds what Transport buffers and what
// it lets through that is not the data asked for:
//
//   - A request body is replayed with the request's GetBody, which
//     [http.NewRequest] sets for bytes, strings and bytes.Buffer readers.
//     A body without GetBody is read into memory before the first attempt
//     when it is at most MaxBodyBytes long; a longer one is streamed and
//     never resent.
//   - From Endpoint's origin, a response that is not a successful JSON
//     answer (a status other than 2xx, or a Content-Type other than
//     application/json or a "+json" type, such as a proxy's HTML error
//     page) yields at most MaxBodyBytes; reading further fails with
//     [ErrResponseTooLarge]. Successful JSON answers, the data asked for,
//     stream through unbounded, and so do responses from other origins.
//
// For Endpoint's origin, an Authorization header the caller set is
// replaced; elsewhere the caller's headers go out untouched.
//
// Transport is safe for concurrent use when Source and Base are. Its fields
// must not change while it is in use, and a Transport must not be copied
// after first use: it remembers its parsed Endpoint. Use it by pointer, as
// in &clerkhasura.Transport{…}.
type Transport struct {
	// Source supplies the token. Required.
	Source TokenSource

	// Base sends the requests. Optional: nil means [http.DefaultTransport].
	Base http.RoundTripper

	// Role is sent as the x-hasura-role header, asking Hasura to run the
	// operation as this role rather than the token's default role. Optional.
	Role string

	// Endpoint is Hasura's GraphQL endpoint, such as
	// "https://my-project.hasura.app/v1/graphql". Only requests whose scheme,
	// host and port are Endpoint's receive the token. Required: when it is
	// empty or not an absolute http or https URL, RoundTrip fails with
	// [ErrInvalidEndpoint] and sends nothing.
	Endpoint string

	// MaxBodyBytes bounds a request body buffered for the resend, and what
	// can be read of a response from Endpoint's origin that is not a
	// successful JSON answer, as described above. Optional: zero or less
	// means [DefaultMaxBodyBytes].
	MaxBodyBytes int64

	// parsed is Endpoint parsed by the last RoundTrip, which saves a URL
	// parse per request.
	parsed atomic.Pointer[parsedEndpoint]
}

// tokenInvalidator is implemented by token sources that can drop a token Hasura
// rejected, so that the next Token call returns a new one.
type tokenInvalidator interface {
	Invalidate(rejected *Token)
}

// RoundTrip sends req, adding the token when req is for Endpoint's origin.
// It never modifies req, and it closes req.Body on every path, errors
// included. Errors from Source are wrapped; they and every other error
// leave the token out.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	reqBodyClosed := false
	if req.Body != nil {
		defer func() {
			if !reqBodyClosed {
				req.Body.Close()
			}
		}()
	}

	endpoint, err := t.origin()
	if err != nil {
		return nil, err
	}
	if t.Source == nil {
		return nil, errors.New("clerkhasura: Transport.Source is nil")
	}
	if !endpoint.matches(req.URL) {
		reqBodyClosed = true
		return t.base().RoundTrip(req)
	}

	body, err := newReplayableBody(req, t.maxBody())
	reqBodyClosed = body.consumed
	if err != nil {
		return nil, err
	}
	tok, err := t.token(req)
	if err != nil {
		return nil, wrap("getting a token for Hasura", err)
	}
	reqBodyClosed = true // from here on, Base closes the bodies it is given
	resp, err := t.base().RoundTrip(body.first(t.authorize(req, tok)))
	if err != nil {
		return nil, err
	}
	if !rejectedToken(resp) {
		return t.limit(resp), nil
	}
	return t.retry(req, resp, tok, &body)
}

// retry sends req a second time with a fresh token, after Hasura answered
// resp because it refused tok, when it can; otherwise it returns resp.
func (t *Transport) retry(req *http.Request, resp *http.Response, tok *Token, body *replayableBody) (*http.Response, error) {
	if inv, ok := t.Source.(tokenInvalidator); ok {
		inv.Invalidate(tok)
	}
	if !body.replayable() {
		return t.limit(resp), nil
	}
	fresh, err := t.token(req)
	if err != nil {
		discardResponse(resp)
		return nil, wrap("Hasura rejected the token; getting a new one", err)
	}
	if fresh.Value == tok.Value {
		// The same token would be refused the same way.
		return t.limit(resp), nil
	}
	discardResponse(resp)
	again, err := body.again(t.authorize(req, fresh))
	if err != nil {
		return nil, err
	}
	resp, err = t.base().RoundTrip(again)
	if err != nil {
		return nil, err
	}
	return t.limit(resp), nil
}

var errTransportEmptyToken = errors.New("TokenSource returned an empty token")

// origin returns the origin of t.Endpoint, parsing it only when it is not
// the one parsed last.
func (t *Transport) origin() (endpointOrigin, error) {
	if p := t.parsed.Load(); p != nil && p.raw == t.Endpoint {
		return p.origin, nil
	}
	o, err := parseEndpoint(t.Endpoint)
	if err != nil {
		return endpointOrigin{}, err
	}
	t.parsed.Store(&parsedEndpoint{raw: t.Endpoint, origin: o})
	return o, nil
}

// token gets a token for req from Source; its caller wraps the error.
func (t *Transport) token(req *http.Request) (*Token, error) {
	tok, err := t.Source.Token(req.Context())
	if err != nil {
		return nil, err
	}
	if tok == nil || tok.Value == "" {
		return nil, errTransportEmptyToken
	}
	return tok, nil
}

// authorize returns a copy of req that carries tok.
func (t *Transport) authorize(req *http.Request, tok *Token) *http.Request {
	out := req.Clone(req.Context())
	if out.Header == nil {
		out.Header = make(http.Header)
	}
	out.Header.Set("Authorization", "Bearer "+tok.Value)
	if t.Role != "" {
		out.Header.Set("X-Hasura-Role", t.Role)
	}
	return out
}

func (t *Transport) base() http.RoundTripper {
	if t.Base != nil {
		return t.Base
	}
	return http.DefaultTransport
}

// discardResponseLimit bounds how much of an unwanted response is read so
// that its connection can be reused.
const discardResponseLimit = 4 << 10

func discardResponse(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, discardResponseLimit)
	resp.Body.Close()
}
