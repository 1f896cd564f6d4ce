package clerkhasura

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// TestCacheRefreshLeadFollowsFetchLatency calls a cache once a simulated
// second, with fetches that take latency on its clock: the refresh starts
// the learned lead before the token's Expiry (early expiry 2 s, window
// 4 s plus three times the latency), earlier for a slower Clerk, and no
// caller ever waits for it.
func TestCacheRefreshLeadFollowsFetchLatency(t *testing.T) {
	for _, tt := range []struct {
		name    string
		latency time.Duration
		lead    time.Duration
	}{
		{"fast Clerk", 0, 6 * time.Second},
		{"200ms Clerk", 200 * time.Millisecond, 6600 * time.Millisecond},
		{"slow Clerk", 3 * time.Second, 15 * time.Second},
	} {
		t.Run(tt.name, func(t *testing.T) {
			testkit.CheckLeaks(t)
			clock := testkit.NewClock()
			src := newSynth(clock, time.Minute)
			c := newCache(t, src, &CacheOptions{Clock: clock, RefreshJitter: -1})
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()

			// The first fetch, for which the caller has to wait, takes
			// latency too: the cache learns it there.
			gate := src.hold()
			first := make(chan *Token)
			go func() {
				tok, err := c.Token(ctx)
				assert.NoError(t, err)
				first <- tok
			}()
			testkit.WaitFor(t, "the first fetch begins", func() bool { return src.count() == 1 })
			clock.Advance(tt.latency)
			close(gate)
			old := <-first
			require.NotNil(t, old)

			gate = src.hold()
			var refreshAt time.Time
			for refreshAt.IsZero() {
				require.True(t, clock.Now().Before(old.Expiry), "no refresh before the token expired")
				tok, err := c.Token(ctx)
				require.NoError(t, err)
				require.Same(t, old, tok, "the old token is served until replaced")
				if c.Stats().Refreshes == 1 {
					refreshAt = clock.Now()
				}
				clock.Advance(time.Second)
			}
			lead := old.Expiry.Sub(refreshAt)
			assert.GreaterOrEqual(t, lead, tt.lead-time.Second, "refresh starts about the learned lead before Expiry")
			assert.LessOrEqual(t, lead, tt.lead, "and no earlier")

			// The refresh takes latency; callers meanwhile get the old token.
			for range max(tt.latency/time.Second, 1) {
				tok, err := c.Token(ctx)
				require.NoError(t, err)
				assert.Same(t, old, tok)
				clock.Advance(min(time.Second, tt.latency))
			}
			close(gate)
			c.waitIdle()
			next, err := c.Token(ctx)
			require.NoError(t, err)
			assert.NotEqual(t, old.Value, next.Value)
			assert.True(t, clock.Now().Before(old.Expiry), "replaced before the old token expired")
			st := c.Stats()
			assert.Equal(t, uint64(1), st.Waits, "only the first call waited")
			assert.Equal(t, uint64(2), st.Mints)
		})
	}
}

func TestCacheLatencyEstimate(t *testing.T) {
	eng := newEngine(nil, "", nil)
	for _, step := range []struct {
		fetch, estimate time.Duration
	}{
		{time.Second, time.Second},
		{3 * time.Second, 3 * time.Second}, // a slower fetch counts at once
		{time.Second, 2750 * time.Millisecond},
		{time.Second, 2531250 * time.Millisecond / 1000},
		{-time.Second, 2214843750}, // a clock that stepped back counts as 0
		{5 * time.Second, 5 * time.Second},
	} {
		eng.learn(int64(step.fetch))
		assert.Equal(t, step.estimate, time.Duration(eng.latency.Load()), "after a %s fetch", step.fetch)
	}
}

// TestSessionTokensShareTheLatencyEstimate: Clerk's latency is the
// instance's, so a slow mint for one session moves every session's
// refresh earlier.
func TestSessionTokensShareTheLatencyEstimate(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	fetch := func(ctx context.Context, id string) (*Token, error) {
		start := clock.Now()
		if id == "sess_slow" {
			clock.Advance(5 * time.Second)
		}
		return &Token{Value: "eyJ." + id + ".s", Expiry: start.Add(time.Minute)}, nil
	}
	st := newSessionTokens("", &SessionTokensOptions{CacheOptions: CacheOptions{Clock: clock, RefreshJitter: -1}}, fetch)
	defer st.Close()
	ctx := context.Background()
	_, err := st.Source("sess_slow").Token(ctx)
	require.NoError(t, err)
	src := st.Source("sess_fast").(*CachedTokenSource)
	tok, err := src.Token(ctx)
	require.NoError(t, err)
	e := src.cur.Load()
	require.NotNil(t, e)
	assert.Equal(t, 2*time.Second+4*time.Second+3*4375*time.Millisecond,
		time.Duration(st.eng.clock.at(tok.Expiry)-e.staleAt), "early expiry 2 s, window 4 s plus three times 7/8 of 5 s")
}
