package clerkhasura_test

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// gate holds requests to the fake Clerk until opened, and counts those
// that arrived.
type gate struct {
	base    http.RoundTripper
	mu      sync.Mutex
	open    chan struct{}
	arrived int
}

func (g *gate) RoundTrip(r *http.Request) (*http.Response, error) {
	g.mu.Lock()
	g.arrived++
	open := g.open
	g.mu.Unlock()
	if open != nil {
		select {
		case <-open:
		case <-r.Context().Done():
			return nil, r.Context().Err()
		}
	}
	return g.base.RoundTrip(r)
}

// hold makes requests wait; the returned func lets them go.
func (g *gate) hold() func() {
	g.mu.Lock()
	defer g.mu.Unlock()
	open := make(chan struct{})
	g.open = open
	return func() {
		g.mu.Lock()
		g.open = nil
		g.mu.Unlock()
		close(open)
	}
}

func (g *gate) count() int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.arrived
}

// gatedClient is a session client for fc whose requests pass through a gate.
func gatedClient(fc *clerkhasuratest.Clerk) (*session.Client, *gate) {
	cfg := fc.BackendConfig()
	g := &gate{base: fc.HTTPClient().Transport}
	cfg.HTTPClient = &http.Client{Transport: g}
	return session.NewClient(&clerk.ClientConfig{BackendConfig: cfg}), g
}

// cachedSession is a cache over one session of fc, on clock. A nil opts
// pins the windows of Clerk's 60 s tokens: stale from 43 s, expired from
// 55 s.
func cachedSession(t testing.TB, fc *clerkhasuratest.Clerk, client *session.Client, clock clerkhasura.Clock, opts *clerkhasura.CacheOptions) *clerkhasura.CachedTokenSource {
	t.Helper()
	sid := fc.CreateSession("user_1")
	src := sources.Session(t, client, sid, "hasura", &clerkhasura.SessionSourceOptions{Clock: clock})
	if opts == nil {
		opts = &clerkhasura.CacheOptions{EarlyExpiry: 5 * time.Second, RefreshWindow: 12 * time.Second}
	}
	opts.Clock = clock
	opts.RefreshJitter = -1
	return sources.Cached(t, src, opts)
}

func TestClerkCacheColdMissMintsOnce(t *testing.T) {
	testkit.CheckLeaks(t)
	fc := clerkhasuratest.NewClerk(t, nil)
	defer fc.Close()
	client, g := gatedClient(fc)
	release := g.hold()
	c := cachedSession(t, fc, client, testkit.NewClock(), nil)
	defer c.Close()

	const callers = 64
	toks := make(chan *clerkhasura.Token, callers)
	var wg sync.WaitGroup
	for range callers {
		wg.Go(func() {
			tok, err := c.Token(context.Background())
			assert.NoError(t, err)
			toks <- tok
		})
	}
	testkit.WaitFor(t, "every caller waits", func() bool { return c.Stats().Waits == callers })
	release()
	wg.Wait()
	close(toks)
	first := <-toks
	for tok := range toks {
		assert.Same(t, first, tok)
	}
	assert.Equal(t, int64(1), fc.Stats().TokensMinted)
	assert.Equal(t, 1, g.count())
}

func TestClerkCacheServesStaleDuringOneRefresh(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	client, g := gatedClient(fc)
	clock := testkit.NewClock()
	c := cachedSession(t, fc, client, clock, nil)
	defer c.Close()
	ctx := context.Background()

	old, err := c.Token(ctx)
	require.NoError(t, err)
	release := g.hold()
	clock.Advance(45 * time.Second) // stale from 43 s
	for range 20 {
		tok, err := c.Token(ctx)
		require.NoError(t, err)
		assert.Same(t, old, tok)
	}
	testkit.WaitFor(t, "the refresh reaches Clerk", func() bool { return g.count() == 2 })
	release()
	clerkhasura.WaitIdle(c)
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, old.Value, tok.Value)
	assert.Equal(t, int64(2), fc.Stats().TokensMinted)
	assert.Equal(t, uint64(1), c.Stats().Refreshes)
}

// TestClerkCacheSharesClockWithSessionSource: a cache and the session
// source it wraps read one clock when only one of them was given one.
func TestClerkCacheSharesClockWithSessionSource(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	for name, build := range map[string]func(t *testing.T, client *session.Client, sid string, clock clerkhasura.Clock) *clerkhasura.CachedTokenSource{
		"cache clock": func(t *testing.T, client *session.Client, sid string, clock clerkhasura.Clock) *clerkhasura.CachedTokenSource {
			return sources.Cached(t, sources.Session(t, client, sid, "hasura", nil),
				&clerkhasura.CacheOptions{Clock: clock, RefreshJitter: -1})
		},
		"source clock": func(t *testing.T, client *session.Client, sid string, clock clerkhasura.Clock) *clerkhasura.CachedTokenSource {
			src := sources.Session(t, client, sid, "hasura",
				&clerkhasura.SessionSourceOptions{Clock: clock})
			return sources.Cached(t, src, &clerkhasura.CacheOptions{RefreshJitter: -1})
		},
	} {
		t.Run(name, func(t *testing.T) {
			clock := testkit.NewClock()
			c := build(t, fc.SessionClient(), fc.CreateSession("user_1"), clock)
			defer c.Close()
			ctx := context.Background()
			first, err := c.Token(ctx)
			require.NoError(t, err)
			assert.Equal(t, clock.Now().Add(59*time.Second), first.Expiry, "anchored on the shared clock")
			clock.Advance(30 * time.Second)
			again, err := c.Token(ctx)
			require.NoError(t, err)
			assert.Same(t, first, again, "fresh on the shared clock")
			clock.Advance(time.Minute)
			next, err := c.Token(ctx)
			require.NoError(t, err)
			assert.NotEqual(t, first.Value, next.Value, "expired on the shared clock")
			assert.Equal(t, uint64(2), c.Stats().Mints)
		})
	}
}

func TestClerkCacheClockSkewCausesNoExtraMints(t *testing.T) {
	mints := map[time.Duration]int64{}
	for _, skew := range []time.Duration{0, -10 * time.Minute, 10 * time.Minute} {
		clock := testkit.NewClock()
		fc := skewedClerk(t, clock, skew)
		st := sources.SessionTokens(t, fc.SessionClient(), "hasura",
			&clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: clock, RefreshJitter: -1}})
		src := st.Source(fc.CreateSession("user_1"))
		for range 600 { // ten minutes, a request a second
			tok, err := src.Token(context.Background())
			require.NoError(t, err, "skew %s", skew)
			require.True(t, clock.Now().Before(tok.Expiry))
			clerkhasura.WaitIdle(src)
			clock.Advance(time.Second)
		}
		st.Close()
		mints[skew] = fc.Stats().TokensMinted
	}
	assert.Equal(t, mints[0], mints[-10*time.Minute], "host clock 10 min fast")
	assert.Equal(t, mints[0], mints[10*time.Minute], "host clock 10 min slow")
	assert.LessOrEqual(t, mints[0], int64(14), "at most 1.4 per 60 s token")
	assert.GreaterOrEqual(t, mints[0], int64(10))
}

func TestClerkCacheInvalidateKeepsNewerToken(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	clock := testkit.NewClock()
	c := cachedSession(t, fc, fc.SessionClient(), clock, nil)
	defer c.Close()
	ctx := context.Background()

	old, err := c.Token(ctx)
	require.NoError(t, err)
	clock.Advance(50 * time.Second) // stale: a refresh replaces it
	_, err = c.Token(ctx)
	require.NoError(t, err)
	clerkhasura.WaitIdle(c)
	newer, err := c.Token(ctx)
	require.NoError(t, err)
	require.NotEqual(t, old.Value, newer.Value)

	c.Invalidate(old) // Hasura rejected a request sent with the old token
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Same(t, newer, tok)
	assert.Equal(t, int64(2), fc.Stats().TokensMinted)
}

func TestClerkCacheCancelledCallerLeavesFetchToOthers(t *testing.T) {
	testkit.CheckLeaks(t)
	fc := clerkhasuratest.NewClerk(t, nil)
	defer fc.Close()
	client, g := gatedClient(fc)
	release := g.hold()
	c := cachedSession(t, fc, client, testkit.NewClock(), nil)
	defer c.Close()

	ctx, cancel := context.WithCancel(context.Background())
	gaveUp := make(chan error)
	go func() {
		_, err := c.Token(ctx)
		gaveUp <- err
	}()
	got := make(chan error)
	go func() {
		_, err := c.Token(context.Background())
		got <- err
	}()
	testkit.WaitFor(t, "both wait", func() bool { return c.Stats().Waits == 2 })
	cancel()
	require.ErrorIs(t, <-gaveUp, context.Canceled, "returned while Clerk is still held")
	release()
	require.NoError(t, <-got)
	assert.Equal(t, int64(1), fc.Stats().TokensMinted)
}

func TestClerkSessionTokensCloseLeavesNoGoroutine(t *testing.T) {
	testkit.CheckLeaks(t)
	fc := clerkhasuratest.NewClerk(t, nil)
	defer fc.Close()
	client, g := gatedClient(fc)
	st := sources.SessionTokens(t, client, "hasura", nil)
	for range 3 {
		_, err := st.Source(fc.CreateSession("u")).Token(context.Background())
		require.NoError(t, err)
	}
	g.hold()
	waiting := make(chan error)
	go func() {
		_, err := st.Source(fc.CreateSession("u")).Token(context.Background())
		waiting <- err
	}()
	testkit.WaitFor(t, "a fetch is under way", func() bool { return g.count() == 4 })
	st.Close()
	require.ErrorIs(t, <-waiting, clerkhasura.ErrClosed)
}

// TestClerkSessionTokensRefusedTokensMintBounded: with Hasura refusing
// every token (trusting another instance's keys, say), 100 requests that
// each invalidate the token they were refused cost at most 5 Clerk mints.
func TestClerkSessionTokensRefusedTokensMintBounded(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	clock := testkit.NewClock()
	st := sources.SessionTokens(t, fc.SessionClient(), "hasura", &clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: clock}})
	defer st.Close()
	src := st.Source(fc.CreateSession("user_1"))
	inv := src.(clerkhasura.Invalidator)
	ctx := context.Background()
	for range 100 {
		tok, err := src.Token(ctx)
		require.NoError(t, err)
		inv.Invalidate(tok) // what Transport does on Hasura's refusal
		clock.Advance(50 * time.Millisecond)
	}
	assert.LessOrEqual(t, fc.Stats().TokensMinted, int64(5))
	assert.Equal(t, int64(2), fc.Stats().TokensMinted, "the first mint, and one forced mint in 5 s")
}
