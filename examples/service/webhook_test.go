package main

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// With CLERK_WEBHOOK_SECRET set, Clerk's revocation reaches the service
// through /webhooks/clerk and the revoked session's next request is
// refused at once; without it, the cached Hasura token still serves it.
func TestServiceWebhookEndsRevokedSessions(t *testing.T) {
	for _, mounted := range []bool{true, false} {
		name := map[bool]string{true: "mounted", false: "not configured"}[mounted]
		t.Run(name, func(t *testing.T) {
			var env map[string]string
			if !mounted {
				env = map[string]string{"CLERK_WEBHOOK_SECRET": ""}
			}
			w := newWorld(t, env, nil)
			w.clerk.SetWebhookURL(w.server.URL + "/webhooks/clerk")
			sid := w.clerk.CreateSession("user_alice")
			tok := w.clerk.SessionToken(sid)
			require.Equal(t, http.StatusOK, w.do(t, "GET", "/me", tok, "").status)

			w.clerk.RevokeSession(sid)
			got := w.do(t, "GET", "/me", tok, "")
			if !mounted {
				assert.Equal(t, http.StatusOK, got.status, got.raw)
				assert.Equal(t, int64(1), w.clerk.Stats().WebhookFailures, "the route is behind the middleware")
				return
			}
			assert.Equal(t, int64(1), w.clerk.Stats().WebhooksDelivered)
			assert.Equal(t, http.StatusUnauthorized, got.status, got.raw)
			assert.Equal(t, map[string]any{"error": "unauthenticated", "message": "session ended"}, got.body,
				"the middleware refuses the session's token")
			assert.Contains(t, w.logs.String(), `"path":"/webhooks/clerk","status":204`)
		})
	}
}

func TestServiceWebhookRefusesForgeries(t *testing.T) {
	w := newWorld(t, nil, nil)
	sid := w.clerk.CreateSession("user_alice")
	tok := w.clerk.SessionToken(sid)
	require.Equal(t, http.StatusOK, w.do(t, "GET", "/me", tok, "").status)

	req := w.clerk.WebhookRequest(w.server.URL+"/webhooks/clerk", "session.revoked", sid)
	req.Header.Set("svix-signature", "v1,"+base64.StdEncoding.EncodeToString(make([]byte, 32)))
	resp, err := w.server.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode)
	assert.Equal(t, http.StatusOK, w.do(t, "GET", "/me", tok, "").status, "the forgery ended the session")
	assert.Contains(t, w.logs.String(), `"err":"clerkhasura: invalid webhook signature"`)
	assert.False(t, strings.Contains(w.logs.String(), w.clerk.WebhookSecret()))

}
