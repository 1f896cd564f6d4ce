package clerkhasura

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// refusalStorm plays an audience that refuses every token: n times, get a
// token, invalidate it and get the next. It returns how many times the
// next token was the refused one, served again at once.
func refusalStorm(t *testing.T, ts TokenSource, n int) (kept int) {
	t.Helper()
	inv := ts.(Invalidator)
	ctx := context.Background()
	for range n {
		tok, err := ts.Token(ctx)
		require.NoError(t, err)
		inv.Invalidate(tok)
		next, err := ts.Token(ctx)
		require.NoError(t, err)
		if next == tok {
			kept++
		}
	}
	return kept
}

// TestCacheInvalidateIsRateLimited: an audience refusing every token
// costs one forced mint per InvalidateInterval, not one per request; a
// refused Invalidate keeps the token, which Token returns at once.
func TestCacheInvalidateIsRateLimited(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()

	kept := refusalStorm(t, c, 100)
	assert.LessOrEqual(t, src.count(), 5, "100 refusals cost at most 5 mints")
	assert.Equal(t, 2, src.count(), "the first mint, and one forced mint")
	assert.Equal(t, 99, kept)
	st := c.Stats()
	assert.Equal(t, uint64(1), st.Invalidations)
	assert.Equal(t, uint64(99), st.RefusedInvalidations)

	clock.Advance(defaultInvalidateInterval - time.Nanosecond)
	assert.Equal(t, 100, refusalStorm(t, c, 100), "still within the interval")
	assert.Equal(t, 2, src.count())

	clock.Advance(time.Nanosecond)
	assert.Equal(t, 99, refusalStorm(t, c, 100), "one more drop once the interval is over")
	assert.Equal(t, 3, src.count())
}

// TestCacheInvalidateDropsTokenPastMidlife: a token past the middle of its
// usable life is dropped whenever asked, interval or not; before it, only
// once per interval.
func TestCacheInvalidateDropsTokenPastMidlife(t *testing.T) {
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	opts := withClock(noJitter(), clock)
	opts.InvalidateInterval = 10 * time.Minute
	c := newCache(t, src, opts)
	defer c.Close()
	ctx := context.Background()

	first, err := c.Token(ctx)
	require.NoError(t, err)
	c.Invalidate(first) // the first drop of the interval
	young, err := c.Token(ctx)
	require.NoError(t, err)
	require.NotEqual(t, first.Value, young.Value)

	// 60 s, expiring 5 s early: its midlife is 27.5 s after its fetch.
	clock.Advance(27 * time.Second)
	c.Invalidate(young)
	again, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Same(t, young, again, "before midlife, within the interval: kept")

	clock.Advance(time.Second)
	c.Invalidate(young)
	next, err := c.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, young.Value, next.Value, "past midlife: dropped")
	assert.Equal(t, 3, src.count())
}

func TestCacheInvalidateWithoutLimit(t *testing.T) {
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	opts := withClock(noJitter(), clock)
	opts.InvalidateInterval = -1
	c := newCache(t, src, opts)
	defer c.Close()

	assert.Zero(t, refusalStorm(t, c, 10))
	assert.Equal(t, 11, src.count())
	assert.Zero(t, c.Stats().RefusedInvalidations)
}

// TestSessionTokensInvalidateIsRateLimitedPerSession: each session has
// its own interval, and SessionTokens.Invalidate, which ends a session,
// is not limited.
func TestSessionTokensInvalidateIsRateLimitedPerSession(t *testing.T) {
	st, m, clock := newTestSessionTokens(t, nil)
	ctx := context.Background()

	assert.Equal(t, 99, refusalStorm(t, st.Source("sess_a"), 100))
	assert.Equal(t, 2, m.count("sess_a"))
	assert.Equal(t, 99, refusalStorm(t, st.Source("sess_b"), 100), "a session of its own")
	assert.Equal(t, 2, m.count("sess_b"))

	before, err := st.Source("sess_a").Token(ctx)
	require.NoError(t, err)
	st.EndSession("sess_a")
	after, err := st.Source("sess_a").Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, before.Value, after.Value, "the session's end drops its token at once")
	assert.Equal(t, 3, m.count("sess_a"))

	clock.Advance(defaultInvalidateInterval)
	assert.Equal(t, 99, refusalStorm(t, st.Source("sess_b"), 100))
	assert.Equal(t, 3, m.count("sess_b"))
}
