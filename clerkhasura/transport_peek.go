package clerkhasura

import (
	"bytes"
	"encoding/json"
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

// jwtRefusalPrefix begins every message of Hasura's JWT verifier: processJwt
// in Hasura's server/src-lib/Hasura/Server/Auth/JWT.hs writes "Could not
// verify JWT: " followed by the JOSE library's error, such as "JWTExpired".
const jwtRefusalPrefix = "Could not verify JWT: "

// rejectedToken reports whether resp proves that the request's token was
// refused before anything ran, by the rules of [Transport]'s "Resending":
// Hasura's own JWT refusal (HTTP 200 or 400) or a 401 without a "data"
// member. It reads at most maxRejectionBody bytes, and only from a body
// that may be a JSON object (for HTTP 200 and 400: one that begins with
// {"errors"), then puts them back in front of the rest, so a data response
// streams through whole.
func rejectedToken(resp *http.Response) bool {
	switch resp.StatusCode {
	case http.StatusUnauthorized:
		return !mayHaveRun(resp)
	case http.StatusOK, http.StatusBadRequest:
		return isJWTRefusal(resp)
	}
	return false
}

// errorsMember is the first member of Hasura's error-only responses.
const errorsMember = `"errors"`

// isJWTRefusal reports whether resp's body is Hasura's refusal of the token.
func isJWTRefusal(resp *http.Response) bool {
	if resp.ContentLength > maxRejectionBody || encoded(resp) {
		return false
	}
	buf, complete := peekBody(resp, errorsMember)
	if !complete || jsonPrefix(buf, errorsMember) != prefixMatch || !bytes.Contains(buf, []byte(`"invalid-jwt"`)) {
		return false
	}
	doc, err := hasuraerr.Parse(buf)
	if err != nil || doc.DataMember || len(doc.Errors) != 1 {
		return false
	}
	e := doc.Errors[0]
	return e.Code == "invalid-jwt" && e.Path == "$" && strings.HasPrefix(e.Message, jwtRefusalPrefix)
}

// mayHaveRun reports whether the body of a 401 answer is, or may be, a
// GraphQL response with a "data" member: the one sign that an operation
// ran. A body that is empty or not a JSON object shows none; one still
// encoded cannot be told apart, so it may.
func mayHaveRun(resp *http.Response) bool {
	if encoded(resp) {
		return true
	}
	buf, complete := peekBody(resp, "")
	if jsonPrefix(buf, "") != prefixMatch {
		return false
	}
	if !complete {
		return true
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(buf, &doc) != nil {
		return false
	}
	_, data := doc["data"]
	return data
}

// encoded reports whether resp's body is still compressed: http.Transport
// removes Content-Encoding when it decompresses, and an encoded body
// cannot be read as JSON.
func encoded(resp *http.Response) bool {
	ce := resp.Header.Get("Content-Encoding")
	return ce != "" && !strings.EqualFold(ce, "identity")
}

// peekBody reads the beginning of resp's body, up to maxRejectionBody
// bytes, while it may begin as jsonPrefix(_, name) asks, and puts what it
// read back in front of the rest. It reports the bytes read and whether
// they are the whole body.
func peekBody(resp *http.Response, name string) ([]byte, bool) {
	if resp.Body == nil || resp.Body == http.NoBody || resp.ContentLength == 0 {
		return nil, true
	}
	b := &peekedBody{ReadCloser: resp.Body}
	resp.Body = b
	b.buf = b.first[:0]
	for len(b.buf) < maxRejectionBody && jsonPrefix(b.buf, name) != prefixMismatch {
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

type prefixState int

const (
	prefixUndecided prefixState = iota // p may still grow into the prefix
	prefixMatch                        // p begins with the prefix
	prefixMismatch                     // p cannot begin with the prefix
)

// jsonPrefix classifies p against JSON whitespace, "{", JSON whitespace,
// then name: with name "", the beginning of any JSON object; with
// errorsMember, the way Hasura writes an error-only response.
func jsonPrefix(p []byte, name string) prefixState {
	p = skipJSONSpace(p)
	switch {
	case len(p) == 0:
		return prefixUndecided
	case p[0] != '{':
		return prefixMismatch
	case name == "":
		return prefixMatch
	}
	p = skipJSONSpace(p[1:])
	n := min(len(p), len(name))
	switch {
	case string(p[:n]) != name[:n]:
		return prefixMismatch
	case n == len(name):
		return prefixMatch
	}
	return prefixUndecided
}

func skipJSONSpace(p []byte) []byte {
	return bytes.TrimLeft(p, " \t\n\r")
}
