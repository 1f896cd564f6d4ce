package clerkhasura

import (
	"context"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func TestCacheColdMissSharesOneFetch(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	gate := src.hold()
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()

	const callers = 64
	toks := make([]*Token, callers)
	var wg sync.WaitGroup
	for i := range callers {
		wg.Go(func() {
			tok, err := c.Token(context.Background())
			assert.NoError(t, err)
			toks[i] = tok
		})
	}
	testkit.WaitFor(t, "every caller waits", func() bool { return c.Stats().Waits == callers })
	close(gate)
	wg.Wait()

	assert.Equal(t, 1, src.count())
	for _, tok := range toks {
		require.NotNil(t, tok)
		assert.Same(t, toks[0], tok)
	}
	st := c.Stats()
	assert.Equal(t, uint64(1), st.Mints)
	assert.Equal(t, uint64(callers), st.Waits)
}

func TestCacheWindowsScaleWithLifetime(t *testing.T) {
	tests := []struct {
		name              string
		lifetime, latency time.Duration
		opts              CacheOptions
		early, refreshIn  time.Duration
	}{
		{"30s", 30 * time.Second, 0, CacheOptions{}, time.Second, 2 * time.Second},
		{"60s", time.Minute, 0, CacheOptions{}, 2 * time.Second, 4 * time.Second},
		{"60s, 500ms fetches", time.Minute, 500 * time.Millisecond, CacheOptions{}, 2 * time.Second, 5500 * time.Millisecond},
		{"60s, 20s fetches", time.Minute, 20 * time.Second, CacheOptions{}, 2 * time.Second, 29 * time.Second},
		{"1h", time.Hour, 0, CacheOptions{}, 30 * time.Second, time.Minute},
		{"24h", 24 * time.Hour, time.Second, CacheOptions{}, 30 * time.Second, 63 * time.Second},
		{"2s stays usable", 2 * time.Second, 0, CacheOptions{}, 500 * time.Millisecond, 750 * time.Millisecond},
		{"set", time.Minute, time.Second, CacheOptions{EarlyExpiry: 2 * time.Second, RefreshWindow: 20 * time.Second}, 2 * time.Second, 20 * time.Second},
		{"set too large", time.Minute, 0, CacheOptions{EarlyExpiry: time.Hour, RefreshWindow: time.Hour}, 30 * time.Second, 15 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := tt.opts
			o.RefreshJitter = -1
			o.Clock = testkit.NewClock()
			eng := newEngine(&o, "", nil)
			eng.latency.Store(int64(tt.latency))
			e, err := eng.place(&Token{Value: "v", Expiry: o.Clock.Now().Add(tt.lifetime)}, 0)
			require.NoError(t, err)
			assert.Equal(t, tt.early, time.Duration(int64(tt.lifetime)-e.expireAt), "early expiry")
			assert.Equal(t, tt.refreshIn, time.Duration(e.expireAt-e.staleAt), "refresh window")
			assert.GreaterOrEqual(t, e.staleAt, int64(tt.lifetime)/4, "fresh for a good part of its life")
		})
	}
}

func TestCacheJitterSpreadsRefreshes(t *testing.T) {
	clock := testkit.NewClock()
	eng := newEngine(&CacheOptions{Clock: clock}, "", nil)
	seen := map[int64]bool{}
	for range 200 {
		e, err := eng.place(&Token{Value: "v", Expiry: clock.Now().Add(time.Minute)}, 0)
		require.NoError(t, err)
		window := time.Duration(e.expireAt - e.staleAt)
		assert.GreaterOrEqual(t, window, 4*time.Second)
		assert.LessOrEqual(t, window, 6*time.Second)
		seen[e.staleAt] = true
	}
	assert.Greater(t, len(seen), 100, "refresh times spread out")
}

func TestCacheServesStaleWhileOneRefreshRuns(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()
	ctx := context.Background()

	first, err := c.Token(ctx)
	require.NoError(t, err)
	clock.Advance(30 * time.Second)
	again, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Same(t, first, again, "fresh")

	gate := src.hold()
	clock.Advance(15 * time.Second) // 45 s: stale from 43 s, expired from 55 s
	for range 10 {
		tok, err := c.Token(ctx)
		require.NoError(t, err)
		assert.Same(t, first, tok, "stale token served at once")
	}
	testkit.WaitFor(t, "the refresh reaches the source", func() bool { return src.count() == 2 })
	assert.Equal(t, uint64(1), c.Stats().Refreshes, "exactly one refresh")
	close(gate)
	c.waitIdle()

	next, err := c.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.Value, next.Value)
	assert.Equal(t, clock.Now().Add(time.Minute), next.Expiry)
	st := c.Stats()
	assert.Equal(t, uint64(10), st.StaleServes)
	assert.Equal(t, uint64(1), st.Refreshes)
	assert.Equal(t, uint64(2), st.Mints)
}

func TestCacheInvalidate(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()
	ctx := context.Background()

	old, err := c.Token(ctx)
	require.NoError(t, err)
	c.Invalidate(old)
	cur, err := c.Token(ctx)
	require.NoError(t, err)
	require.NotEqual(t, old.Value, cur.Value, "the rejected token is dropped")

	c.Invalidate(old)
	c.Invalidate(&Token{Value: old.Value, Expiry: old.Expiry})
	again, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Same(t, cur, again, "an old token's rejection keeps the newer one")

	clock.Advance(defaultInvalidateInterval) // one forced drop per interval
	c.Invalidate(&Token{Value: cur.Value})   // same value, another pointer
	third, err := c.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, cur.Value, third.Value)

	clock.Advance(defaultInvalidateInterval)
	c.Invalidate(nil)
	_, err = c.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 4, src.count())
	assert.Equal(t, uint64(3), c.Stats().Invalidations)
}

func TestCacheCancelledCallerReturnsAtOnce(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	gate := src.hold()
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()

	ctx, cancel := context.WithCancel(context.Background())
	cancelled := make(chan error)
	go func() {
		_, err := c.Token(ctx)
		cancelled <- err
	}()
	other := make(chan *Token)
	go func() {
		tok, err := c.Token(context.Background())
		assert.NoError(t, err)
		other <- tok
	}()
	testkit.WaitFor(t, "both callers wait", func() bool { return c.Stats().Waits == 2 })
	cancel()
	require.ErrorIs(t, <-cancelled, context.Canceled, "returned while the fetch is still held")

	close(gate)
	tok := <-other
	require.NotNil(t, tok)
	assert.Equal(t, 1, src.count())

	done, cancel2 := context.WithCancel(context.Background())
	cancel2()
	cached, err := c.Token(done)
	require.NoError(t, err, "a cached token needs no wait")
	assert.Same(t, tok, cached)
}

// TestCacheLifetimeMeasuredFromFetchStart has a fetch take 3 s: the
// token's windows count its lifetime from when the fetch began, as the
// source anchored its Expiry.
func TestCacheLifetimeMeasuredFromFetchStart(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	t0 := clock.Now()
	src := sourceFunc(func(context.Context) (*Token, error) {
		clock.Advance(3 * time.Second)
		return &Token{Value: "eyJ.a.b", Expiry: t0.Add(time.Minute)}, nil
	})
	c := newCache(t, src, withClock(noJitter(), clock))
	defer c.Close()
	tok, err := c.Token(context.Background())
	require.NoError(t, err)
	assert.Equal(t, t0.Add(time.Minute), tok.Expiry)
	e := c.cur.Load()
	require.NotNil(t, e)
	eng := c.eng
	assert.Equal(t, eng.clock.at(t0.Add(55*time.Second)), e.expireAt, "early expiry of a 60 s token: 5 s")
	assert.Equal(t, eng.clock.at(t0.Add(43*time.Second)), e.staleAt, "refresh window of a 60 s token: 12 s")
}

func TestCacheClose(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	c := newCache(t, src, withClock(noJitter(), clock))
	_, err := c.Token(context.Background())
	require.NoError(t, err)

	src.hold()
	clock.Advance(2 * time.Minute)
	waiting := make(chan error)
	go func() {
		_, err := c.Token(context.Background())
		waiting <- err
	}()
	testkit.WaitFor(t, "the caller waits", func() bool { return c.Stats().Waits == 2 })
	c.Close() // cancels the held fetch and waits for it
	require.ErrorIs(t, <-waiting, ErrClosed)
	_, err = c.Token(context.Background())
	require.ErrorIs(t, err, ErrClosed)
	c.Close() // idempotent
}

func TestCacheDoesNotStack(t *testing.T) {
	c := newCache(t, newSynth(nil, time.Minute), nil)
	defer c.Close()
	assert.Same(t, c, newCache(t, c, &CacheOptions{FetchTimeout: time.Second}))
}

func TestCacheRejectsUnusableTokens(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name string
		tok  *Token
	}{
		{"nil", nil},
		{"empty", &Token{Expiry: time.Now().Add(time.Hour)}},
		{"expired", &Token{Value: "eyJ.secret.value", Expiry: time.Now().Add(-time.Second)}},
		{"no expiry", &Token{Value: "eyJ.secret.value"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newCache(t, sourceFunc(func(context.Context) (*Token, error) { return tt.tok, nil }), nil)
			defer c.Close()
			_, err := c.Token(context.Background())
			require.ErrorIs(t, err, ErrMalformedToken)
			assert.NotContains(t, err.Error(), "secret")
		})
	}
	c, err := NewCachedTokenSource(nil, nil)
	require.ErrorIs(t, err, ErrInvalidInput)
	assert.Nil(t, c)
}

func TestCacheHitAllocatesNothing(t *testing.T) {
	c := newCache(t, newSynth(nil, time.Hour), nil)
	defer c.Close()
	ctx := context.Background()
	_, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = c.Token(ctx) }))
}
