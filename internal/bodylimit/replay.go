package bodylimit

import (
	"bytes"
	"io"
	"net/http"
)

// Replayable returns req, or a shallow copy of it, whose body can be sent
// a second time when [CanReplay] says so: a request with its own GetBody,
// or whose body is at most limit bytes, read into memory (and closed)
// before the first attempt. A longer body without GetBody is streamed,
// what was read of it first, and cannot be sent again. After an error,
// req.Body is closed.
func Replayable(req *http.Request, limit int64) (*http.Request, error) {
	if CanReplay(req) || req.ContentLength > limit {
		return req, nil
	}
	var buf bytes.Buffer
	if _, err := buf.ReadFrom(io.LimitReader(req.Body, limit+1)); err != nil {
		req.Body.Close()
		return nil, err
	}
	out := *req
	if int64(buf.Len()) > limit {
		out.Body = struct {
			io.Reader
			io.Closer
		}{io.MultiReader(&buf, req.Body), req.Body}
		return &out, nil
	}
	req.Body.Close()
	b := buf.Bytes()
	out.ContentLength, out.Body, out.GetBody = int64(len(b)), http.NoBody, nil
	if len(b) > 0 {
		out.GetBody = func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(b)), nil }
		out.Body, _ = out.GetBody()
	}
	return &out, nil
}

// CanReplay reports whether req's body can be had again for a resend.
func CanReplay(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}
