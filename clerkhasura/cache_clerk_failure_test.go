package clerkhasura_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestClerkCacheFailedRefreshServesUntilExpiry(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	clock := testkit.NewClock()
	c := cachedSession(t, fc, fc.SessionClient(), clock, nil)
	defer c.Close()
	ctx := context.Background()

	old, err := c.Token(ctx)
	require.NoError(t, err)
	fc.FailNext(100, clerkhasuratest.Fault{Status: 500, Path: "/tokens"})
	clock.Advance(43 * time.Second)
	for clock.Now().Before(old.Expiry.Add(-5 * time.Second)) {
		tok, err := c.Token(ctx)
		require.NoError(t, err, "valid until its early expiry")
		assert.Same(t, old, tok)
		clerkhasura.WaitIdle(c)
		clock.Advance(500 * time.Millisecond)
	}
	clock.Advance(time.Second) // past the early expiry, 5 s before Expiry
	_, err = c.Token(ctx)
	require.ErrorIs(t, err, clerkhasura.ErrClerkUnavailable)
	var ce *clerkhasura.ClerkError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 500, ce.StatusCode)
	assert.Greater(t, fc.Stats().Faults, int64(1), "retried while valid")
}

func TestClerkCachePermanentErrorsAreNotRetried(t *testing.T) {
	for _, tt := range []struct {
		name   string
		status int
		kind   error
	}{
		{"404", 404, clerkhasura.ErrSessionGone},
		{"401", 401, clerkhasura.ErrInvalidSecretKey},
	} {
		t.Run(tt.name, func(t *testing.T) {
			fc := clerkhasuratest.NewClerk(t, nil)
			clock := testkit.NewClock()
			c := cachedSession(t, fc, fc.SessionClient(), clock, nil)
			defer c.Close()
			fc.FailNext(1, clerkhasuratest.Fault{Status: tt.status})
			before := fc.Stats().Requests
			for range 30 {
				_, err := c.Token(context.Background())
				require.ErrorIs(t, err, tt.kind)
				clock.Advance(time.Second)
			}
			// One mint; a 404 has the templates listed once besides.
			assert.Equal(t, before+1, fc.Stats().Requests-fc.Stats().TemplateLists)
		})
	}
	t.Run("422 for a lifetime under Clerk's minimum", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		clock := testkit.NewClock()
		st := sources.SessionTokens(t, fc.SessionClient(), "hasura",
			&clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: clock}, Lifetime: 10 * time.Second})
		defer st.Close()
		sid := fc.CreateSession("user_1")
		before := fc.Stats().Requests
		for range 30 {
			_, err := st.Source(sid).Token(context.Background())
			require.ErrorIs(t, err, clerkhasura.ErrClerkRejected)
			clock.Advance(time.Second)
		}
		assert.Equal(t, before+1, fc.Stats().Requests)
	})
	t.Run("500 is retried after back-off", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		clock := testkit.NewClock()
		c := cachedSession(t, fc, fc.SessionClient(), clock, nil)
		defer c.Close()
		fc.FailNext(1, clerkhasuratest.Fault{Status: 500})
		_, err := c.Token(context.Background())
		require.ErrorIs(t, err, clerkhasura.ErrClerkUnavailable)
		clock.Advance(clerkhasura.DefaultMinBackoff)
		_, err = c.Token(context.Background())
		require.NoError(t, err)
	})
	t.Run("429 waits for Retry-After", func(t *testing.T) {
		fc := clerkhasuratest.NewClerk(t, nil)
		clock := testkit.NewClock()
		c := cachedSession(t, fc, fc.SessionClient(), clock, nil)
		defer c.Close()
		fc.FailNext(1, clerkhasuratest.Fault{Status: 429, RetryAfter: 20 * time.Second})
		before := fc.Stats().Requests
		_, err := c.Token(context.Background())
		require.ErrorIs(t, err, clerkhasura.ErrRateLimited)
		clock.Advance(19 * time.Second)
		_, err = c.Token(context.Background())
		require.ErrorIs(t, err, clerkhasura.ErrRateLimited)
		assert.Equal(t, before+1, fc.Stats().Requests)
		clock.Advance(time.Second)
		_, err = c.Token(context.Background())
		require.NoError(t, err)
	})
}

// TestClerkCacheFailedRefresh: a refresh that Clerk answers with 401
// leaves the valid token served until it expires, and is not retried
// within MaxBackoff; a 404 drops the token at once.
func TestClerkCacheFailedRefresh(t *testing.T) {
	for _, tt := range []struct {
		status int
		kind   error
		kept   bool
	}{
		{401, clerkhasura.ErrInvalidSecretKey, true},
		{404, clerkhasura.ErrSessionGone, false},
	} {
		t.Run(http.StatusText(tt.status), func(t *testing.T) {
			fc := clerkhasuratest.NewClerk(t, nil)
			clock := testkit.NewClock()
			c := cachedSession(t, fc, fc.SessionClient(), clock, nil)
			defer c.Close()
			ctx := context.Background()

			old, err := c.Token(ctx)
			require.NoError(t, err)
			fc.FailNext(1, clerkhasuratest.Fault{Status: tt.status})
			before := fc.Stats().Requests
			clock.Advance(43 * time.Second) // stale: the refresh fails
			_, err = c.Token(ctx)
			require.NoError(t, err, "served while the refresh runs")
			clerkhasura.WaitIdle(c)
			for clock.Now().Before(old.Expiry.Add(-5 * time.Second)) {
				tok, err := c.Token(ctx)
				if tt.kept {
					require.NoError(t, err, "valid until its early expiry")
					assert.Same(t, old, tok)
				} else {
					require.ErrorIs(t, err, tt.kind, "dropped at once")
				}
				clock.Advance(time.Second)
			}
			clock.Advance(time.Second) // past the early expiry, 5 s before Expiry
			for range 10 {
				_, err = c.Token(ctx)
				require.ErrorIs(t, err, tt.kind)
				clock.Advance(time.Second)
			}
			assert.Equal(t, before+1, fc.Stats().Requests, "not retried within MaxBackoff")
		})
	}
}

// TestClerkCacheFetchTimeoutNamesTheSession: a fetch past FetchTimeout
// fails as Clerk being unavailable, naming the session and template, and
// not as the caller's context.
func TestClerkCacheFetchTimeoutNamesTheSession(t *testing.T) {
	testkit.CheckLeaks(t)
	fc := clerkhasuratest.NewClerk(t, nil)
	defer fc.Close()
	sid := fc.CreateSession("user_1")
	c := sources.Cached(t, sources.Session(t, fc.SessionClient(), sid, "hasura", nil), &clerkhasura.CacheOptions{FetchTimeout: 20 * time.Millisecond})
	defer c.Close()
	fc.FailNext(1, clerkhasuratest.Fault{Latency: time.Minute})
	_, err := c.Token(context.Background())
	require.ErrorIs(t, err, clerkhasura.ErrClerkUnavailable)
	assert.NotErrorIs(t, err, context.DeadlineExceeded)
	var ce *clerkhasura.ClerkError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, sid, ce.SessionID)
	assert.Equal(t, "hasura", ce.Template)
	assert.True(t, ce.Temporary())
	assertNoSecrets(t, err, fc.SecretKey(), "eyJ.none.none")
}
