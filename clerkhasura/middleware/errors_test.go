package middleware_test

import (
	"errors"
	"math"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

func TestAuthErrorServeHTTPRetryAfter(t *testing.T) {
	cases := []struct {
		name       string
		kind       error
		retryAfter time.Duration
		status     int
		header     string // empty: no Retry-After
	}{
		{"unavailable, whole seconds", clerkhasura.ErrClerkUnavailable, 5 * time.Second, http.StatusServiceUnavailable, "5"},
		{"unavailable, rounded up", clerkhasura.ErrClerkUnavailable, 1500 * time.Millisecond, http.StatusServiceUnavailable, "2"},
		{"unavailable, a nanosecond", clerkhasura.ErrClerkUnavailable, time.Nanosecond, http.StatusServiceUnavailable, "1"},
		{"unavailable, the longest duration", clerkhasura.ErrClerkUnavailable, time.Duration(math.MaxInt64), http.StatusServiceUnavailable, "9223372037"},
		{"unavailable, no time known", clerkhasura.ErrClerkUnavailable, 0, http.StatusServiceUnavailable, ""},
		{"unauthenticated", middleware.ErrUnauthenticated, 5 * time.Second, http.StatusUnauthorized, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := &middleware.AuthError{Reason: "r", Kind: tc.kind, Err: errors.New("cause"), RetryAfter: tc.retryAfter}
			rec := httptest.NewRecorder()
			err.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, tc.status, rec.Code)
			assert.Equal(t, tc.header, rec.Header().Get("Retry-After"))
		})
	}
}
