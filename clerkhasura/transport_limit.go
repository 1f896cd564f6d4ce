package clerkhasura

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
)

// DefaultMaxBodyBytes is the default of [Transport.MaxBodyBytes]: 1 MiB,
// as golang.org/x/oauth2 bounds a token response.
const DefaultMaxBodyBytes = 1 << 20

// ErrResponseTooLarge is the error from reading a response from Hasura's
// origin past [Transport.MaxBodyBytes], when the response is not a
// successful JSON answer: an error page, say, which a proxy in front of
// Hasura may make as large as it likes. A [*HasuraError] for such a
// response matches it too.
var ErrResponseTooLarge = errors.New("clerkhasura: Hasura's response body is larger than the limit")

// maxBody returns t.MaxBodyBytes or its default.
func (t *Transport) maxBody() int64 {
	if t.MaxBodyBytes <= 0 {
		return DefaultMaxBodyBytes
	}
	return t.MaxBodyBytes
}

// limit bounds what can be read of resp, unless it is a successful JSON
// answer, whose data streams through whole.
func (t *Transport) limit(resp *http.Response) *http.Response {
	if resp.Body == nil || resp.Body == http.NoBody || successfulJSON(resp) {
		return resp
	}
	resp.Body = &limitedBody{rc: resp.Body, left: t.maxBody(), limit: t.maxBody()}
	return resp
}

// successfulJSON reports whether resp has a 2xx status and a JSON media
// type: application/json, as Hasura sends, or a structured type ending in
// "+json", such as application/graphql-response+json. Parameters such as
// charset do not matter; the media type is compared without regard to
// case, and without mime.ParseMediaType, which allocates on every call.
func successfulJSON(resp *http.Response) bool {
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

// limitedBody yields at most limit bytes of rc; a read past them fails
// with ErrResponseTooLarge.
type limitedBody struct {
	rc    io.ReadCloser
	left  int64
	limit int64
	err   error
}

func (b *limitedBody) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, b.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	// One byte more than is left tells a body of exactly limit bytes
	// from a longer one.
	if int64(len(p)) > b.left+1 {
		p = p[:b.left+1]
	}
	n, err := b.rc.Read(p)
	if int64(n) <= b.left {
		b.left -= int64(n)
		return n, err
	}
	n = int(b.left)
	b.left = 0
	b.err = fmt.Errorf("%w (%d bytes)", ErrResponseTooLarge, b.limit)
	return n, b.err
}

func (b *limitedBody) Close() error { return b.rc.Close() }
