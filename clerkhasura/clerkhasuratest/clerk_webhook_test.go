package clerkhasuratest_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/session"
	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestClerkWebhookRequestIsSignedAsSvixSignsIt(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clerkhasuratest.NewClock(now)})
	sid := fc.CreateSession("user_alice")
	require.True(t, strings.HasPrefix(fc.WebhookSecret(), "whsec_"))
	assert.NotEqual(t, fc.WebhookSecret(), clerkhasuratest.NewClerk(t, nil).WebhookSecret(), "one secret per fake")

	req := fc.WebhookRequest("http://svc.example/webhooks/clerk", "session.revoked", sid)
	assert.Equal(t, http.MethodPost, req.Method)
	assert.Equal(t, "http://svc.example/webhooks/clerk", req.URL.String())
	assert.Equal(t, "application/json", req.Header.Get("Content-Type"))
	assert.True(t, strings.HasPrefix(req.Header.Get("svix-id"), "msg_"))
	assert.Equal(t, strconv.FormatInt(now.Unix(), 10), req.Header.Get("svix-timestamp"), "stamped on the fake's clock")
	body, err := io.ReadAll(req.Body)
	require.NoError(t, err)

	// The Standard Webhooks library verifies the signature as Svix's own
	// libraries do; it reads the webhook-* names of Svix's headers.
	wh, err := standardwebhooks.NewWebhook(fc.WebhookSecret())
	require.NoError(t, err)
	headers := http.Header{}
	for _, name := range []string{"id", "timestamp", "signature"} {
		headers.Set("webhook-"+name, req.Header.Get("svix-"+name))
	}
	require.NoError(t, wh.VerifyIgnoringTimestamp(body, headers))
	require.Error(t, wh.VerifyIgnoringTimestamp(append(body, ' '), headers))

	var event struct {
		Object    string `json:"object"`
		Type      string `json:"type"`
		Timestamp int64  `json:"timestamp"`
		Data      struct {
			Object string `json:"object"`
			ID     string `json:"id"`
			UserID string `json:"user_id"`
			Status string `json:"status"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal(body, &event))
	assert.Equal(t, "event", event.Object)
	assert.Equal(t, "session.revoked", event.Type)
	assert.Equal(t, now.UnixMilli(), event.Timestamp)
	assert.Equal(t, "session", event.Data.Object)
	assert.Equal(t, sid, event.Data.ID)
	assert.Equal(t, "user_alice", event.Data.UserID)
	assert.Equal(t, "revoked", event.Data.Status)

	assert.Equal(t, "ended", eventStatus(t, fc.WebhookRequest("http://svc.example/", "session.ended", sid)))
	assert.Equal(t, "removed", eventStatus(t, fc.WebhookRequest("http://svc.example/", "session.removed", sid)))
	assert.Zero(t, fc.Stats().SessionsRevoked, "building a request changes no session")
}

func eventStatus(t *testing.T, r *http.Request) string {
	t.Helper()
	var event struct {
		Data struct {
			Status string `json:"status"`
		} `json:"data"`
	}
	require.NoError(t, json.NewDecoder(r.Body).Decode(&event))
	return event.Data.Status
}

func TestClerkWebhookRequestMisuse(t *testing.T) {
	rec := &fatalRecorder{TB: t}
	fc := clerkhasuratest.NewClerk(rec, nil)
	sid := fc.CreateSession("user_alice")
	assert.Contains(t, fatalOf(rec, func() { fc.WebhookRequest("http://svc.example/", "user.created", sid) }),
		"WebhookRequest: \"user.created\" is not a session event")
	assert.Contains(t, fatalOf(rec, func() { fc.WebhookRequest("http://svc.example/", "session.ended", "sess_nope") }),
		"WebhookRequest: unknown session")
}

// receiver records the deliveries it gets and answers with status.
type receiver struct {
	mu     sync.Mutex
	status int
	events []string // type and session of each delivery
}

func (r *receiver) ServeHTTP(w http.ResponseWriter, req *http.Request) {
	var event struct {
		Type string `json:"type"`
		Data struct {
			ID string `json:"id"`
		} `json:"data"`
	}
	_ = json.NewDecoder(req.Body).Decode(&event)
	r.mu.Lock()
	defer r.mu.Unlock()
	if req.Header.Get("svix-signature") != "" {
		r.events = append(r.events, event.Type+" "+event.Data.ID)
	}
	w.WriteHeader(r.status)
}

func (r *receiver) got() []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return append([]string(nil), r.events...)
}

func TestClerkDeliversRevocations(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	rcv := &receiver{status: http.StatusNoContent}
	srv := httptest.NewServer(rcv)
	t.Cleanup(srv.Close)
	fc.SetWebhookURL(srv.URL)

	direct := fc.CreateSession("user_alice")
	fc.RevokeSession(direct)
	assert.Equal(t, []string{"session.revoked " + direct}, rcv.got(), "delivered before RevokeSession returned")
	fc.RevokeSession(direct)
	assert.Len(t, rcv.got(), 1, "a session is revoked once")

	overHTTP := fc.CreateSession("user_bob")
	_, err := fc.SessionClient().Revoke(context.Background(), &session.RevokeParams{ID: overHTTP})
	require.NoError(t, err)
	assert.Equal(t, []string{"session.revoked " + direct, "session.revoked " + overHTTP}, rcv.got())
	assert.Equal(t, int64(2), fc.Stats().WebhooksDelivered)

	rcv.mu.Lock()
	rcv.status = http.StatusInternalServerError
	rcv.mu.Unlock()
	fc.RevokeSession(fc.CreateSession("user_carol"))
	assert.Len(t, rcv.got(), 3)
	assert.Equal(t, int64(1), fc.Stats().WebhookFailures, "not retried")

	fc.SetWebhookURL("")
	fc.RevokeSession(fc.CreateSession("user_dan"))
	assert.Len(t, rcv.got(), 3, "deliveries stopped")
	assert.Equal(t, int64(2), fc.Stats().WebhooksDelivered)
}
