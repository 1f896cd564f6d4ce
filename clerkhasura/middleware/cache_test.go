package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/webhook"
)

// TestVerifiedTokenRecheckedOnHit: a token verified before is still
// judged by its exp and nbf against the clock on every request.
func TestVerifiedTokenRecheckedOnHit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		move   time.Duration
		reason string
	}{
		{"expired since", 2 * time.Minute, "session token expired"},
		{"clock moved back before nbf", -time.Minute, "session token not valid yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newMWWorld(t, nil)
			tok := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
			require.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(tok)).status)
			w.clock.Advance(tc.move)
			w.reached.Store(0)
			wantRefused(t, w, w.get(t, "/claims", bearer(tok)), tc.reason)
		})
	}
}

// TestEndSessionRefusesVerifiedToken: once Clerk's webhook reports the
// session ended, the session token the browser still holds is refused at
// once, whether it was remembered or not; without the middleware among
// the webhook's targets it passes until it expires.
func TestEndSessionRefusesVerifiedToken(t *testing.T) {
	for _, tc := range []struct {
		name           string
		verifiedTokens int
		register       bool
	}{
		{"remembered", 0, true},
		{"not remembered", -1, true},
		{"middleware not told", 0, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newMWWorld(t, &middleware.Options{VerifiedTokens: tc.verifiedTokens})
			var ender webhook.SessionEnder = w.tokens
			if tc.register {
				ender = w.mw
			}
			h, err := webhook.NewHandler(w.clerk.WebhookSecret(), nil, ender)
			require.NoError(t, err)
			srv := httptest.NewServer(h)
			t.Cleanup(srv.Close)
			w.clerk.SetWebhookURL(srv.URL)

			sid := w.clerk.CreateSession("user_alice")
			tok := w.clerk.SessionToken(sid)
			require.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(tok)).status)
			w.clerk.RevokeSession(sid)
			require.Equal(t, int64(1), w.clerk.Stats().WebhooksDelivered)
			w.reached.Store(0)
			resp := w.get(t, "/claims", bearer(tok))
			if !tc.register {
				assert.Equal(t, http.StatusOK, resp.status)
				return
			}
			wantRefused(t, w, resp, "session ended")

			// Another session of the same user is not affected.
			other := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
			assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(other)).status)
		})
	}
}
