// Package bodylimit bounds what can be read of HTTP response bodies, as
// [http.MaxBytesReader] does for requests, and buffers request bodies so
// that they can be sent again. Memory is the attacker's lever here: a
// proxy's error page or a request body may be as large as it likes.
package bodylimit

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// Error is the failure to read a response body past Limit. It matches
// Kind with [errors.Is], and its message begins with Kind's.
type Error struct {
	// Kind is the sentinel the error matches.
	Kind error
	// Limit is the bound in bytes.
	Limit int64
	// Status is the response's HTTP status.
	Status int
}

// Error returns Kind's message, the status and the limit.
func (e *Error) Error() string {
	return fmt.Sprintf("%s (HTTP %d, limit %d bytes)", e.Kind.Error(), e.Status, e.Limit)
}

// Is reports whether target is e's Kind.
func (e *Error) Is(target error) bool { return target == e.Kind }

// Status returns the status of a response whose body went past its limit,
// if err says so.
func Status(err error) (int, bool) {
	var e *Error
	if errors.As(err, &e) {
		return e.Status, true
	}
	return 0, false
}

// Limit makes reading resp's body past limit bytes fail with an [*Error]
// of the given kind, again at every later read. A response without a body
// is left as it is.
func Limit(resp *http.Response, limit int64, kind error) {
	if resp.Body == nil || resp.Body == http.NoBody {
		return
	}
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: limit, err: &Error{Kind: kind, Limit: limit, Status: resp.StatusCode}}
}

// Transport is an [http.RoundTripper] that sends each request with Base
// (nil: [http.DefaultTransport]) and bounds its response body by [Limit].
type Transport struct {
	Base  http.RoundTripper
	Limit int64
	Kind  error
}

// RoundTrip sends req and bounds the body of its response.
func (t *Transport) RoundTrip(req *http.Request) (*http.Response, error) {
	base := t.Base
	if base == nil {
		base = http.DefaultTransport
	}
	resp, err := base.RoundTrip(req)
	if err != nil {
		return resp, err
	}
	Limit(resp, t.Limit, t.Kind)
	return resp, nil
}

// limitedBody reads at most left bytes of body, then fails with err.
type limitedBody struct {
	io.ReadCloser
	left int64
	err  *Error
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

// SuccessfulJSON reports whether resp has a 2xx status and a JSON media
// type: application/json, as Hasura sends, or a structured type ending in
// "+json", such as application/graphql-response+json. Parameters such as
// charset do not matter; the media type is compared without regard to
// case, and without mime.ParseMediaType, which allocates on every call.
func SuccessfulJSON(resp *http.Response) bool {
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return false
	}
	mt, _, _ := strings.Cut(resp.Header.Get("Content-Type"), ";")
	mt = strings.TrimSpace(mt)
	if strings.EqualFold(mt, "application/json") {
		return true
	}
	const suffix = "+json"
	typ, sub, ok := strings.Cut(mt, "/")
	return ok && typ != "" && len(sub) > len(suffix) && strings.EqualFold(sub[len(sub)-len(suffix):], suffix)
}

// discardLimit bounds how much of an unwanted response is read so that
// its connection can be reused.
const discardLimit = 4 << 10

// Discard reads a little of the body of a response nobody wants, so that
// its connection can be reused, and closes it.
func Discard(resp *http.Response) {
	_, _ = io.CopyN(io.Discard, resp.Body, discardLimit)
	resp.Body.Close()
}
