package webhook_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/webhook"
)

func TestWebhookHandlerLogsRefusalsAndEndedSessions(t *testing.T) {
	f := newWHFixture(t)
	var buf bytes.Buffer
	h, err := webhook.NewHandler(f.clerk.WebhookSecret(), &webhook.Options{
		Clock:  f.clock,
		Logger: slog.New(slog.NewJSONHandler(&buf, &slog.HandlerOptions{Level: slog.LevelDebug})),
	}, f.targets[0])
	require.NoError(t, err)

	sid := f.clerk.CreateSession("user_alice")
	ended := f.clerk.WebhookRequest("http://svc.example/", "session.revoked", sid)
	forged := f.clerk.WebhookRequest("http://svc.example/", "session.ended", sid)
	forged.Header.Set("svix-signature", "v1,"+"AAAA"+forged.Header.Get("svix-signature")[7:])
	for _, req := range []*http.Request{ended, forged} {
		h.ServeHTTP(httptest.NewRecorder(), req)
	}

	text := buf.String()
	assert.NotContains(t, text, f.clerk.WebhookSecret())
	var recs []map[string]any
	dec := json.NewDecoder(&buf)
	for dec.More() {
		var rec map[string]any
		require.NoError(t, dec.Decode(&rec))
		recs = append(recs, rec)
	}
	require.Len(t, recs, 2)
	assert.Equal(t, "DEBUG", recs[0]["level"])
	assert.Equal(t, "clerkhasura: session ended", recs[0]["msg"])
	assert.Equal(t, sid, recs[0]["session"])
	assert.Equal(t, "session.revoked", recs[0]["event"])
	assert.Equal(t, "WARN", recs[1]["level"])
	assert.Equal(t, "clerkhasura: webhook delivery refused", recs[1]["msg"])
	assert.Equal(t, "invalid webhook signature", recs[1]["reason"])
	assert.Equal(t, float64(http.StatusUnauthorized), recs[1]["status"])
}
