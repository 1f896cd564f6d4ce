package subscription_test

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func nextEvent(t *testing.T, ch <-chan subscription.UserEvent) subscription.UserEvent {
	t.Helper()
	select {
	case ev, ok := <-ch:
		require.True(t, ok, "channel closed")
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return subscription.UserEvent{}
}

func eventsClosed(t *testing.T, ch <-chan subscription.UserEvent) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		require.False(t, ok, "unexpected event %+v", ev)
	case <-time.After(10 * time.Second):
		t.Fatal("channel not closed within 10 s")
	}
}

func TestWatchMeSeesAnotherClientsMutation(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	events, err := c.WatchMe(ctx)
	require.NoError(t, err)
	ev := nextEvent(t, events)
	require.NoError(t, ev.Err)
	require.NotNil(t, ev.User)
	assert.Equal(t, f.user, ev.User.ID)
	assert.Equal(t, "v0", *ev.User.Name)
	assert.True(t, ev.User.LastSeen.IsZero())

	src := sources.Cached(t, f.source(), nil)
	defer src.Close()
	api, err := hasura.NewClient(f.endpoint(), src, nil)
	require.NoError(t, err)
	seen, err := api.TouchLastSeen(ctx)
	require.NoError(t, err)

	ev = nextEvent(t, events)
	require.NoError(t, ev.Err)
	assert.True(t, seen.Equal(ev.User.LastSeen), "%v != %v", seen, ev.User.LastSeen)

	cancel()
	eventsClosed(t, events)
}

func TestWatchUserAbsentRowAndErrors(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)

	events, err := c.WatchUser(context.Background(), "user_nobody")
	require.NoError(t, err)
	ev := nextEvent(t, events)
	assert.NoError(t, ev.Err)
	assert.Nil(t, ev.User, "a row the role may not see is nil")

	mine, err := c.WatchMe(context.Background())
	require.NoError(t, err)
	require.NotNil(t, nextEvent(t, mine).User)

	f.clerk.RevokeSession(f.sid)
	f.cut(f.hasura.DropWebsockets)
	for _, ch := range []<-chan subscription.UserEvent{events, mine} {
		ev = nextEvent(t, ch)
		assert.ErrorIs(t, ev.Err, clerkhasura.ErrSessionGone)
		assert.Nil(t, ev.User)
		eventsClosed(t, ch)
	}
	_, err = c.WatchMe(context.Background())
	assert.ErrorIs(t, err, clerkhasura.ErrSessionGone)
}

func TestWatchClosedByClose(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)
	events, err := c.WatchMe(context.Background())
	require.NoError(t, err)
	nextEvent(t, events)
	require.NoError(t, c.Close())
	eventsClosed(t, events)
}

func TestWatchMeTokenErrorsArePrefixedOnce(t *testing.T) {
	testkit.CheckLeaks(t)
	const doing = "clerkhasura: WatchMe: getting a token to read the user ID: "
	gone := &clerkhasura.ClerkError{Kind: clerkhasura.ErrSessionGone, SessionID: "sess_1", Template: "hasura", StatusCode: 404}
	tests := []struct {
		name    string
		err     error
		want    string
		gone    bool // matches ErrSessionGone
		clerkAs bool // gives a *ClerkError to errors.As
	}{
		{"sentinel", clerkhasura.ErrSessionGone, doing + "Clerk session or JWT template not found", true, false},
		{"typed", gone, doing + `Clerk session or JWT template not found (session sess_1, template "hasura", HTTP 404)`, true, true},
		{"another package's", errors.New("vault: sealed"), doing + "vault: sealed", false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, "http://hasura.invalid/v1/graphql", &sources.Counting{Err: tt.err}, nil)
			defer c.Close()
			events, err := c.WatchMe(context.Background())
			assert.Nil(t, events)
			require.EqualError(t, err, tt.want)
			assert.ErrorIs(t, err, tt.err)
			assert.Equal(t, tt.gone, errors.Is(err, clerkhasura.ErrSessionGone))
			var ce *clerkhasura.ClerkError
			assert.Equal(t, tt.clerkAs, errors.As(err, &ce))
		})
	}
}

func TestWatchMeErrorOfARevokedSession(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := newClient(t, f.endpoint(), f.source(), nil)
	defer c.Close()
	f.clerk.RevokeSession(f.sid)

	_, err := c.WatchMe(context.Background())
	require.ErrorIs(t, err, clerkhasura.ErrSessionGone)
	var ce *clerkhasura.ClerkError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, http.StatusNotFound, ce.StatusCode)
	msg := err.Error()
	assert.True(t, strings.HasPrefix(msg, "clerkhasura: WatchMe: getting a token to read the user ID: Clerk session or JWT template not found (session "+f.sid+`, template "hasura", HTTP 404`), msg)
	assert.Equal(t, 1, strings.Count(msg, "clerkhasura:"), msg)
	assert.NotContains(t, msg, f.clerk.SecretKey())
}

func TestWatchErrorsOfAClosedClientArePrefixedOnce(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)
	tok, err := f.source().Token(context.Background())
	require.NoError(t, err)
	require.NoError(t, c.Close())

	for _, tt := range []struct {
		method string
		watch  func() (<-chan subscription.UserEvent, error)
	}{
		{"WatchUser", func() (<-chan subscription.UserEvent, error) { return c.WatchUser(context.Background(), f.user) }},
		{"WatchMe", func() (<-chan subscription.UserEvent, error) { return c.WatchMe(context.Background()) }},
	} {
		t.Run(tt.method, func(t *testing.T) {
			events, err := tt.watch()
			assert.Nil(t, events)
			require.EqualError(t, err, "clerkhasura: "+tt.method+": closed")
			assert.ErrorIs(t, err, clerkhasura.ErrClosed)
			assert.NotContains(t, err.Error(), tok.Value)
		})
	}
}

func TestWatchMeMintsNoTokenOfItsOwn(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	t.Run("the connection's token", func(t *testing.T) {
		src := &sources.Counting{Src: f.source()}
		c := f.client(src, nil)
		for range 3 {
			events, err := c.WatchMe(context.Background())
			require.NoError(t, err)
			assert.Equal(t, f.user, nextEvent(t, events).User.ID)
		}
		assert.EqualValues(t, 1, src.Calls(), "the token of Start's connection only")
		assert.EqualValues(t, c.Stats().Connects, src.Calls())
	})
	t.Run("before Start, one token once", func(t *testing.T) {
		src := &sources.Counting{Src: f.source()}
		c := newClient(t, f.endpoint(), src, nil)
		defer c.Close()
		for range 3 {
			_, err := c.WatchMe(context.Background())
			require.NoError(t, err)
		}
		assert.EqualValues(t, 1, src.Calls())
	})
}
