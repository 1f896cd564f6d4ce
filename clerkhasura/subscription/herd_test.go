package subscription_test

import (
	"slices"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestSubscriptionRestartIsNoHerd restarts Hasura under 40 clients, each
// its own user's, as in a service holding one SessionTokens: their tokens
// are still good, so the reconnects mint none, and they come back spread
// over ReconnectJitter rather than all at once.
func TestSubscriptionRestartIsNoHerd(t *testing.T) {
	testkit.CheckLeaks(t)
	const n = 40
	f := newSubFixture(t, subFixtureOptions{})
	tokens := sources.SessionTokens(t, f.clerk.SessionClient(), "hasura", nil)
	t.Cleanup(func() { tokens.Close() })

	var mu sync.Mutex
	var back []time.Time
	chans := make([]chan hgql.WatchUserWsResponse, n)
	for i := range n {
		user := "user_herd_" + itoa(i)
		sid := f.clerk.CreateSession(user)
		c := f.client(tokens.Source(sid), &subscription.Options{
			ReconnectJitter: subscription.DefaultReconnectJitter,
			OnReconnect: func(subscription.ReconnectEvent) {
				mu.Lock()
				back = append(back, time.Now())
				mu.Unlock()
			},
		})
		ch, _, err := hgql.WatchUser(t.Context(), c, user)
		require.NoError(t, err)
		chans[i] = ch
	}
	for _, ch := range chans {
		resp := receive(t, ch)
		require.Empty(t, resp.Errors)
	}
	minted := f.clerk.Stats().TokensMinted
	require.EqualValues(t, n, minted, "one token per client")

	f.hasura.RestartWebsockets()
	testkit.WaitFor(t, "every client is back", func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(back) == n
	})

	assert.LessOrEqual(t, f.clerk.Stats().TokensMinted-minted, int64(n/10),
		"the reconnects minted tokens while every client's was still good")
	mu.Lock()
	first := slices.MinFunc(back, time.Time.Compare)
	last := slices.MaxFunc(back, time.Time.Compare)
	mu.Unlock()
	// 40 draws up to 1 s all fall within a quarter second of one another
	// with a probability below 1e-21.
	assert.Greater(t, last.Sub(first), subscription.DefaultReconnectJitter/4,
		"the reconnects came back together")
	t.Logf("reconnects spread over %v; %d tokens minted", last.Sub(first), f.clerk.Stats().TokensMinted-minted)
}

// TestSubscriptionFlappingConnectionMints drops a client's connection as
// soon as it is back, again and again, as a load balancer that drops
// connections every second does over a token's lifetime: with a cache,
// the client mints no token per reconnect, only as the token ages.
func TestSubscriptionFlappingConnectionMints(t *testing.T) {
	testkit.CheckLeaks(t)
	const lifetime = 10 * time.Second
	f := newSubFixture(t, subFixtureOptions{lifetime: lifetime})
	cache := sources.Cached(t, f.source(), nil)
	t.Cleanup(func() { cache.Close() })
	c := f.client(cache, nil)
	ch, _ := f.watch(c)
	expectName(t, ch, "v0")

	start := time.Now()
	const drops = 12
	for i := range drops {
		f.hasura.DropWebsockets()
		testkit.WaitFor(t, "the reconnect", func() bool { return c.Stats().Reconnects == uint64(i+1) })
	}
	elapsed := time.Since(start)
	f.setName("v1")
	expectName(t, ch, "v1")

	// The cache refreshes a token no sooner than 70% into its lifetime:
	// a test slowed that far may see a second token, never one per drop.
	allowed := 1 + int64(elapsed/(lifetime*7/10))
	minted := f.clerk.Stats().TokensMinted
	assert.LessOrEqual(t, minted, allowed, "%d tokens minted over %d drops in %v", minted, drops, elapsed)
	t.Logf("%d drops in %v, %d tokens minted", drops, elapsed, minted)
}

// TestSubscriptionReusedTokenKeepsItsSchedule drops a connection early in
// its token's life: the new connection, on the same token from the
// cache, is switched over when the lost one would have been, not sooner,
// as it would if what remains of the token were taken for its lifetime.
func TestSubscriptionReusedTokenKeepsItsSchedule(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{lifetime: 3 * time.Second})
	cache := sources.Cached(t, f.source(), nil)
	t.Cleanup(func() { cache.Close() })
	ev := newEvents()
	c := f.client(cache, &subscription.Options{OnReconnect: ev.record})
	var rotateAt, expiry time.Time
	var lead time.Duration
	testkit.WaitFor(t, "a switch-over is scheduled", func() bool {
		rotateAt, lead, expiry = subscription.Schedule(c)
		return lead != 0
	})

	f.hasura.DropWebsockets()
	e := ev.next(t)
	require.False(t, e.Planned, "the connection lived into its switch-over")
	again, leadAgain, expiryAgain := subscription.Schedule(c)
	require.Equal(t, expiry, expiryAgain, "the same token")
	assert.Equal(t, lead, leadAgain)
	assert.Equal(t, rotateAt, again)
	assert.EqualValues(t, 1, f.clerk.Stats().TokensMinted)
}

// TestSubscriptionReusedTokenRefusedByHasura runs Hasura's clock 8 s
// ahead on 10 s tokens: Hasura drops the connection 2 s in, when the
// token has plenty of life by the local clock. The client takes it
// again, Hasura refuses it at connection_init as expired, and the client
// drops it and reconnects with a fresh one.
func TestSubscriptionReusedTokenRefusedByHasura(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{lifetime: 10 * time.Second})
	f.hasura.SetNow(func() time.Time { return time.Now().Add(8 * time.Second) })
	cache := sources.Cached(t, f.source(), nil)
	t.Cleanup(func() { cache.Close() })
	src := &invalidationCounter{CachedTokenSource: cache}
	ev := newEvents()
	c := f.client(src, &subscription.Options{OnReconnect: ev.record})
	ch, _ := f.watch(c)
	expectName(t, ch, "v0")

	e := ev.next(t)
	var ce *subscription.CloseError
	require.ErrorAs(t, e.Cause, &ce)
	assert.Equal(t, 1006, ce.Code, "Hasura drops an expired connection without a close frame")
	assert.Equal(t, 2, e.Attempts, "the reused token was refused once")
	ws := f.hasura.Stats().Websockets
	assert.EqualValues(t, 1, ws.Expired)
	assert.EqualValues(t, 1, ws.InitFailures)
	assert.EqualValues(t, 1, src.invalidations.Load(), "the refused token was dropped")
	assert.EqualValues(t, 2, f.clerk.Stats().TokensMinted)

	f.setName("v1")
	expectName(t, ch, "v1")
}

// invalidationCounter passes Token and Invalidate to a cache, counting
// the Invalidate calls.
type invalidationCounter struct {
	*clerkhasura.CachedTokenSource
	invalidations atomic.Int64
}

func (s *invalidationCounter) Invalidate(rejected *clerkhasura.Token) {
	s.invalidations.Add(1)
	s.CachedTokenSource.Invalidate(rejected)
}
