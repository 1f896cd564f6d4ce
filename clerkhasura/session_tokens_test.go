package clerkhasura

import (
	"context"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// sessionMinter mints synthetic tokens per session and counts them.
type sessionMinter struct {
	clock    Clock
	lifetime time.Duration
	mu       sync.Mutex
	mints    map[string]int
}

func (m *sessionMinter) fetch(_ context.Context, id string) (*Token, error) {
	m.mu.Lock()
	m.mints[id]++
	n := m.mints[id]
	m.mu.Unlock()
	now := m.clock.Now()
	return &Token{Value: testkit.FakeJWT(now, m.lifetime, fmt.Sprint(id, "#", n), 0), Expiry: now.Add(m.lifetime)}, nil
}

func (m *sessionMinter) count(id string) int {
	m.mu.Lock()
	defer m.mu.Unlock()
	return m.mints[id]
}

// sweepClock is a test clock that counts the idle sweeps scheduled on it,
// and with noSweeps set never runs them.
type sweepClock struct {
	*testkit.Clock
	scheduled atomic.Int32
	noSweeps  bool
}

func (c *sweepClock) AfterFunc(d time.Duration, f func()) func() bool {
	c.scheduled.Add(1)
	if c.noSweeps {
		return func() bool { return true }
	}
	return c.Clock.AfterFunc(d, f)
}

// sweepAfter moves the clock by d, which must reach st's next idle sweep,
// and waits for that sweep to end.
func (c *sweepClock) sweepAfter(t *testing.T, st *SessionTokens, d time.Duration) {
	t.Helper()
	n := c.scheduled.Load()
	c.Advance(d)
	testkit.WaitFor(t, "the next sweep is scheduled", func() bool { return c.scheduled.Load() > n })
	st.mu.Lock() // held by the sweep until it ends
	defer st.mu.Unlock()
}

func newTestSessionTokens(t *testing.T, opts *SessionTokensOptions) (*SessionTokens, *sessionMinter, *sweepClock) {
	t.Helper()
	if opts == nil {
		opts = &SessionTokensOptions{}
	}
	clock, ok := opts.Clock.(*sweepClock)
	if !ok {
		clock = &sweepClock{Clock: testkit.NewClock()}
	}
	opts.Clock = clock
	opts.RefreshJitter = -1
	m := &sessionMinter{clock: clock, lifetime: time.Minute, mints: map[string]int{}}
	st := newSessionTokens("hasura", opts, m.fetch)
	t.Cleanup(st.Close)
	return st, m, clock
}

func TestSessionTokensKeepsSessionsApart(t *testing.T) {
	st, m, _ := newTestSessionTokens(t, nil)
	ctx := context.Background()
	a1, err := st.Source("sess_a").Token(ctx)
	require.NoError(t, err)
	b1, err := st.Source("sess_b").Token(ctx)
	require.NoError(t, err)
	a2, err := st.Source("sess_a").Token(ctx)
	require.NoError(t, err)

	assert.Same(t, a1, a2)
	assert.NotEqual(t, a1.Value, b1.Value)
	assert.Equal(t, 1, m.count("sess_a"))
	assert.Equal(t, 1, m.count("sess_b"))
	assert.Same(t, st.Source("sess_a"), st.Source("sess_a"), "one source per session")
	s := st.Stats()
	assert.Equal(t, 2, s.Sessions)
	assert.Equal(t, uint64(2), s.Mints)
}

func TestSessionTokensSourceHitAllocatesNothing(t *testing.T) {
	st, _, _ := newTestSessionTokens(t, nil)
	ctx := context.Background()
	_, err := st.Source("sess_a").Token(ctx)
	require.NoError(t, err)
	id := string([]byte("sess_a")) // not the string the cache keeps
	assert.Zero(t, testing.AllocsPerRun(100, func() { _, _ = st.Source(id).Token(ctx) }))
}

func TestSessionTokensEvictsLeastRecentlyUsed(t *testing.T) {
	st, m, clock := newTestSessionTokens(t, &SessionTokensOptions{MaxSessions: 3})
	ctx := context.Background()
	held := st.Source("sess_1")
	for _, id := range []string{"sess_1", "sess_2", "sess_3"} {
		_, err := st.Source(id).Token(ctx)
		require.NoError(t, err)
		clock.Advance(2 * time.Second)
	}
	_, err := held.Token(ctx) // sess_1 is now the most recently used
	require.NoError(t, err)
	_, err = st.Source("sess_4").Token(ctx)
	require.NoError(t, err)

	s := st.Stats()
	assert.Equal(t, 3, s.Sessions)
	assert.Equal(t, uint64(1), s.Evictions)
	_, err = held.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1, m.count("sess_1"), "kept")
	_, err = st.Source("sess_2").Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, m.count("sess_2"), "evicted, so minted again")
}

func TestSessionTokensHeldSourceSurvivesEviction(t *testing.T) {
	st, m, _ := newTestSessionTokens(t, &SessionTokensOptions{MaxSessions: 1})
	ctx := context.Background()
	held := st.Source("sess_1")
	first, err := held.Token(ctx)
	require.NoError(t, err)
	_, err = st.Source("sess_2").Token(ctx) // evicts sess_1
	require.NoError(t, err)

	tok, err := held.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, first.Value, tok.Value)
	assert.Equal(t, 2, m.count("sess_1"))
	assert.Same(t, st.Source("sess_1"), st.Source("sess_1"))
	assert.Equal(t, 1, st.Stats().Sessions)
}

// TestSessionTokensHeldSourceInvalidatesAfterEviction: the token a held
// source hands out after its session was evicted comes from the session's
// current entry, and so must its Invalidate reach it, or a transport would
// get the rejected token back.
func TestSessionTokensHeldSourceInvalidatesAfterEviction(t *testing.T) {
	for name, evict := range map[string]func(st *SessionTokens, clock *sweepClock){
		"LRU": func(st *SessionTokens, _ *sweepClock) {
			_, err := st.Source("sess_2").Token(context.Background())
			require.NoError(t, err)
		},
		"idle": func(st *SessionTokens, clock *sweepClock) {
			clock.sweepAfter(t, st, defaultIdleTimeout)
			require.Equal(t, uint64(1), st.Stats().Evictions)
		},
	} {
		t.Run(name, func(t *testing.T) {
			st, m, clock := newTestSessionTokens(t, &SessionTokensOptions{MaxSessions: 1})
			ctx := context.Background()
			held := st.Source("sess_1")
			inv := held.(Invalidator)
			_, err := held.Token(ctx)
			require.NoError(t, err)
			evict(st, clock)

			tok, err := held.Token(ctx)
			require.NoError(t, err)
			assert.Equal(t, 2, m.count("sess_1"))
			inv.Invalidate(tok)
			next, err := held.Token(ctx)
			require.NoError(t, err)
			assert.NotEqual(t, tok.Value, next.Value, "the rejected token was dropped")
			assert.Equal(t, 3, m.count("sess_1"))

			inv.Invalidate(tok) // already replaced: the newer one stays
			again, err := held.Token(ctx)
			require.NoError(t, err)
			assert.Same(t, next, again)
			assert.Equal(t, uint64(1), st.Stats().Invalidations)
		})
	}
}

// TestSessionTokensDeadEntry: a dropped entry asks for the session's
// current entry once; one dropped again meanwhile serves the call itself,
// uncached. Its Invalidate does not bring the session back.
func TestSessionTokensDeadEntry(t *testing.T) {
	st, m, clock := newTestSessionTokens(t, nil)
	ctx := context.Background()
	c := st.Source("sess_1").(*CachedTokenSource)
	st.EndSession("sess_1")
	c.Invalidate(nil)
	assert.Equal(t, 0, st.Stats().Sessions, "Invalidate did not bring the session back")

	tok, err := c.slow(ctx, c.eng.clock.nanos(), false)
	require.NoError(t, err)
	assert.True(t, clock.Now().Before(tok.Expiry))
	assert.Nil(t, c.cur.Load(), "a dead entry caches nothing")
	assert.Equal(t, 1, m.count("sess_1"))
	assert.Equal(t, 0, st.Stats().Sessions)

	held, err := c.Token(ctx)
	require.NoError(t, err, "served by the session's new entry")
	assert.Equal(t, 1, st.Stats().Sessions)
	again, err := st.Source("sess_1").Token(ctx)
	require.NoError(t, err)
	assert.Same(t, held, again)
	assert.Equal(t, 2, m.count("sess_1"))
}

func TestSessionTokensDropsIdleSessions(t *testing.T) {
	st, m, clock := newTestSessionTokens(t, &SessionTokensOptions{IdleTimeout: 5 * time.Minute})
	ctx := context.Background()
	for _, id := range []string{"sess_1", "sess_2", "sess_3"} {
		_, err := st.Source(id).Token(ctx)
		require.NoError(t, err)
	}
	clock.sweepAfter(t, st, 4*time.Minute)
	assert.Zero(t, st.Stats().Evictions)
	_, err := st.Source("sess_3").Token(ctx)
	require.NoError(t, err)
	kept := st.Source("sess_3")
	clock.sweepAfter(t, st, time.Minute)
	assert.Equal(t, 1, st.Stats().Sessions, "sess_1 and sess_2 idle for 5 min")
	assert.Equal(t, uint64(2), st.Stats().Evictions)
	assert.Same(t, kept, st.Source("sess_3"))
	_, err = st.Source("sess_1").Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2, m.count("sess_1"), "minted anew")
}

func TestSessionTokensDropsIdleSessionsWhenAdding(t *testing.T) {
	clock := &sweepClock{Clock: testkit.NewClock(), noSweeps: true}
	st, _, _ := newTestSessionTokens(t, &SessionTokensOptions{CacheOptions: CacheOptions{Clock: clock}, IdleTimeout: time.Minute})
	ctx := context.Background()
	for i := range 3 {
		_, err := st.Source(fmt.Sprint("sess_", i)).Token(ctx)
		require.NoError(t, err)
	}
	clock.Advance(time.Minute)
	st.Source("sess_new") // drops up to four idle sessions
	assert.Equal(t, uint64(3), st.Stats().Evictions)
	assert.Equal(t, 1, st.Stats().Sessions)
}

func TestSessionTokensEndSession(t *testing.T) {
	st, m, _ := newTestSessionTokens(t, nil)
	ctx := context.Background()
	src := st.Source("sess_1")
	old, err := src.Token(ctx)
	require.NoError(t, err)

	inv, ok := src.(Invalidator)
	require.True(t, ok, "the transport drops rejected tokens through this")
	inv.Invalidate(old)
	newer, err := src.Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, old.Value, newer.Value)
	inv.Invalidate(old)
	again, err := src.Token(ctx)
	require.NoError(t, err)
	assert.Same(t, newer, again, "a stale rejection keeps the newer token")

	st.EndSession("sess_1")
	assert.Equal(t, 0, st.Stats().Sessions)
	_, err = src.Token(ctx)
	require.NoError(t, err)
	assert.Equal(t, 3, m.count("sess_1"))
	st.EndSession("sess_unknown")
	assert.Equal(t, uint64(2), st.Stats().Invalidations)
}

func TestSessionTokensRejectsBadSessionIDs(t *testing.T) {
	st, _, _ := newTestSessionTokens(t, nil)
	for _, id := range []string{"", "sess/1", "sess?x", "sess#x", "a.b.c", "sess 1", string(make([]byte, 200))} {
		_, err := st.Source(id).Token(context.Background())
		require.ErrorIs(t, err, ErrInvalidInput, "%q", id)
		var ie *InputError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "session ID", ie.Field)
		if id != "" {
			assert.NotContains(t, err.Error(), id)
		}
	}
	assert.Equal(t, 0, st.Stats().Sessions)
}

func TestSessionTokensSharesFetchPerSession(t *testing.T) {
	st, m, _ := newTestSessionTokens(t, nil)
	ctx := context.Background()
	var wg sync.WaitGroup
	for i := range 64 {
		wg.Go(func() {
			_, err := st.Source(fmt.Sprint("sess_", i%4)).Token(ctx)
			assert.NoError(t, err)
		})
	}
	wg.Wait()
	for i := range 4 {
		assert.Equal(t, 1, m.count(fmt.Sprint("sess_", i)))
	}
}

func TestSessionTokensClose(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	gate := src.hold()
	st := newSessionTokens("hasura", &SessionTokensOptions{CacheOptions: CacheOptions{Clock: clock}}, func(ctx context.Context, _ string) (*Token, error) {
		return src.Token(ctx)
	})
	waiting := make(chan error)
	held := st.Source("sess_1")
	go func() {
		_, err := held.Token(context.Background())
		waiting <- err
	}()
	testkit.WaitFor(t, "the caller waits", func() bool { return st.Stats().Waits == 1 })
	st.Close()
	require.ErrorIs(t, <-waiting, ErrClosed)
	close(gate)
	_, err := held.Token(context.Background())
	require.ErrorIs(t, err, ErrClosed)
	_, err = st.Source("sess_2").Token(context.Background())
	require.ErrorIs(t, err, ErrClosed)
	assert.Equal(t, 0, st.Stats().Sessions)
	st.Close() // idempotent
}

func TestCachedSourceOverSessionTokensSharesTheEntry(t *testing.T) {
	st, m, _ := newTestSessionTokens(t, nil)
	ctx := context.Background()
	c := newCache(t, st.Source("sess_1"), nil)
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	c.Invalidate(tok)
	direct, err := st.Source("sess_1").Token(ctx)
	require.NoError(t, err)
	assert.NotEqual(t, tok.Value, direct.Value, "the invalidation reached the one cache")
	c.Close()
	_, err = st.Source("sess_1").Token(ctx)
	require.NoError(t, err, "closing the wrapper leaves the SessionTokens open")
	assert.Equal(t, 2, m.count("sess_1"))
	assert.Equal(t, st.Stats(), c.Stats())
}

// TestSessionTokensConcurrentChurn runs lookups, mints, evictions, idle
// sweeps and invalidations at once, for the race detector.
func TestSessionTokensConcurrentChurn(t *testing.T) {
	st, _, clock := newTestSessionTokens(t, &SessionTokensOptions{MaxSessions: 20, IdleTimeout: time.Minute})
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				id := fmt.Sprint("sess_", (g*7+i)%50)
				src := st.Source(id)
				// Read before the call: another goroutine may move the
				// clock between Token's return and a check after it.
				asked := clock.Now()
				tok, err := src.Token(ctx)
				if !assert.NoError(t, err) {
					return
				}
				assert.True(t, asked.Before(tok.Expiry), "valid when it was asked for")
				switch i % 25 {
				case 0:
					st.EndSession(id)
				case 1:
					src.(Invalidator).Invalidate(tok)
				case 2:
					clock.Advance(time.Second) // idle sweeps run every 15 s
				}
			}
		})
	}
	wg.Wait()
	s := st.Stats()
	assert.LessOrEqual(t, s.Sessions, 20)
	assert.Positive(t, s.Evictions)
}

// TestSessionTokensIdleSweepFollowsTheClock: idle sessions are dropped
// when the injected clock moves past IdleTimeout, with no real time
// spent and no call to add a session.
func TestSessionTokensIdleSweepFollowsTheClock(t *testing.T) {
	clock := testkit.NewClock()
	m := &sessionMinter{clock: clock, lifetime: time.Hour, mints: map[string]int{}}
	st := newSessionTokens("hasura", &SessionTokensOptions{CacheOptions: CacheOptions{Clock: clock}}, m.fetch)
	defer st.Close()
	for _, id := range []string{"sess_1", "sess_2"} {
		_, err := st.Source(id).Token(context.Background())
		require.NoError(t, err)
	}
	clock.Advance(11 * time.Minute) // IdleTimeout is 10 min
	testkit.WaitFor(t, "the idle sessions are dropped", func() bool { return st.Stats().Evictions == 2 })
	assert.Equal(t, 0, st.Stats().Sessions)
}
