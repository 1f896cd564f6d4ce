package clerkhasuratest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// development is Clerk's rate limit for a development instance: requests
// in any 10 s.
const development = 100

func TestClerkRateLimit(t *testing.T) {
	clock := clerkhasuratest.NewClock(time.Now())
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{
		RateLimit: development,
		Clock:     clock,
	})
	sid := fc.CreateSession("user_1")
	ctx := context.Background()
	for i := 0; i < development; i++ {
		require.NoError(t, createToken(fc, ctx, sid), "mint %d", i)
	}
	apiErr := apiError(t, createToken(fc, ctx, sid))
	assert.Equal(t, http.StatusTooManyRequests, apiErr.HTTPStatusCode)
	assert.Equal(t, "too_many_requests", apiErr.Errors[0].Code)
	assert.Equal(t, "10", apiErr.Response.Header.Get("Retry-After"))

	resp := get(t, fc, fc.APIURL()+"/jwks", fc.SecretKey())
	assert.Equal(t, http.StatusOK, resp.StatusCode, "GET /v1/jwks is exempt")

	clock.Advance(10 * time.Second)
	require.NoError(t, createToken(fc, ctx, sid), "a slot frees when the window has slid past the first mint")

	st := fc.Stats()
	assert.Equal(t, int64(1), st.RateLimited)
	assert.Equal(t, int64(development+1), st.TokensMinted)
	assert.Zero(t, st.Faults)
}

func TestClerkRateLimitOffByDefault(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	for i := 0; i <= development; i++ {
		require.NoError(t, createToken(fc, context.Background(), sid), "mint %d", i)
	}
	assert.Zero(t, fc.Stats().RateLimited)
}

func TestNewClerkRefusesNegativeRateLimit(t *testing.T) {
	got := fatalMessage(t, func(tt clerkhasuratest.Tester) {
		clerkhasuratest.NewClerk(tt, &clerkhasuratest.ClerkOptions{RateLimit: -1})
	})
	assert.Equal(t, "clerkhasuratest: NewClerk: ClerkOptions.RateLimit must not be negative", got)
}
