package clerkhasura

import (
	"errors"
	"fmt"
	"io"
	"net/http"
)

// LimitResponseBodies returns an [http.RoundTripper] that sends each
// request with base (nil: [http.DefaultTransport]) and lets at most limit
// bytes of its response body be read (limit ≤ 0: [DefaultMaxBodyBytes]).
// clerk-sdk-go reads every body whole, so that a proxy's 64 MiB error page
// costs hundreds of MiB: give it in the clients clerk-sdk-go uses,
//
//	bc := clerk.BackendConfig{Key: &secretKey, HTTPClient: &http.Client{
//		Timeout: 5 * time.Second, Transport: clerkhasura.LimitResponseBodies(nil, 0)}}
//	sessions := session.NewClient(&clerk.ClientConfig{BackendConfig: bc})
//
// or clerk.SetBackend(clerk.NewBackend(&bc)) for the package-level one. A
// body over the limit is reported as [ErrClerkUnavailable].
func LimitResponseBodies(base http.RoundTripper, limit int64) http.RoundTripper {
	if limit <= 0 {
		limit = DefaultMaxBodyBytes
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
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: l.limit, err: &bodyTooLargeError{limit: l.limit, status: resp.StatusCode}}
	return resp, nil
}

// limitedBody reads at most left bytes of body, then fails with err, as
// [http.MaxBytesReader] does for requests. Both [LimitResponseBodies] and
// [Transport] bound response bodies with it.
type limitedBody struct {
	io.ReadCloser
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
	n, err := b.ReadCloser.Read(p)
	if int64(n) <= b.left {
		b.left -= int64(n)
		return n, err
	}
	n, b.left = int(b.left), -1
	return n, b.err
}

// bodyTooLargeError is the failure to read a response body past the
// limit of [LimitResponseBodies] or [TransportOptions.MaxBodyBytes].
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
