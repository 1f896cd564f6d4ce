package clerkhasura

import (
	"bytes"
	"fmt"
	"io"
	"net/http"
)

// replayableBody supplies a request body for the first attempt and, when it
// can, once more for the resend: a copy from the request's GetBody, or the
// caller's body read into memory before the first attempt when it is at
// most the Transport's limit. A longer body without GetBody is streamed
// and cannot be sent again.
type replayableBody struct {
	// buffered holds the caller's body, read whole; nil unless consumed.
	buffered []byte
	// consumed reports that the caller's body was read and closed.
	consumed bool
	// stream, when set, is the body for the only attempt: what was read
	// before the limit was passed, then the rest of the caller's body.
	stream io.ReadCloser
}

func newReplayableBody(req *http.Request, limit int64) (replayableBody, error) {
	var b replayableBody
	if req.Body == nil || req.Body == http.NoBody || req.GetBody != nil {
		return b, nil
	}
	if req.ContentLength > limit {
		b.stream = req.Body
		return b, nil
	}
	var buf bytes.Buffer
	_, err := buf.ReadFrom(io.LimitReader(req.Body, limit+1))
	if err != nil {
		req.Body.Close()
		b.consumed = true
		return b, fmt.Errorf("clerkhasura: reading the request body: %w", err)
	}
	if int64(buf.Len()) > limit {
		b.stream = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(&buf, req.Body), req.Body}
		return b, nil
	}
	req.Body.Close()
	b.consumed = true
	b.buffered = buf.Bytes()
	return b, nil
}

// replayable reports whether the body can be sent a second time.
func (b *replayableBody) replayable() bool { return b.stream == nil }

// first gives out, a clone of the caller's request, the body for the first
// attempt. A clone already shares the caller's Body and GetBody.
func (b *replayableBody) first(out *http.Request) *http.Request {
	switch {
	case b.stream != nil:
		out.Body = b.stream
	case b.consumed:
		b.attachBuffered(out)
	}
	return out
}

// again gives out, a clone of the caller's request, a fresh copy of the
// body; the caller has checked that the body is replayable.
func (b *replayableBody) again(out *http.Request) (*http.Request, error) {
	switch {
	case b.consumed:
		b.attachBuffered(out)
		return out, nil
	case out.Body == nil || out.Body == http.NoBody:
		return out, nil
	}
	body, err := out.GetBody()
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: replaying the request body: %w", err)
	}
	out.Body = body
	return out, nil
}

func (b *replayableBody) attachBuffered(out *http.Request) {
	out.ContentLength = int64(len(b.buffered))
	if len(b.buffered) == 0 {
		out.Body, out.GetBody = http.NoBody, nil
		return
	}
	out.GetBody = func() (io.ReadCloser, error) {
		return io.NopCloser(bytes.NewReader(b.buffered)), nil
	}
	out.Body, _ = out.GetBody()
}
