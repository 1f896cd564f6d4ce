package middleware_test

import (
	"bytes"
	"encoding/json"
	"log/slog"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

// logBuffer collects JSON log records; safe for concurrent use.
type logBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *logBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *logBuffer) logger() *slog.Logger {
	return slog.New(slog.NewJSONHandler(b, &slog.HandlerOptions{Level: slog.LevelDebug}))
}

// records decodes the records written so far.
func (b *logBuffer) records(t *testing.T) []map[string]any {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	var out []map[string]any
	dec := json.NewDecoder(bytes.NewReader(b.buf.Bytes()))
	for dec.More() {
		var rec map[string]any
		require.NoError(t, dec.Decode(&rec))
		out = append(out, rec)
	}
	return out
}

func (b *logBuffer) text() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

func TestMiddlewareLogsRefusalsAtDebugWithoutTheToken(t *testing.T) {
	var logs logBuffer
	w := newMWWorld(t, &middleware.Options{Logger: logs.logger()})
	sid := w.clerk.CreateSession("user_alice")
	token := w.clerk.SessionToken(sid)
	forged := withKeyID(t, token, "ins_forged")
	require.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(token)).status)
	require.Equal(t, http.StatusUnauthorized, w.get(t, "/claims", bearer(forged)).status)
	require.Equal(t, http.StatusUnauthorized, w.get(t, "/claims", nil).status)

	recs := logs.records(t)
	require.Len(t, recs, 2, logs.text())
	for i, reason := range []string{"session token signed with an unknown key", "missing session token"} {
		assert.Equal(t, "DEBUG", recs[i]["level"])
		assert.Equal(t, "clerkhasura: request refused", recs[i]["msg"])
		assert.Equal(t, reason, recs[i]["reason"])
		assert.Equal(t, float64(http.StatusUnauthorized), recs[i]["status"])
	}
	assert.NotContains(t, logs.text(), forged)
	assert.NotContains(t, logs.text(), token)
}

func TestMiddlewareLogsJWKSFailuresWithoutTheResponseBody(t *testing.T) {
	var logs logBuffer
	w := newMWWorld(t, &middleware.Options{Logger: logs.logger()})
	w.clerk.FailNext(1, clerkhasuratest.Fault{Status: http.StatusBadGateway, Path: "/v1/jwks", ContentType: "text/html",
		Body: "<pre>Authorization: Bearer " + clerkhasuratest.DefaultSecretKey + "</pre>"})
	require.Equal(t, http.StatusServiceUnavailable, w.get(t, "/claims", bearer(w.clerk.SessionToken(w.clerk.CreateSession("user_alice")))).status)

	var warn map[string]any
	for _, rec := range logs.records(t) {
		if rec["level"] == "WARN" {
			require.Nil(t, warn, "one failed fetch, one record: %s", logs.text())
			warn = rec
		}
	}
	require.NotNil(t, warn, logs.text())
	assert.Equal(t, "clerkhasura: cannot fetch Clerk's signing keys", warn["msg"])
	assert.Equal(t, "clerkhasura: Clerk unavailable", warn["err"])
	assert.NotContains(t, logs.text(), clerkhasuratest.DefaultSecretKey)
}

// Clerk's Retry-After on a refused JWKS fetch is honoured: no fetch, and
// a 503 saying how long is left, until it has passed.
func TestMiddlewareJWKSFetchHonoursRetryAfter(t *testing.T) {
	w := newMWWorld(t, nil)
	sid := w.clerk.CreateSession("user_alice")
	w.clerk.FailNext(1, clerkhasuratest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 30 * time.Second, Path: "/v1/jwks"})

	resp := w.get(t, "/claims", bearer(w.clerk.SessionToken(sid)))
	require.Equal(t, http.StatusServiceUnavailable, resp.status, resp.raw)
	assert.Equal(t, "30", resp.header.Get("Retry-After"))

	w.clock.Advance(10 * time.Second)
	resp = w.get(t, "/claims", bearer(w.clerk.SessionToken(sid)))
	assert.Equal(t, http.StatusServiceUnavailable, resp.status, "fetched again before Clerk's wait was over")
	assert.Equal(t, "20", resp.header.Get("Retry-After"))
	assert.Zero(t, w.middlewareJWKS())

	w.clock.Advance(20 * time.Second)
	resp = w.get(t, "/claims", bearer(w.clerk.SessionToken(sid)))
	assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, int64(1), w.middlewareJWKS())
}
