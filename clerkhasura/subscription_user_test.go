package clerkhasura_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

func nextEvent(t *testing.T, ch <-chan clerkhasura.UserEvent) clerkhasura.UserEvent {
	t.Helper()
	select {
	case ev, ok := <-ch:
		require.True(t, ok, "channel closed")
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return clerkhasura.UserEvent{}
}

func eventsClosed(t *testing.T, ch <-chan clerkhasura.UserEvent) {
	t.Helper()
	select {
	case ev, ok := <-ch:
		require.False(t, ok, "unexpected event %+v", ev)
	case <-time.After(10 * time.Second):
		t.Fatal("channel not closed within 10 s")
	}
}

func TestWatchMeSeesAnotherClientsMutation(t *testing.T) {
	checkLeaks(t)
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

	src := clerkhasura.NewCachedTokenSource(f.source(), nil)
	defer src.Close()
	api, err := clerkhasura.NewClient(f.endpoint(), src, nil)
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
	checkLeaks(t)
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
	f.hasura.DropWebsockets()
	for _, ch := range []<-chan clerkhasura.UserEvent{events, mine} {
		ev = nextEvent(t, ch)
		assert.ErrorIs(t, ev.Err, clerkhasura.ErrSessionGone)
		assert.Nil(t, ev.User)
		eventsClosed(t, ch)
	}
	_, err = c.WatchMe(context.Background())
	assert.ErrorIs(t, err, clerkhasura.ErrSessionGone)
}

func TestWatchClosedByClose(t *testing.T) {
	checkLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)
	events, err := c.WatchMe(context.Background())
	require.NoError(t, err)
	nextEvent(t, events)
	require.NoError(t, c.Close())
	eventsClosed(t, events)
}
