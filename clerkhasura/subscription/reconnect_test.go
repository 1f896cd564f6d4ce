package subscription_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"sync"
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

// TestSubscriptionAcrossTokenExpiries runs one subscription on 3 s tokens
// through five switch-overs (two on Apollo's protocol) while its row keeps
// changing, and, beside it, many subscriptions through a lost connection
// and a switch-over, and subscriptions made and ended through a
// switch-over. The clock moves to each switch-over and stands still while
// it runs, so that no token expires on the way.
func TestSubscriptionAcrossTokenExpiries(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name, proto string
		rotations   uint64
		cached      bool
	}{
		{"graphql-transport-ws", "graphql-transport-ws", 5, false},
		{"graphql-ws", "graphql-ws", 2, false},
		// A cache may still serve the token a switch-over replaces: it is
		// invalidated, and the cache asked again.
		{"token cache", "graphql-transport-ws", 2, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			f := newSubFixture(t, subFixtureOptions{lifetime: 3 * time.Second})
			src := f.source()
			if tt.cached {
				src = f.cached(src)
			}
			ev := newEvents()
			c := f.client(src, &subscription.Options{Subprotocol: tt.proto, OnReconnect: ev.record})
			ch, _ := f.watch(c)
			expectName(t, ch, "v0")

			// Each change waits for the previous one to arrive, so every
			// value written must arrive, in order, exactly once.
			i := 0
			change := func() {
				i++
				want := "v" + itoa(i)
				f.setName(want)
				expectName(t, ch, want)
			}
			for c.Stats().Rotations < tt.rotations {
				change()
				change()
				f.switchOver(c, change)
			}
			change()
			select {
			case resp := <-ch:
				t.Fatalf("unexpected event %+v", resp)
			default:
			}

			s := c.Stats()
			assert.Equal(t, tt.rotations, s.Rotations)
			assert.Zero(t, s.Reconnects, "no connection was lost")
			assert.Zero(t, f.hasura.Stats().Websockets.Expired, "no connection outlived its token")
			if !tt.cached {
				assert.EqualValues(t, f.clerk.Stats().TokensMinted, s.Connects, "one token per connection")
			}
			assert.EqualValues(t, s.Rotations+1, s.Connects)
			ev.mu.Lock()
			assert.Len(t, ev.all, int(tt.rotations))
			for _, e := range ev.all {
				assert.True(t, e.Planned)
				assert.Zero(t, e.Downtime)
			}
			ev.mu.Unlock()
			t.Logf("%d changes, %d switch-overs, %d duplicates dropped", i, s.Rotations, s.Duplicates)
		})
	}
	t.Run("600 subscriptions across a drop and a switch-over", func(t *testing.T) {
		t.Parallel()
		manySubscriptionsAcrossReconnects(t, 600)
	})
	t.Run("subscribers come and go across a switch-over", func(t *testing.T) {
		t.Parallel()
		churnAcrossSwitchOver(t)
	})
}

// manySubscriptionsAcrossReconnects checks that a new connection
// subscribes n subscriptions again at once without overflowing what it
// queues: every subscription gets every change, and one connection is made
// per loss and per switch-over, none more.
func manySubscriptionsAcrossReconnects(t *testing.T, n int) {
	f := newSubFixture(t, subFixtureOptions{})
	ev := newEvents()
	c := f.client(f.source(), &subscription.Options{OnReconnect: ev.record})
	chans := make([]chan hgql.WatchUserWsResponse, n)
	for i := range chans {
		chans[i], _ = f.watch(c)
	}
	everyone := func(want string) {
		t.Helper()
		for _, ch := range chans {
			expectName(t, ch, want)
		}
	}
	everyone("v0")

	f.cut(f.hasura.DropWebsockets)
	require.False(t, ev.next(t).Planned)
	f.setName("v1")
	everyone("v1")

	f.switchOver(c, nil)
	require.True(t, ev.next(t).Planned)
	f.setName("v2")
	everyone("v2")

	s := c.Stats()
	t.Logf("%+v, fake: %+v", s, f.hasura.Stats().Websockets)
	assert.EqualValues(t, 1, s.Reconnects)
	assert.Zero(t, s.ConnectFailures)
	assert.EqualValues(t, 1, s.Rotations)
	assert.EqualValues(t, 3, s.Connects, "one connection per loss and per switch-over")
	assert.Equal(t, n, s.Subscriptions)
	assert.Zero(t, f.hasura.Stats().Websockets.Expired)
}

func TestSubscriptionRecoversLostConnections(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name     string
		cut      func(f *subFixture)
		wantCode int
	}{
		{"server restart (1012)", func(f *subFixture) { f.hasura.RestartWebsockets() }, 1012},
		{"dropped TCP connection", func(f *subFixture) { f.hasura.DropWebsockets() }, 1006},
	}
	for _, tt := range tests {
		for _, cached := range []bool{false, true} {
			name := tt.name
			if cached {
				name += ", token cache"
			}
			t.Run(name, func(t *testing.T) { recoverLostConnection(t, tt.cut, tt.wantCode, cached) })
		}
	}
}

// recoverLostConnection cuts a connection and checks that the client
// reconnects with the token the source gives: with a cache, the lost
// connection's token, still valid, so that no token is minted; without
// one, a fresh token.
func recoverLostConnection(t *testing.T, cut func(*subFixture), wantCode int, cached bool) {
	f := newSubFixture(t, subFixtureOptions{})
	src := f.source()
	if cached {
		src = f.cached(src)
	}
	ev := newEvents()
	c := f.client(src, &subscription.Options{OnReconnect: ev.record})
	ch, _ := f.watch(c)
	expectName(t, ch, "v0")

	f.cut(func() { cut(f) })
	e := ev.next(t)
	assert.False(t, e.Planned)
	var ce *subscription.CloseError
	require.ErrorAs(t, e.Cause, &ce)
	assert.Equal(t, wantCode, ce.Code)
	assert.Equal(t, 1, e.Attempts)
	assert.Zero(t, e.Downtime, "the clock stood still")

	// The resubscribed operation sends the row again; it equals the last
	// event, so the subscriber does not see it twice.
	testkit.WaitFor(t, "the duplicate is dropped", func() bool { return c.Stats().Duplicates == 1 })
	f.setName("v1")
	expectName(t, ch, "v1")
	s := c.Stats()
	assert.EqualValues(t, 1, s.Reconnects)
	assert.EqualValues(t, 2, s.Connects)
	if cached {
		assert.EqualValues(t, 1, f.clerk.Stats().TokensMinted, "the cached token serves the new connection")
	} else {
		assert.EqualValues(t, 2, f.clerk.Stats().TokensMinted, "a fresh token for the new connection")
	}
}

func TestSubscriptionReplacesRejectedTokens(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	src := &sources.Counting{Src: f.source()}
	src.ForgeNext(1)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	c := f.client(src, &subscription.Options{Logger: logger}) // Start's first token is forged
	assert.Equal(t, []string{sources.Forged}, src.Invalidated())
	ch, _ := f.watch(c)
	expectName(t, ch, "v0")

	src.ForgeNext(2) // the next two connections are refused
	f.cut(f.hasura.DropWebsockets)
	// Each refusal is followed by a back-off of at most MaxBackoff.
	f.advanceUntil(10*time.Millisecond, func() bool { return c.Stats().Reconnects == 1 })
	assert.Len(t, src.Invalidated(), 3)
	assert.EqualValues(t, 3, c.Stats().ConnectFailures)
	f.setName("v1")
	expectName(t, ch, "v1")

	require.NoError(t, c.Close())
	assert.Contains(t, logs.String(), "reconnect")
	for _, tok := range src.HandedOut() {
		assert.NotContains(t, logs.String(), tok, "a token was logged")
	}
}

func TestSubscriptionStopsWhenSessionIsGone(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)
	errs, err := c.Start(context.Background())
	require.NoError(t, err)
	a, _ := f.watch(c)
	b, _ := f.watch(c)
	expectName(t, a, "v0")
	expectName(t, b, "v0")

	f.clerk.RevokeSession(f.sid)
	f.cut(f.hasura.RestartWebsockets)

	for _, ch := range []chan hgql.WatchUserWsResponse{a, b} {
		resp := receive(t, ch)
		require.Len(t, resp.Errors, 1)
		assert.ErrorIs(t, resp.Errors, clerkhasura.ErrSessionGone)
		var ce *clerkhasura.ClerkError
		assert.ErrorAs(t, resp.Errors, &ce)
		expectClosed(t, ch)
	}
	select {
	case err := <-errs:
		assert.ErrorIs(t, err, clerkhasura.ErrSessionGone)
	case <-time.After(10 * time.Second):
		t.Fatal("no error on the error channel")
	}
	_, _, err = hgql.WatchUser(context.Background(), c, f.user)
	assert.ErrorIs(t, err, clerkhasura.ErrSessionGone, "the client has stopped")
	assert.Zero(t, c.Stats().Subscriptions)
	assert.False(t, errors.Is(err, clerkhasura.ErrClosed))
}

// churnAcrossSwitchOver subscribes and unsubscribes from several
// goroutines while a switch-over happens.
func churnAcrossSwitchOver(t *testing.T) {
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)
	steady, _ := f.watch(c)
	expectName(t, steady, "v0")

	var wg sync.WaitGroup
	stop := make(chan struct{})
	for range 4 {
		wg.Go(func() {
			for {
				select {
				case <-stop:
					return
				default:
				}
				ctx, cancel := context.WithCancel(context.Background())
				events, err := c.WatchUser(ctx, f.user)
				if !assert.NoError(t, err) {
					cancel()
					return
				}
				ev := <-events
				assert.NoError(t, ev.Err)
				assert.NotNil(t, ev.User)
				cancel()
				for range events {
				}
			}
		})
	}
	i := 0
	f.switchOver(c, func() {
		i++
		f.setName("v" + itoa(i))
		expectName(t, steady, "v"+itoa(i))
	})
	close(stop)
	wg.Wait()
	assert.Zero(t, c.Stats().Reconnects)
	assert.Equal(t, 1, c.Stats().Subscriptions, "every watch that ended unsubscribed")
}
