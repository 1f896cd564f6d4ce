package clerkhasura_test

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// holdFixture is a SessionTokens over a fake Clerk with one warm session,
// whose token was minted before Clerk began to fail, and many cold ones.
type holdFixture struct {
	fc    *clerkhasuratest.Clerk
	clock *testkit.Clock
	st    *clerkhasura.SessionTokens
	warm  string
	cold  []string
	tok   *clerkhasura.Token
}

func newHoldFixture(t *testing.T, cold int) *holdFixture {
	f := &holdFixture{fc: clerkhasuratest.NewClerk(t, nil), clock: testkit.NewClock()}
	f.st = sources.SessionTokens(t, f.fc.SessionClient(), "hasura",
		&clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: f.clock, RefreshJitter: -1}})
	t.Cleanup(func() { f.st.Close() })
	f.warm = f.fc.CreateSession("user_warm")
	var err error
	f.tok, err = f.st.Source(f.warm).Token(context.Background())
	require.NoError(t, err)
	for range cold {
		f.cold = append(f.cold, f.fc.CreateSession("user_cold"))
	}
	return f
}

// TestClerkSessionTokensBackOffIsInstanceWide: Clerk's rate limit is per
// instance, so a 429 or an outage met by one session's fetch holds back
// every session's fetch until the wait is over. 300 cold sessions cost one
// request, not 300; each fails at once with the cause's kind and the wait
// that remains; a valid token is still served, even stale, without a
// refresh.
func TestClerkSessionTokensBackOffIsInstanceWide(t *testing.T) {
	for _, tt := range []struct {
		name   string
		fault  clerkhasuratest.Fault
		kind   error
		status int
		wait   time.Duration // the longest wait the hold may take
	}{
		{"429 Retry-After 60", clerkhasuratest.Fault{Status: 429, RetryAfter: time.Minute}, clerkhasura.ErrRateLimited, 429, time.Minute},
		{"503", clerkhasuratest.Fault{Status: 503}, clerkhasura.ErrClerkUnavailable, 503, clerkhasura.DefaultMinBackoff},
		{"proxy's HTML 502", clerkhasuratest.Fault{Status: 502, Body: "<html>bad gateway</html>"}, clerkhasura.ErrClerkUnavailable, 0, clerkhasura.DefaultMinBackoff},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := newHoldFixture(t, 300)
			ctx := context.Background()
			tt.fault.Path = "/tokens"
			f.fc.FailNext(1000, tt.fault)
			before := f.fc.Stats().Requests

			for i, sid := range f.cold {
				_, err := f.st.Source(sid).Token(ctx)
				require.ErrorIs(t, err, tt.kind)
				var ce *clerkhasura.ClerkError
				require.ErrorAs(t, err, &ce)
				assert.Equal(t, sid, ce.SessionID)
				assert.Equal(t, tt.status, ce.StatusCode)
				assert.True(t, ce.Temporary())
				if tt.status == 429 || i > 0 {
					assert.Positive(t, ce.RetryAfter, "the wait that remains")
					assert.LessOrEqual(t, ce.RetryAfter, tt.wait)
				}
			}
			assert.Equal(t, int64(1), f.fc.Stats().Requests-before, "one request for 300 cold sessions")
			assert.Equal(t, uint64(299), f.st.Stats().HeldBack)

			tok, err := f.st.Source(f.warm).Token(ctx)
			require.NoError(t, err, "a valid token is still served")
			assert.Same(t, f.tok, tok)
			if tt.status == 429 {
				f.clock.Advance(45 * time.Second) // stale, but the hold lasts
				tok, err = f.st.Source(f.warm).Token(ctx)
				require.NoError(t, err)
				assert.Same(t, f.tok, tok)
				clerkhasura.WaitIdle(f.st.Source(f.warm))
				assert.Equal(t, int64(1), f.fc.Stats().Requests-before, "no refresh while held")
			}

			f.fc.ClearFaults()
			f.clock.Advance(tt.wait)
			_, err = f.st.Source(f.cold[0]).Token(ctx)
			require.NoError(t, err, "the wait is over")
			_, err = f.st.Source(f.cold[1]).Token(ctx)
			require.NoError(t, err)
		})
	}
}

// TestClerkSessionTokensBackOffBoundsConcurrentColdSessions: with 8
// callers at a time, only the fetches already under way when the first
// 429 arrives reach Clerk.
func TestClerkSessionTokensBackOffBoundsConcurrentColdSessions(t *testing.T) {
	const workers = 8
	f := newHoldFixture(t, 300)
	f.fc.FailNext(1000, clerkhasuratest.Fault{Status: 429, RetryAfter: time.Minute, Path: "/tokens"})
	before := f.fc.Stats().Requests
	ids := make(chan string)
	var wg sync.WaitGroup
	for range workers {
		wg.Go(func() {
			for sid := range ids {
				_, err := f.st.Source(sid).Token(context.Background())
				assert.ErrorIs(t, err, clerkhasura.ErrRateLimited)
			}
		})
	}
	for _, sid := range f.cold {
		ids <- sid
	}
	close(ids)
	wg.Wait()
	assert.LessOrEqual(t, f.fc.Stats().Requests-before, int64(workers))
}

// TestClerkSessionTokensBackOffSparesOtherErrors: a session's own
// failure (404: it ended) holds back no other session.
func TestClerkSessionTokensBackOffSparesOtherErrors(t *testing.T) {
	f := newHoldFixture(t, 2)
	f.fc.RevokeSession(f.cold[0])
	_, err := f.st.Source(f.cold[0]).Token(context.Background())
	require.ErrorIs(t, err, clerkhasura.ErrSessionGone)
	_, err = f.st.Source(f.cold[1]).Token(context.Background())
	require.NoError(t, err)
	assert.Zero(t, f.st.Stats().HeldBack)
}
