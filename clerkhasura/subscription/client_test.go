package subscription_test

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestSubscriptionDeliversChanges(t *testing.T) {
	testkit.CheckLeaks(t)
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(proto, func(t *testing.T) {
			f := newSubFixture(t, subFixtureOptions{})
			c := f.client(f.source(), &subscription.Options{Subprotocol: proto})
			ch, _ := f.watch(c)
			expectName(t, ch, "v0")
			for i := 1; i <= 3; i++ {
				f.setName("v" + itoa(i))
				expectName(t, ch, "v"+itoa(i))
			}
			// A change that leaves the row as it was sends nothing.
			f.setName("v3")
			f.setName("v4")
			expectName(t, ch, "v4")
			assert.EqualValues(t, 5, c.Stats().Delivered)
			require.NoError(t, c.Close())
			expectClosed(t, ch)
		})
	}
}

func TestSubscriptionKeepalivesNeverSurface(t *testing.T) {
	testkit.CheckLeaks(t)
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(proto, func(t *testing.T) {
			f := newSubFixture(t, subFixtureOptions{keepAlive: 5 * time.Millisecond})
			c := f.client(f.source(), &subscription.Options{Subprotocol: proto, KeepAliveTimeout: time.Second})
			ch, _ := f.watch(c)
			expectName(t, ch, "v0")
			// The watchdog runs in real time: a clock moved past
			// KeepAliveTimeout (not as far as the switch-over) ends no
			// connection that keepalives feed.
			f.clock.Advance(30 * time.Second)
			before := f.hasura.Stats().Websockets.KeepAlives
			testkit.WaitFor(t, "ten keepalives", func() bool { return f.hasura.Stats().Websockets.KeepAlives >= before+10 })
			f.setName("v1")
			expectName(t, ch, "v1")
			select {
			case resp := <-ch:
				t.Fatalf("unexpected event %+v", resp)
			default:
			}
			s := c.Stats()
			assert.EqualValues(t, 1, s.Connects, "a keepalive must not end the connection")
			assert.Zero(t, s.Reconnects)
		})
	}
}

func TestSubscriptionErrorsStayWithTheirSubscription(t *testing.T) {
	testkit.CheckLeaks(t)
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(proto, func(t *testing.T) {
			f := newSubFixture(t, subFixtureOptions{})
			c := f.client(f.source(), &subscription.Options{Subprotocol: proto})
			good, _ := f.watch(c)
			expectName(t, good, "v0")

			bad := make(chan hgql.WatchUserWsResponse)
			_, err := c.Subscribe(&graphql.Request{
				OpName: "Bad",
				Query:  "subscription Bad { users_by_pk(id: \"x\") { password } }",
			}, bad, hgql.WatchUserForwardData)
			require.NoError(t, err)
			resp, ok := <-bad
			require.True(t, ok)
			require.Len(t, resp.Errors, 1)
			assert.Equal(t, "validation-failed", resp.Errors[0].Extensions["code"])
			assert.Contains(t, resp.Errors[0].Message, "password")
			_, ok = <-bad
			assert.False(t, ok, "an error ends the subscription")

			f.setName("v1")
			expectName(t, good, "v1")
			assert.Equal(t, 1, c.Stats().Subscriptions)
		})
	}
}

func TestSubscriptionUnsubscribeAndContext(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)

	t.Run("Unsubscribe closes the channel before it returns", func(t *testing.T) {
		ch, id := f.watch(c)
		expectName(t, ch, "v0")
		require.NoError(t, c.Unsubscribe(id))
		_, ok := <-ch
		assert.False(t, ok)
		require.NoError(t, c.Unsubscribe(id), "a second Unsubscribe is not an error")
	})
	t.Run("a cancelled context unsubscribes", func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		ch, _, err := hgql.WatchUser(ctx, c.WithContext(ctx), f.user)
		require.NoError(t, err)
		expectName(t, ch, "v0")
		cancel()
		expectClosed(t, ch)
		assert.Zero(t, c.Stats().Subscriptions)
	})
	t.Run("a subscriber that stops reading holds up no one", func(t *testing.T) {
		stuck, _ := f.watch(c)
		live, _ := f.watch(c)
		expectName(t, live, "v0")
		for i := 1; i <= 20; i++ {
			f.setName("s" + itoa(i))
			expectName(t, live, "s"+itoa(i))
		}
		// The late reader gets the states in order; a live query may skip
		// states that changed again before it ran.
		for prev := -1; prev < 20; {
			name := nameOf(t, receive(t, stuck))
			n, err := strconv.Atoi(strings.TrimLeft(name, "sv"))
			require.NoError(t, err)
			require.Greater(t, n, prev, "state %s after s%d", name, prev)
			prev = n
		}
	})
	require.NoError(t, c.Close())
	require.NoError(t, c.Close(), "Close is idempotent")
	_, err := c.Subscribe(&graphql.Request{Query: "subscription { users { id } }"}, make(chan hgql.WatchUserWsResponse), hgql.WatchUserForwardData)
	assert.ErrorIs(t, err, clerkhasura.ErrClosed)
	_, err = c.Start(context.Background())
	assert.ErrorIs(t, err, clerkhasura.ErrClosed)
}

func TestSubscriptionBeforeStart(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := newClient(t, f.endpoint(), f.source(), nil)
	defer c.Close()
	ch, _, err := hgql.WatchUser(context.Background(), c, f.user)
	require.NoError(t, err)
	errs, err := c.Start(context.Background())
	require.NoError(t, err)
	expectName(t, ch, "v0")
	again, err := c.Start(context.Background())
	require.NoError(t, err)
	assert.Equal(t, errs, again)
	require.NoError(t, c.Close())
	_, open := <-errs
	assert.False(t, open, "Close closes the error channel")
}

// TestNewRefuses: an endpoint that cannot be dialled, or no source, is
// refused when the client is made, never at Start.
func TestNewRefuses(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		src      clerkhasura.TokenSource
		field    string
	}{
		{"bad scheme", "ftp://example.com/v1/graphql", sources.Static{}, "endpoint"},
		{"no host", "https:///v1/graphql", sources.Static{}, "endpoint"},
		{"empty", "", sources.Static{}, "endpoint"},
		{"nil source", "https://example.com/v1/graphql", nil, "token source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := subscription.New(tt.endpoint, tt.src, nil)
			assert.Nil(t, c)
			require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
			var ie *clerkhasura.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
		})
	}
}

func TestSubscriptionStartErrors(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	tests := []struct {
		name     string
		endpoint string
		src      clerkhasura.TokenSource
		want     error
	}{
		{"unknown session", f.endpoint(), sources.Session(t, f.clerk.SessionClient(), "sess_gone", "hasura", nil), clerkhasura.ErrSessionGone},
		{"not a websocket endpoint", f.hasura.URL() + "/nowhere", f.source(), nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, tt.endpoint, tt.src, nil)
			defer c.Close()
			_, err := c.Start(context.Background())
			require.Error(t, err)
			if tt.want != nil {
				assert.ErrorIs(t, err, tt.want)
			}
		})
	}
	t.Run("interfaceChan must be a channel", func(t *testing.T) {
		c := newClient(t, f.endpoint(), f.source(), nil)
		defer c.Close()
		_, err := c.Subscribe(&graphql.Request{Query: "subscription { users { id } }"}, "not a channel", hgql.WatchUserForwardData)
		require.Error(t, err)
		var sendOnly chan<- hgql.WatchUserWsResponse = make(chan hgql.WatchUserWsResponse)
		_, err = c.Subscribe(&graphql.Request{Query: "subscription { users { id } }"}, sendOnly, hgql.WatchUserForwardData)
		require.Error(t, err)
		assert.False(t, errors.Is(err, clerkhasura.ErrClosed))
	})
}
