package clerkhasura

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func TestCacheFailedRefreshServesUntilExpiryThenError(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	opts := withClock(noJitter(), clock)
	opts.MinBackoff = 2 * time.Second
	c := newCache(t, src, opts)
	defer c.Close()
	ctx := context.Background()

	first, err := c.Token(ctx)
	require.NoError(t, err)
	src.fail(unavailable(0), unavailable(0), unavailable(0), unavailable(0), unavailable(0))

	// Stale from 43 s, expired from 55 s; each failure backs off ≥ 1 s.
	for at := 44; at < 55; at++ {
		clock.Advance(time.Second)
		if at == 44 {
			clock.Advance(43 * time.Second)
		}
		tok, err := c.Token(ctx)
		require.NoError(t, err, "at %d s", at)
		assert.Same(t, first, tok, "at %d s", at)
		c.waitIdle()
	}
	fetches := src.count()
	assert.Greater(t, fetches, 2, "refresh retried while the token was valid")
	assert.Less(t, fetches, 12, "with back-off")

	clock.Advance(time.Second) // 55 s: expired
	_, err = c.Token(ctx)
	require.ErrorIs(t, err, ErrClerkUnavailable)
	var ce *ClerkError
	require.ErrorAs(t, err, &ce)
	assert.True(t, ce.Temporary())
	assert.GreaterOrEqual(t, c.Stats().Failures, uint64(2))
}

func TestCachePermanentErrorKeepsValidTokenAndIsNotRetried(t *testing.T) {
	for _, kind := range []error{ErrInvalidSecretKey, ErrClerkRejected} {
		t.Run(kind.Error(), func(t *testing.T) {
			testkit.CheckLeaks(t)
			clock := testkit.NewClock()
			src := newSynth(clock, time.Minute)
			c := newCache(t, src, withClock(noJitter(), clock))
			defer c.Close()
			ctx := context.Background()

			first, err := c.Token(ctx)
			require.NoError(t, err)
			src.fail(&ClerkError{SessionID: "sess_1", Template: "hasura", Kind: kind})
			clock.Advance(43 * time.Second) // stale: a refresh starts, and fails
			for clock.Now().Before(first.Expiry.Add(-5 * time.Second)) {
				tok, err := c.Token(ctx)
				require.NoError(t, err, "served until its early expiry")
				assert.Same(t, first, tok)
				c.waitIdle()
				clock.Advance(time.Second)
			}
			assert.Equal(t, 2, src.count(), "one refresh, not retried within MaxBackoff")

			for range 5 {
				_, err = c.Token(ctx)
				require.ErrorIs(t, err, kind, "expired: the error")
			}
			assert.Equal(t, 2, src.count())
			clock.Advance(defaultMaxBackoff - 12*time.Second)
			tok, err := c.Token(ctx)
			require.NoError(t, err, "asked again once the back-off is over")
			assert.NotEqual(t, first.Value, tok.Value)
			assert.Equal(t, 3, src.count())
		})
	}
}

func TestCacheSessionGoneDropsTokenAndIsNotRetried(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()
	ctx := context.Background()

	_, err := c.Token(ctx)
	require.NoError(t, err)
	src.fail(gone())
	clock.Advance(50 * time.Second) // stale
	_, err = c.Token(ctx)
	require.NoError(t, err, "the stale token is served while the refresh runs")
	c.waitIdle()

	for range 5 {
		_, err = c.Token(ctx)
		require.ErrorIs(t, err, ErrSessionGone)
	}
	assert.Equal(t, 2, src.count(), "a permanent error is not retried")

	clock.Advance(defaultMaxBackoff)
	tok, err := c.Token(ctx)
	require.NoError(t, err, "asked again once the back-off is over")
	assert.True(t, clock.Now().Before(tok.Expiry))
}

func TestCacheBackoffWithoutTokenHonoursRetryAfter(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	src.fail(unavailable(30 * time.Second))
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()
	ctx := context.Background()

	_, err := c.Token(ctx)
	require.ErrorIs(t, err, ErrClerkUnavailable)
	clock.Advance(29 * time.Second)
	_, err = c.Token(ctx)
	require.ErrorIs(t, err, ErrClerkUnavailable, "the last error, while backing off")
	assert.Equal(t, 1, src.count())

	clock.Advance(time.Second)
	_, err = c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, src.count())
}

func TestCacheBackoffGrows(t *testing.T) {
	o := (&CacheOptions{MinBackoff: time.Second, MaxBackoff: 8 * time.Second}).resolved()
	for failures, hi := range map[int32]time.Duration{1: time.Second, 2: 2 * time.Second, 3: 4 * time.Second, 4: 8 * time.Second, 9: 8 * time.Second} {
		for range 50 {
			b := o.backoff(failures, errors.New("x"))
			assert.GreaterOrEqual(t, b, hi/2)
			assert.LessOrEqual(t, b, hi)
		}
	}
	assert.Equal(t, 8*time.Second, o.backoff(1, gone()), "permanent: the longest wait")
	malformed := &ClerkError{StatusCode: 200, Kind: ErrMalformedToken}
	assert.LessOrEqual(t, o.backoff(1, malformed), time.Second, "a garbled reply is temporary")
	assert.LessOrEqual(t, o.backoff(1, errEmptyToken), time.Second)
	assert.Equal(t, 20*time.Second, o.backoff(1, unavailable(20*time.Second)), "Retry-After")
}

// TestCacheMalformedTokenIsTemporary: a garbled token, whether the source
// or the cache found it so, is asked for again after MinBackoff.
func TestCacheMalformedTokenIsTemporary(t *testing.T) {
	testkit.CheckLeaks(t)
	for name, bad := range map[string]func() (*Token, error){
		"source":    func() (*Token, error) { return nil, &ClerkError{StatusCode: 200, Kind: ErrMalformedToken} },
		"cache":     func() (*Token, error) { return &Token{}, nil },
		"no expiry": func() (*Token, error) { return &Token{Value: "eyJ.a.b"}, nil },
	} {
		t.Run(name, func(t *testing.T) {
			clock := testkit.NewClock()
			good := newSynth(clock, time.Minute)
			var calls int
			src := sourceFunc(func(ctx context.Context) (*Token, error) {
				if calls++; calls == 1 {
					return bad()
				}
				return good.Token(ctx)
			})
			opts := withClock(noJitter(), clock)
			opts.MinBackoff = 2 * time.Second
			c := newCache(t, src, opts)
			defer c.Close()
			_, err := c.Token(context.Background())
			require.ErrorIs(t, err, ErrMalformedToken)
			assert.False(t, permanent(err))
			clock.Advance(2 * time.Second)
			_, err = c.Token(context.Background())
			require.NoError(t, err, "asked again after MinBackoff")
			assert.Equal(t, 2, calls)
		})
	}
}

func TestCacheFetchTimeout(t *testing.T) {
	testkit.CheckLeaks(t)
	opts := &CacheOptions{FetchTimeout: 20 * time.Millisecond}
	check := func(t *testing.T, err error, session, template string) {
		t.Helper()
		require.ErrorIs(t, err, ErrClerkUnavailable)
		assert.NotErrorIs(t, err, context.DeadlineExceeded, "the caller's context did not end")
		var ce *ClerkError
		require.ErrorAs(t, err, &ce)
		assert.True(t, ce.Temporary())
		assert.Equal(t, session, ce.SessionID)
		assert.Equal(t, template, ce.Template)
		assert.Contains(t, err.Error(), "the token fetch timed out after 20ms")
		var timeout interface{ Timeout() bool }
		require.ErrorAs(t, err, &timeout)
		assert.True(t, timeout.Timeout())
	}
	t.Run("CachedTokenSource", func(t *testing.T) {
		src := newSynth(nil, time.Minute)
		src.hold()
		c := newCache(t, src, opts)
		defer c.Close()
		_, err := c.Token(context.Background())
		check(t, err, "", "")
	})
	t.Run("SessionTokens", func(t *testing.T) {
		src := newSynth(nil, time.Minute)
		src.hold()
		st := newSessionTokens("hasura", &SessionTokensOptions{CacheOptions: *opts}, func(ctx context.Context, _ string) (*Token, error) { return src.Token(ctx) })
		defer st.Close()
		_, err := st.Source("sess_1").Token(context.Background())
		check(t, err, "sess_1", "hasura")
	})
	t.Run("the caller's own deadline", func(t *testing.T) {
		src := newSynth(nil, time.Minute)
		src.hold()
		c := newCache(t, src, nil)
		defer c.Close()
		ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
		defer cancel()
		_, err := c.Token(ctx)
		assert.Equal(t, context.DeadlineExceeded, err)
	})
}
