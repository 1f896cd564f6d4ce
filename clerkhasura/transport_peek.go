package clerkhasura

import (
	"bytes"
	"io"
	"net/http"
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

// rejectedToken reports whether resp says that Hasura did not accept the
// request's token: HTTP 401, or an error-only document whose errors include
// the code "invalid-jwt" (which /v1/graphql sends with HTTP 200, and
// /v1alpha1/graphql with HTTP 400).
//
// It reads at most maxRejectionBody bytes, and only from a document that
// begins with {"errors". When it reads, it replaces resp.Body with a body
// that yields the bytes read and then the rest, so a data response streams
// through whole.
func rejectedToken(resp *http.Response) bool {
	if resp.StatusCode == http.StatusUnauthorized {
		return true
	}
	if resp.StatusCode != http.StatusOK && resp.StatusCode != http.StatusBadRequest {
		return false
	}
	if resp.Body == nil || resp.Body == http.NoBody ||
		resp.ContentLength == 0 || resp.ContentLength > maxRejectionBody {
		return false
	}
	// http.Transport removes Content-Encoding when it decompresses; a body
	// still encoded cannot be read as JSON.
	if ce := resp.Header.Get("Content-Encoding"); ce != "" && !strings.EqualFold(ce, "identity") {
		return false
	}
	pb := &peekedBody{rc: resp.Body}
	pb.buf = pb.first[:0]
	complete := pb.peek()
	resp.Body = pb
	if !complete || errorDocumentPrefix(pb.buf) != prefixMatch ||
		!bytes.Contains(pb.buf, []byte(`"invalid-jwt"`)) {
		return false
	}
	doc, err := hasuraerr.Parse(pb.buf)
	return err == nil && !doc.HasData && doc.Has("invalid-jwt")
}

// peekedBody yields buf, then err if set, then the rest of rc.
type peekedBody struct {
	rc    io.ReadCloser
	buf   []byte
	err   error
	first [firstPeek]byte
}

// peek reads from rc while the bytes so far may begin an error document,
// up to maxRejectionBody. It reports whether it read the whole body.
func (b *peekedBody) peek() bool {
	for {
		if len(b.buf) == cap(b.buf) {
			if len(b.buf) >= maxRejectionBody {
				return false
			}
			grown := make([]byte, len(b.buf), min(2*cap(b.buf), maxRejectionBody))
			copy(grown, b.buf)
			b.buf = grown
		}
		n, err := b.rc.Read(b.buf[len(b.buf):cap(b.buf)])
		b.buf = b.buf[:len(b.buf)+n]
		if err != nil {
			b.err = err
			return err == io.EOF
		}
		if errorDocumentPrefix(b.buf) == prefixMismatch {
			return false
		}
	}
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
	return b.rc.Read(p)
}

func (b *peekedBody) Close() error { return b.rc.Close() }

type prefixState int

const (
	prefixUndecided prefixState = iota // p may still grow into {"errors"
	prefixMatch                        // p begins with {"errors"
	prefixMismatch                     // p cannot begin an error-only document
)

// errorDocumentPrefix classifies p against JSON whitespace, "{", JSON
// whitespace, then the member name "errors": the way Hasura writes an
// error-only response.
func errorDocumentPrefix(p []byte) prefixState {
	const name = `"errors"`
	p = skipJSONSpace(p)
	if len(p) == 0 {
		return prefixUndecided
	}
	if p[0] != '{' {
		return prefixMismatch
	}
	p = skipJSONSpace(p[1:])
	if len(p) >= len(name) {
		if string(p[:len(name)]) == name {
			return prefixMatch
		}
		return prefixMismatch
	}
	if string(p) == name[:len(p)] {
		return prefixUndecided
	}
	return prefixMismatch
}

func skipJSONSpace(p []byte) []byte {
	for len(p) > 0 && (p[0] == ' ' || p[0] == '\t' || p[0] == '\n' || p[0] == '\r') {
		p = p[1:]
	}
	return p
}
