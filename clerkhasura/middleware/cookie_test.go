package middleware_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

// A cookie reaches the service with cross-site requests too, so a token
// read from it must name its frontend in azp; a token in the Authorization
// header, which a browser attaches only when the frontend's code does,
// may lack azp, as with clerk-sdk-go.
func TestMiddlewareCookieTokenNeedsAnAuthorizedParty(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	cookie := func(tok string) func(*http.Request) {
		return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: middleware.SessionCookieName, Value: tok}) }
	}
	cases := []struct {
		name   string
		azp    any // nil: no azp claim
		send   func(string) func(*http.Request)
		reason string // empty: accepted
	}{
		{"cookie with a known azp", clerkhasuratest.DefaultAuthorizedParty, cookie, ""},
		{"cookie without azp", nil, cookie, "session token in the cookie names no authorized party"},
		{"cookie with an empty azp", "", cookie, "session token in the cookie names no authorized party"},
		{"cookie with another azp", "https://evil.example", cookie, "session token from an unauthorized party"},
		{"header with a known azp", clerkhasuratest.DefaultAuthorizedParty, bearer, ""},
		{"header without azp", nil, bearer, ""},
		{"header with another azp", "https://evil.example", bearer, "session token from an unauthorized party"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			signer := newMWSigner(t)
			w := newMWWorld(t, &middleware.Options{
				JWKSClient:        signer.JWKSClient,
				SessionCookie:     true,
				AuthorizedParties: []string{clerkhasuratest.DefaultAuthorizedParty},
			})
			w.clock.Set(now)
			tok := signer.sign(t, claimsWith(sessionClaims(now), map[string]any{"azp": tc.azp}))

			resp := w.get(t, "/claims", tc.send(tok))
			if tc.reason == "" {
				assert.Equal(t, http.StatusOK, resp.status, resp.raw)
				assert.Equal(t, "sess_signer", resp.body["sid"])
				return
			}
			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, tc.reason, resp.body["message"])
			assert.Zero(t, w.reached.Load(), "the handler ran")
			for _, part := range strings.Split(tok, ".") {
				assert.NotContains(t, resp.raw, part, "the answer quotes the token")
			}
		})
	}
}
