package subscription

import (
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// routeFixture is a client with two connections, old (active) and new,
// and subscriptions whose goroutines are not started: what route queues
// for them is read from their last result.
type routeFixture struct {
	t        *testing.T
	c        *Client
	old, new *wsConn
}

func newRouteFixture(t *testing.T, ids ...string) *routeFixture {
	t.Helper()
	c := &Client{subs: map[string]*subscription{}, live: map[string]*subscription{}, opts: (*Options)(nil).resolve()}
	f := &routeFixture{t: t, c: c, old: &wsConn{outbox: newOutbox()}, new: &wsConn{outbox: newOutbox()}}
	c.active = f.old
	for _, id := range ids {
		s, err := newSubscription(id, nil, make(chan hgql.WatchUserWsResponse), hgql.WatchUserForwardData, &c.stats)
		require.NoError(t, err)
		c.subs[id] = s
	}
	return f
}

// send routes a message from conn; result names a result, "" an error.
func (f *routeFixture) send(conn *wsConn, id, result string) {
	m := wsproto.Message{ID: id, Type: wsproto.TypeNext, Payload: named(result)}
	if result == "" {
		m = wsproto.Message{ID: id, Type: wsproto.TypeError, Payload: []byte(`[{"message":"boom"}]`)}
	}
	f.c.route(conn, m)
}

// state returns the subscription's route and the result last queued.
func (f *routeFixture) state(id string) (route, string) {
	f.c.mu.Lock()
	defer f.c.mu.Unlock()
	s := f.c.subs[id]
	require.NotNil(f.t, s, "subscription %s ended", id)
	return s.route, string(s.last)
}

func (f *routeFixture) begin() *rotation {
	f.c.mu.Lock()
	defer f.c.mu.Unlock()
	return f.c.beginSwitch(f.new)
}

func (f *routeFixture) end(rot *rotation, completed bool) {
	f.c.mu.Lock()
	defer f.c.mu.Unlock()
	f.c.endSwitch(rot, completed)
}

func isClosed(ch chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

func TestRouteOutsideASwitchOver(t *testing.T) {
	f := newRouteFixture(t, "1")
	f.send(f.old, "1", "a")
	assert.Equal(t, [2]any{onOld, string(named("a"))}, pair(f.state("1")))
	f.send(f.new, "1", "stray")
	assert.Equal(t, [2]any{onOld, string(named("a"))}, pair(f.state("1")), "a connection other than the active one is ignored")
}

func TestRouteSwitchOverMovesEachSubscriptionWhenTheConnectionsAgree(t *testing.T) {
	f := newRouteFixture(t, "agree-new", "agree-old", "first", "error", "held")
	for _, id := range []string{"agree-new", "agree-old", "error", "held"} {
		f.send(f.old, id, "a")
	}
	rot := f.begin()
	for id := range f.c.subs {
		r, _ := f.state(id)
		assert.Equal(t, switching, r, id)
	}
	assert.Equal(t, 5, rot.switching)

	// The new connection sends the result last delivered: it moves, and
	// the subscriber does not see it twice.
	dups := f.c.stats.duplicates.Load()
	f.send(f.new, "agree-new", "a")
	assert.Equal(t, [2]any{onNew, string(named("a"))}, pair(f.state("agree-new")))
	assert.Equal(t, dups+1, f.c.stats.duplicates.Load())
	f.send(f.old, "agree-new", "old's late result")
	assert.Equal(t, [2]any{onNew, string(named("a"))}, pair(f.state("agree-new")), "the old connection no longer counts")

	// The new connection is ahead: its result waits until the old one
	// catches up.
	f.send(f.new, "agree-old", "b")
	assert.Equal(t, [2]any{switching, string(named("a"))}, pair(f.state("agree-old")), "held, not delivered")
	f.send(f.old, "agree-old", "b")
	assert.Equal(t, [2]any{onNew, string(named("b"))}, pair(f.state("agree-old")))

	// Nothing delivered yet: the new connection's first result moves it.
	f.send(f.new, "first", "a")
	assert.Equal(t, [2]any{onNew, string(named("a"))}, pair(f.state("first")))

	// An error from the new connection moves it and ends it.
	f.send(f.new, "error", "")
	f.c.mu.Lock()
	assert.Nil(t, f.c.subs["error"], "the error ended the subscription")
	f.c.mu.Unlock()

	assert.False(t, isClosed(rot.ready), "one subscription is still switching")
	f.send(f.new, "held", "c")
	assert.Equal(t, [2]any{switching, string(named("a"))}, pair(f.state("held")))

	// The switch-over ends (its timeout): the held result is delivered,
	// and every subscription is on the old route of the new connection.
	f.end(rot, true)
	for id := range f.c.subs {
		r, _ := f.state(id)
		assert.Equal(t, onOld, r, id)
	}
	_, last := f.state("held")
	assert.Equal(t, string(named("c")), last)
	assert.Same(t, f.new, f.c.active)
	assert.Nil(t, f.c.rot)
}

func TestRouteSwitchOverReadyWhenAllMoved(t *testing.T) {
	f := newRouteFixture(t, "1", "2")
	f.send(f.old, "1", "a")
	f.send(f.old, "2", "a")
	rot := f.begin()
	f.send(f.new, "1", "a")
	assert.False(t, isClosed(rot.ready))
	f.c.mu.Lock()
	f.c.forget(f.c.subs["2"]) // unsubscribed while switching
	f.c.mu.Unlock()
	assert.True(t, isClosed(rot.ready), "a subscription that ended holds up nothing")

	empty := newRouteFixture(t)
	assert.True(t, isClosed(empty.begin().ready), "nothing to move")
}

func TestRouteAbandonedSwitchOverStaysOnTheOldConnection(t *testing.T) {
	f := newRouteFixture(t, "moved", "held")
	f.send(f.old, "moved", "a")
	f.send(f.old, "held", "a")
	rot := f.begin()
	f.send(f.new, "moved", "a")
	f.send(f.new, "held", "b")
	f.end(rot, false) // the new connection was lost
	for _, id := range []string{"moved", "held"} {
		r, last := f.state(id)
		assert.Equal(t, onOld, r, id)
		assert.Equal(t, string(named("a")), last, "%s: nothing of the lost connection delivered", id)
	}
	assert.Same(t, f.old, f.c.active)
	f.send(f.old, "held", "c")
	_, last := f.state("held")
	assert.Equal(t, string(named("c")), last, "the old connection serves on")
}

func TestRouteSubscriptionMadeDuringASwitchOverStartsOnNew(t *testing.T) {
	f := newRouteFixture(t)
	rot := f.begin()
	ch := make(chan hgql.WatchUserWsResponse)
	id, err := f.c.Subscribe(&graphql.Request{Query: "subscription { users { id } }"}, ch, hgql.WatchUserForwardData)
	require.NoError(t, err)
	t.Cleanup(func() {
		f.c.live[id].halt()
		f.c.wg.Wait()
	})
	r, _ := f.state(id)
	assert.Equal(t, onNew, r)
	assert.True(t, isClosed(rot.ready), "it holds up nothing")
	f.send(f.old, id, "old")
	f.send(f.new, id, "new")
	_, last := f.state(id)
	assert.Equal(t, string(named("new")), last)
}

func pair(r route, last string) [2]any { return [2]any{r, last} }
