package clerkhasura

import (
	"errors"
	"net/http"

	"github.com/clerkhasura/clerkhasura-go/internal/bodylimit"
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
	if !bodylimit.SuccessfulJSON(resp) {
		bodylimit.Limit(resp, t.maxBody, ErrResponseTooLarge)
	}
	return resp
}
