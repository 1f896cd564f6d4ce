package testkit

import (
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
)

// ServeRepeated answers with status, contentType (none when empty) and
// size bytes of unit repeated, written from one buffer so that the server
// allocates next to nothing. It stops when the client goes away.
func ServeRepeated(status int, contentType, unit string, size int) http.HandlerFunc {
	chunk := []byte(strings.Repeat(unit, (64<<10)/len(unit)))
	return func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if contentType == "" {
			w.Header()["Content-Type"] = nil // no sniffing either
		} else {
			w.Header().Set("Content-Type", contentType)
		}
		w.Header().Set("Content-Length", strconv.Itoa(size))
		w.WriteHeader(status)
		for left := size; left > 0; {
			n := min(left, len(chunk))
			if _, err := w.Write(chunk[:n]); err != nil {
				return
			}
			left -= n
		}
	}
}

// CountingRoundTripper sends requests with Base and counts them.
type CountingRoundTripper struct {
	Base http.RoundTripper
	n    atomic.Int32
}

// RoundTrip counts r and sends it with Base.
func (c *CountingRoundTripper) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return c.Base.RoundTrip(r)
}

// Count returns how many requests were sent.
func (c *CountingRoundTripper) Count() int32 { return c.n.Load() }

// CountingBody is a body that counts the bytes read from R and records
// Close, for tests of what a reader takes of a body and whether it closes
// it. It is for one goroutine.
type CountingBody struct {
	R      io.Reader
	N      int
	Closed bool
}

// Read reads from R and counts the bytes.
func (b *CountingBody) Read(p []byte) (int, error) {
	n, err := b.R.Read(p)
	b.N += n
	return n, err
}

// Close records the call.
func (b *CountingBody) Close() error { b.Closed = true; return nil }
