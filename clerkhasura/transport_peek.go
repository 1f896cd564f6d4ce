package clerkhasura

import (
	"io"
	"net/http"
	"slices"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

const (
	// maxRejectionBody bounds how much of a response is read to find out
	// whether Hasura rejected the token. Hasura's rejections are about 120
	// bytes; a larger body is streamed through unread.
	maxRejectionBody = 8 << 10
	// firstPeek is the size of the first read. One read of a data response
	// is enough to tell it from an error document.
	firstPeek = 128
)

// rejectedToken reports whether resp proves that the request's token was
// refused before anything ran, by the rules of [Transport]'s "Resending":
// Hasura's own JWT refusal (HTTP 200 or 400) or a 401 without a "data"
// member. It reads at most maxRejectionBody bytes, and only from a body
// that may be a JSON object (for HTTP 200 and 400: one that begins with
// {"errors"), then puts them back in front of the rest, so a data response
// streams through whole. A body still compressed (http.Transport removes
// Content-Encoding when it decompresses) cannot be read as JSON: it is no
// refusal, and a 401 with it may have run.
func rejectedToken(resp *http.Response) bool {
	ce := resp.Header.Get("Content-Encoding")
	encoded := ce != "" && !strings.EqualFold(ce, "identity")
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return !encoded && !hasuraerr.MayHaveRun(peekBody(resp, ""))
	case http.StatusOK, http.StatusBadRequest:
		if encoded || resp.ContentLength > maxRejectionBody {
			return false
		}
		buf, complete := peekBody(resp, hasuraerr.ErrorsMember)
		return complete && hasuraerr.IsJWTRefusal(buf)
	}
	return false
}

// peekBody reads the beginning of resp's body, up to maxRejectionBody
// bytes, while it may begin as [hasuraerr.JSONPrefix] with name asks, and
// puts what it read back in front of the rest. It reports the bytes read
// and whether they are the whole body.
func peekBody(resp *http.Response, name string) ([]byte, bool) {
	if resp.Body == nil || resp.Body == http.NoBody || resp.ContentLength == 0 {
		return nil, true
	}
	b := &peekedBody{ReadCloser: resp.Body}
	resp.Body = b
	b.buf = b.first[:0]
	for len(b.buf) < maxRejectionBody && hasuraerr.JSONPrefix(b.buf, name) != hasuraerr.Mismatch {
		if len(b.buf) == cap(b.buf) {
			b.buf = slices.Grow(b.buf, len(b.buf))
		}
		n, err := b.ReadCloser.Read(b.buf[len(b.buf):min(cap(b.buf), maxRejectionBody)])
		b.buf = b.buf[:len(b.buf)+n]
		if err != nil {
			b.err = err
			return b.buf, err == io.EOF
		}
	}
	return b.buf, false
}

// peekedBody yields buf, then err if set, then the rest of its body.
type peekedBody struct {
	io.ReadCloser
	buf   []byte
	err   error
	first [firstPeek]byte
}

func (b *peekedBody) Read(p []byte) (int, error) {
	if len(b.buf) > 0 {
		n := copy(p, b.buf)
		b.buf = b.buf[n:]
		return n, nil
	}
	if b.err != nil {
		return 0, b.err
	}
	return b.ReadCloser.Read(p)
}
