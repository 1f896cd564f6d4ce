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
// are still good, so the reconnects mint none, and each waits a random
// time of up to ReconnectJitter, on the clock, before it comes back.
func TestSubscriptionRestartIsNoHerd(t *testing.T) {
	testkit.CheckLeaks(t)
	const n = 40
	f := newSubFixture(t, subFixtureOptions{})
	tokens := sources.SessionTokens(t, f.clerk.SessionClient(), "hasura",
		&clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: f.clock}})

	var mu sync.Mutex
	var downtimes []time.Duration
	chans := make([]chan hgql.WatchUserWsResponse, n)
	for i := range n {
		user := "user_herd_" + itoa(i)
		sid := f.clerk.CreateSession(user)
		c := f.client(tokens.Source(sid), &subscription.Options{
			ReconnectJitter: subscription.DefaultReconnectJitter,
			OnReconnect: func(e subscription.ReconnectEvent) {
				mu.Lock()
				downtimes = append(downtimes, e.Downtime)
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

	f.cut(f.hasura.RestartWebsockets)
	// Small steps, so that a client's downtime is its wait, give or take
	// the steps its reconnect takes in real time.
	f.advanceUntil(2*time.Millisecond, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(downtimes) == n
	})

	assert.Equal(t, minted, f.clerk.Stats().TokensMinted, "the reconnects minted tokens while every client's was still good")
	mu.Lock()
	first, last := slices.Min(downtimes), slices.Max(downtimes)
	mu.Unlock()
	// 40 draws up to 1 s all fall within a quarter second of one another
	// with a probability below 1e-21.
	assert.Greater(t, last-first, subscription.DefaultReconnectJitter/4, "the reconnects came back together")
	t.Logf("downtimes from %v to %v on the clock", first, last)
}

// TestSubscriptionFlappingConnectionMints drops a client's connection
// every second, as a flapping load balancer does, twelve times within a
// token's lifetime: with a cache, the client reconnects on the token it
// has and mints none.
func TestSubscriptionFlappingConnectionMints(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.cached(f.source()), nil)
	ch, _ := f.watch(c)
	expectName(t, ch, "v0")

	const drops = 12
	for i := range drops {
		f.cut(f.hasura.DropWebsockets)
		testkit.WaitFor(t, "the reconnect", func() bool { return c.Stats().Reconnects == uint64(i+1) })
	}
	f.setName("v1")
	expectName(t, ch, "v1")
	assert.EqualValues(t, 1, f.clerk.Stats().TokensMinted, "%d drops in %v", drops, time.Duration(drops)*time.Second)
	assert.EqualValues(t, drops+1, c.Stats().Connects)
}

// TestSubscriptionReusedTokenKeepsItsSchedule drops a connection early in
// its token's life: the new connection, on the same token from the
// cache, is switched over when the lost one would have been, not sooner,
// as it would if what remains of the token were taken for its lifetime.
func TestSubscriptionReusedTokenKeepsItsSchedule(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	ev := newEvents()
	c := f.client(f.cached(f.source()), &subscription.Options{OnReconnect: ev.record})
	var rotateAt, expiry time.Time
	var lead time.Duration
	testkit.WaitFor(t, "a switch-over is scheduled", func() bool {
		rotateAt, lead, expiry = subscription.Schedule(c)
		return lead != 0
	})

	f.cut(f.hasura.DropWebsockets)
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
	f := newSubFixture(t, subFixtureOptions{lifetime: 10 * time.Second, hasuraAhead: 8 * time.Second})
	src := &invalidationCounter{CachedTokenSource: f.cached(f.source())}
	ev := newEvents()
	c := f.client(src, &subscription.Options{OnReconnect: ev.record})
	ch, _ := f.watch(c)
	expectName(t, ch, "v0")

	f.clock.Advance(2 * time.Second)
	// The refused token is followed by a back-off of at most MaxBackoff.
	f.advanceUntil(10*time.Millisecond, func() bool { return c.Stats().Reconnects == 1 })
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
