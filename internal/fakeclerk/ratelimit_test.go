package fakeclerk

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// limitedServer is a server limited to n requests per window, on a clock
// the test moves.
func limitedServer(t *testing.T, rl RateLimit) (*Server, *atomic.Pointer[time.Time]) {
	t.Helper()
	var now atomic.Pointer[time.Time]
	start := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC)
	now.Store(&start)
	s, err := New(Config{
		SecretKey: testKey,
		Issuer:    "https://clerk.example.test",
		Now:       func() time.Time { return *now.Load() },
		RateLimit: rl,
	})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s, &now
}

func at(now *atomic.Pointer[time.Time], d time.Duration) {
	t := time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC).Add(d)
	now.Store(&t)
}

func TestRateLimitSlidingWindow(t *testing.T) {
	s, now := limitedServer(t, RateLimit{Requests: 3, Window: 10 * time.Second})
	steps := []struct {
		at         time.Duration
		status     int
		retryAfter string
	}{
		{0, http.StatusNotFound, ""},
		{2 * time.Second, http.StatusNotFound, ""},
		{4 * time.Second, http.StatusNotFound, ""},
		{5 * time.Second, http.StatusTooManyRequests, "5"},
		{9500 * time.Millisecond, http.StatusTooManyRequests, "1"},
		// The request at 0 leaves the window at 10 s, not before.
		{10*time.Second - time.Nanosecond, http.StatusTooManyRequests, "1"},
		{10 * time.Second, http.StatusNotFound, ""},
		// Now the requests at 2, 4 and 10 s are in the window.
		{10 * time.Second, http.StatusTooManyRequests, "2"},
		{11 * time.Second, http.StatusTooManyRequests, "1"},
		{12 * time.Second, http.StatusNotFound, ""},
		{14 * time.Second, http.StatusNotFound, ""},
		{14 * time.Second, http.StatusTooManyRequests, "6"},
	}
	for i, st := range steps {
		at(now, st.at)
		rec := serve(s, http.MethodGet, "/v1/sessions/sess_none", "-")
		require.Equal(t, st.status, rec.Code, "step %d at %v", i, st.at)
		assert.Equal(t, st.retryAfter, rec.Header().Get("Retry-After"), "step %d at %v", i, st.at)
	}
	assert.Equal(t, int64(6), s.Stats().RateLimited)
	assert.Equal(t, int64(6), s.Stats().NotFound, "refused requests never reach the route")
}

func TestRateLimitBody(t *testing.T) {
	s, _ := limitedServer(t, RateLimit{Requests: 1})
	require.Equal(t, http.StatusOK, serve(s, http.MethodPost, "/v1/sessions", `{"user_id":"user_1"}`).Code)
	rec := serve(s, http.MethodPost, "/v1/sessions", `{"user_id":"user_1"}`)
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.Equal(t, "10", rec.Header().Get("Retry-After"), "the default window is 10 s")
	assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
	var body struct {
		Errors []struct {
			Message, LongMessage, Code string
		}
		TraceID string `json:"clerk_trace_id"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
	require.Len(t, body.Errors, 1)
	assert.Equal(t, "too_many_requests", body.Errors[0].Code)
	assert.Equal(t, "Too many requests", body.Errors[0].Message)
	assert.NotEmpty(t, body.TraceID)
	assert.Equal(t, body.TraceID, rec.Header().Get("Clerk-Trace-Id"))
	assert.Equal(t, int64(1), s.Stats().SessionsCreated)
}

func TestRateLimitScope(t *testing.T) {
	s, _ := limitedServer(t, RateLimit{Requests: 1, Window: time.Minute})
	require.Equal(t, http.StatusNotFound, serve(s, http.MethodGet, "/v1/sessions/sess_none", "-").Code)
	require.Equal(t, http.StatusTooManyRequests, serve(s, http.MethodGet, "/v1/sessions/sess_none", "-").Code)

	assert.Equal(t, http.StatusOK, serve(s, http.MethodGet, "/v1/jwks", "-").Code, "GET /v1/jwks is not rate-limited")
	assert.Equal(t, http.StatusOK, serve(s, http.MethodGet, "/.well-known/jwks.json", "-").Code)
	assert.Equal(t, http.StatusTooManyRequests, serve(s, http.MethodPost, "/v1/jwks", "-").Code, "only GET is exempt")
	assert.Equal(t, http.StatusTooManyRequests, serve(s, http.MethodGet, "/v1/unknown", "-").Code)

	bad := httptest.NewRequest(http.MethodGet, "/v1/sessions/sess_none", nil)
	bad.Header.Set("Authorization", "Bearer sk_test_wrong")
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, bad)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, "a request without the instance's key is refused before the limit")
	assert.Equal(t, int64(3), s.Stats().RateLimited)
}

func TestRateLimitOffByDefault(t *testing.T) {
	s := newTestServer(t)
	for i := 0; i < 2*DevelopmentRateLimit; i++ {
		require.Equal(t, http.StatusNotFound, serve(s, http.MethodGet, "/v1/sessions/sess_none", "-").Code, "request %d", i)
	}
	assert.Zero(t, s.Stats().RateLimited)
	assert.Nil(t, newRateLimiter(RateLimit{Requests: -1}))
}

func TestRateLimitClockSetBack(t *testing.T) {
	s, now := limitedServer(t, RateLimit{Requests: 1, Window: 10 * time.Second})
	at(now, time.Hour)
	require.Equal(t, http.StatusNotFound, serve(s, http.MethodGet, "/v1/sessions/sess_none", "-").Code)
	at(now, 0)
	rec := serve(s, http.MethodGet, "/v1/sessions/sess_none", "-")
	require.Equal(t, http.StatusTooManyRequests, rec.Code)
	assert.Equal(t, "10", rec.Header().Get("Retry-After"), "never more than one window")
}

func TestRateLimitConcurrent(t *testing.T) {
	const limit = 25
	s, _ := limitedServer(t, RateLimit{Requests: limit, Window: time.Minute})
	var ok, limited atomic.Int64
	var wg sync.WaitGroup
	for g := 0; g < 8; g++ {
		wg.Go(func() {
			for i := 0; i < 10; i++ {
				switch serve(s, http.MethodGet, "/v1/sessions/sess_none", "-").Code {
				case http.StatusNotFound:
					ok.Add(1)
				case http.StatusTooManyRequests:
					limited.Add(1)
				}
			}
		})
	}
	wg.Wait()
	assert.Equal(t, int64(limit), ok.Load())
	assert.Equal(t, int64(80-limit), limited.Load())
	assert.Equal(t, limited.Load(), s.Stats().RateLimited)
}
