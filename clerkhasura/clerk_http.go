package clerkhasura

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// DefaultMaxResponseBody is the cap [LimitResponseBodies] puts on a
// response body by default: 1 MiB, as golang.org/x/oauth2 caps token
// responses. Clerk's answers (a token, an error, the JWKS, a page of JWT
// templates) take a few kilobytes.
const DefaultMaxResponseBody = 1 << 20

// LimitResponseBodies returns an [http.RoundTripper] that sends each
// request with base (nil: [http.DefaultTransport]) and lets at most limit
// bytes of its response body be read (limit ≤ 0: [DefaultMaxResponseBody]);
// reading further fails with an error that names the limit and the status.
//
// clerk-sdk-go reads every response body whole, and returns a body that is
// not Clerk's JSON as an error's text: a 64 MiB error page from a proxy
// costs hundreds of MiB. Bound it in the clients clerk-sdk-go is given:
//
//	bc := clerk.BackendConfig{
//		Key:        &secretKey,
//		HTTPClient: &http.Client{Timeout: 5 * time.Second, Transport: clerkhasura.LimitResponseBodies(nil, 0)},
//	}
//	tokens := clerkhasura.NewSessionTokens(session.NewClient(&clerk.ClientConfig{BackendConfig: bc}), "hasura", nil)
//
// and, for the nil session client that stands for clerk-sdk-go's
// package-level configuration, in clerk.SetBackend(clerk.NewBackend(&bc)).
// A token source reports a body over the limit as [ErrClerkUnavailable],
// with the status but none of the body.
func LimitResponseBodies(base http.RoundTripper, limit int64) http.RoundTripper {
	if limit <= 0 {
		limit = DefaultMaxResponseBody
	}
	return &bodyLimit{base: base, limit: limit}
}

type bodyLimit struct {
	base  http.RoundTripper
	limit int64
}

func (l *bodyLimit) RoundTrip(req *http.Request) (*http.Response, error) {
	base := l.base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil || resp.Body == nil {
		return resp, err
	}
	resp.Body = &limitedBody{body: resp.Body, left: l.limit, err: &bodyTooLargeError{limit: l.limit, status: resp.StatusCode}}
	return resp, nil
}

// limitedBody reads at most left bytes of body, then fails with err, as
// [http.MaxBytesReader] does for requests. Both [LimitResponseBodies] and
// [Transport] bound response bodies with it.
type limitedBody struct {
	body io.ReadCloser
	left int64
	err  *bodyTooLargeError
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.left < 0 {
		return 0, b.err
	}
	// One byte more than is left tells a body that ends at the limit
	// from one that goes on.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.body.Read(p)
	if int64(n) <= b.left {
		b.left -= int64(n)
		return n, err
	}
	n, b.left = int(b.left), -1
	return n, b.err
}

func (b *limitedBody) Close() error { return b.body.Close() }

// bodyTooLargeError is the failure to read a response body past the
// limit of [LimitResponseBodies] or [Transport.MaxBodyBytes].
type bodyTooLargeError struct {
	limit  int64
	status int
}

func (e *bodyTooLargeError) Error() string {
	return fmt.Sprintf("%s (HTTP %d, limit %d bytes)", ErrResponseTooLarge.Error(), e.status, e.limit)
}

// Is makes the error match [ErrResponseTooLarge].
func (e *bodyTooLargeError) Is(target error) bool { return target == ErrResponseTooLarge }

// tooLargeStatus returns the status of a response whose body went past the
// limit, if err says so.
func tooLargeStatus(err error) (int, bool) {
	var e *bodyTooLargeError
	if errors.As(err, &e) {
		return e.status, true
	}
	return 0, false
}
