package clerkhasuratest_test

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestClerkFaultReachesTheServicesMint plays what the README shows: a
// service behind the middleware, and FailNext(1, Fault{Status: 429}).
// The middleware's JWKS fetch goes through, and the handler's Hasura call
// meets the rate-limited mint.
func TestClerkFaultReachesTheServicesMint(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL()})
	tokens := sources.SessionTokens(t, fc.SessionClient(), "hasura", nil)
	mw, err := middleware.New(fh.Endpoint(), tokens, &middleware.Options{JWKSClient: fc.JWKSClient()})
	require.NoError(t, err)
	meErr := make(chan error, 1)
	srv := httptest.NewServer(mw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hc, ok := middleware.ClientFromContext(r.Context())
		if !ok {
			meErr <- errors.New("no client in the request's context")
			return
		}
		_, err := hc.Me(r.Context())
		meErr <- err
		w.WriteHeader(http.StatusNoContent)
	})))
	t.Cleanup(srv.Close)

	fc.FailNext(1, clerkhasuratest.Fault{Status: http.StatusTooManyRequests, RetryAfter: 2 * time.Second})
	req, err := http.NewRequest(http.MethodGet, srv.URL, nil)
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+fc.SessionToken(fc.CreateSession("user_alice")))
	resp, err := srv.Client().Do(req)
	require.NoError(t, err)
	resp.Body.Close()

	require.Equal(t, http.StatusNoContent, resp.StatusCode, "the middleware fetched Clerk's keys")
	err = <-meErr
	require.ErrorIs(t, err, clerkhasura.ErrRateLimited)
	var ce *clerkhasura.ClerkError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 2*time.Second, ce.RetryAfter)
	assert.EqualValues(t, 1, fc.Stats().Faults)
}
