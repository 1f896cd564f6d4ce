package clerkhasura

import (
	"errors"
	"net/http"
	"strings"
)

// DefaultMaxBodyBytes is the default bound of [TransportOptions.MaxBodyBytes]
// and [LimitResponseBodies]: 1 MiB, as golang.org/x/oauth2 bounds a token
// response. Clerk's answers (a token, an error, the JWKS, a page of JWT
// templates) take a few kilobytes.
const DefaultMaxBodyBytes = 1 << 20

// ErrResponseTooLarge is the error from reading a response from Hasura's
// origin past [TransportOptions.MaxBodyBytes], when the response is not a
// successful JSON answer: an error page, say, which a proxy in front of
// Hasura may make as large as it likes. The Hasura client's error for such
// a response matches it too.
//
// Reading past [LimitResponseBodies]' limit fails with it too.
var ErrResponseTooLarge = errors.New("clerkhasura: response body is larger than the limit")

// limit bounds what can be read of resp, unless it is a successful JSON
// answer, whose data streams through whole.
func (t *Transport) limit(resp *http.Response) *http.Response {
	if resp.Body == nil || resp.Body == http.NoBody || successfulJSON(resp) {
		return resp
	}
	limit := t.maxBody
	resp.Body = &limitedBody{ReadCloser: resp.Body, left: limit, err: &bodyTooLargeError{limit: limit, status: resp.StatusCode}}
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
