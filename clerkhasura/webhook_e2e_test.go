package clerkhasura_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// A revoked session keeps its cached Hasura token until it expires, unless
// Clerk's webhook tells the cache; then its next request fails at once.
func TestRevokedSessionEndsWithTheWebhook(t *testing.T) {
	for _, webhook := range []bool{false, true} {
		name := "without the webhook"
		if webhook {
			name = "with the webhook"
		}
		t.Run(name, func(t *testing.T) {
			w := newMWWorld(t, nil)
			if webhook {
				h, err := clerkhasura.NewWebhookHandler(w.clerk.WebhookSecret(), nil, w.tokens)
				require.NoError(t, err)
				srv := httptest.NewServer(h)
				t.Cleanup(srv.Close)
				w.clerk.SetWebhookURL(srv.URL + "/webhooks/clerk")
			}
			sid := w.clerk.CreateSession("user_alice")
			tok := w.clerk.SessionToken(sid) // what the browser sends for the next minute
			require.Equal(t, http.StatusOK, w.get(t, "/me", bearer(tok)).status)

			w.clerk.RevokeSession(sid)
			resp := w.get(t, "/me", bearer(tok))
			if !webhook {
				assert.Equal(t, http.StatusOK, resp.status, "the cached token still serves the revoked session")
				assert.Zero(t, w.tokens.Stats().Invalidations)
				return
			}
			assert.Equal(t, int64(1), w.clerk.Stats().WebhooksDelivered)
			assert.Equal(t, uint64(1), w.tokens.Stats().Invalidations)
			assert.Equal(t, http.StatusBadGateway, resp.status, "the handler's Me failed")
			assert.Contains(t, resp.raw, "Clerk session or JWT template not found")
			assert.Equal(t, uint64(1), w.tokens.Stats().Mints)
			assert.Equal(t, uint64(1), w.tokens.Stats().Failures, "Clerk refused the mint for the revoked session")
		})
	}
}
