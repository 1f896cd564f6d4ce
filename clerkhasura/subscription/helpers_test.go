package subscription_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// subFixture is a fake Clerk and a fake Hasura speaking websockets on
// /v1/graphql, with one session for user "user_ada", whose row exists.
// Both fakes, the token sources and the subscription clients it makes
// tell time by one clock, which moves only when a test moves it: no
// token expires, no connection is switched over and no wait between
// attempts ends unless the test says so.
type subFixture struct {
	t      testing.TB
	clock  *clerkhasuratest.Clock // nil for a fixture in real time
	clerk  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
	sid    string
	user   string
}

type subFixtureOptions struct {
	// lifetime of the template's tokens; 0 means Clerk's 60 s.
	lifetime time.Duration
	// keepAlive of the fake Hasura; 0 means none.
	keepAlive time.Duration
	// hasuraAhead sets the fake Hasura's clock that much ahead.
	hasuraAhead time.Duration
	// realTime puts everything on the system clock, for benchmarks that
	// measure real time.
	realTime bool
}

func newSubFixture(t testing.TB, o subFixtureOptions) *subFixture {
	t.Helper()
	f := &subFixture{t: t, user: "user_ada"}
	var clerkClock, hasuraClock clerkhasura.Clock
	if !o.realTime {
		f.clock = clerkhasuratest.NewClock(time.Now())
		clerkClock, hasuraClock = f.clock, f.clock.Offset(o.hasuraAhead)
	}
	tpl := clerkhasuratest.HasuraTemplate()
	if o.lifetime > 0 {
		tpl.Lifetime = o.lifetime
	}
	f.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{
		Templates: map[string]clerkhasuratest.Template{"hasura": tpl},
		Clock:     clerkClock,
	})
	keepAlive := o.keepAlive
	if keepAlive == 0 {
		keepAlive = -1
	}
	f.hasura = clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:      f.clerk.JWKSURL(),
		HTTPClient:  f.clerk.HTTPClient(),
		WSKeepAlive: keepAlive,
		Clock:       hasuraClock,
	})
	f.sid = f.clerk.CreateSession(f.user)
	f.setName("v0")
	return f
}

func (f *subFixture) endpoint() string { return f.hasura.Endpoint() }

// clockOrNil is the fixture's clock, or nil in real time.
func (f *subFixture) clockOrNil() clerkhasura.Clock {
	if f.clock == nil {
		return nil
	}
	return f.clock
}

// source mints a token on every call: one token per connection.
func (f *subFixture) source() clerkhasura.TokenSource {
	return f.sessionSource(f.sid)
}

// sessionSource mints a token for sid on every call.
func (f *subFixture) sessionSource(sid string) clerkhasura.TokenSource {
	return sources.Session(f.t, f.clerk.SessionClient(), sid, "hasura", &clerkhasura.SessionSourceOptions{Clock: f.clockOrNil()})
}

// cached is a cache around src on the fixture's clock, closed with the
// test.
func (f *subFixture) cached(src clerkhasura.TokenSource) *clerkhasura.CachedTokenSource {
	cache := sources.Cached(f.t, src, &clerkhasura.CacheOptions{Clock: f.clockOrNil()})
	f.t.Cleanup(cache.Close)
	return cache
}

func (f *subFixture) setName(name string) {
	f.t.Helper()
	f.hasura.Seed(clerkhasuratest.UserRow{ID: f.user, Name: &name})
}

// client starts a subscription client on the fixture's clock with quick
// back-off and, unless opts sets one, no reconnect jitter: a connection
// that served a second or more is replaced at once when it is lost.
func (f *subFixture) client(src clerkhasura.TokenSource, opts *subscription.Options) *subscription.Client {
	f.t.Helper()
	if opts == nil {
		opts = &subscription.Options{}
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = 10 * time.Millisecond
		opts.MaxBackoff = 100 * time.Millisecond
	}
	if opts.ReconnectJitter == 0 {
		opts.ReconnectJitter = -1
	}
	if opts.Clock == nil {
		opts.Clock = f.clockOrNil()
	}
	c := newClient(f.t, f.endpoint(), src, opts)
	f.t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Start(ctx)
	require.NoError(f.t, err)
	return c
}

// cut lets the connections serve a second on the clock, long enough for
// their loss to be no quick one, then ends them with end, such as
// f.hasura.DropWebsockets.
func (f *subFixture) cut(end func()) {
	f.clock.Advance(time.Second)
	end()
}

// advanceUntil moves the clock by step, again and again, until cond
// holds: for a client waiting between attempts, a wait that starts at a
// moment no test can see. It fails the test after 10 s of real time.
func (f *subFixture) advanceUntil(step time.Duration, cond func() bool) {
	f.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			f.t.Fatalf("not so after the clock moved to %v", f.clock.Now())
		}
		f.clock.Advance(step)
		time.Sleep(time.Millisecond)
	}
}

// switchOver moves the clock to the moment c's connection is to be
// switched over, and waits for the switch-over to end, calling change,
// if not nil, again and again meanwhile, and for Hasura to see the old
// connection closed. The clock stands still meanwhile: the old
// connection's token does not expire, and the switch-over's timeout does
// not pass.
func (f *subFixture) switchOver(c *subscription.Client, change func()) {
	f.t.Helper()
	rotations := c.Stats().Rotations
	at, _, _ := subscription.Schedule(c)
	require.False(f.t, at.IsZero(), "no active connection")
	require.False(f.t, at.Before(f.clock.Now()), "the switch-over is overdue")
	f.clock.Set(at)
	deadline := time.Now().Add(10 * time.Second)
	for c.Stats().Rotations == rotations {
		require.True(f.t, time.Now().Before(deadline), "no switch-over within 10 s")
		if change != nil {
			change()
		} else {
			time.Sleep(time.Millisecond)
		}
	}
	require.Eventually(f.t, func() bool { return f.hasura.Stats().Websockets.Open == 1 },
		10*time.Second, time.Millisecond, "the old connection is still open")
}

// watch subscribes to the user's row with the generated function.
func (f *subFixture) watch(c *subscription.Client) (chan hgql.WatchUserWsResponse, string) {
	f.t.Helper()
	ch, id, err := hgql.WatchUser(context.Background(), c, f.user)
	require.NoError(f.t, err)
	return ch, id
}

// nameOf reads the user's name from one event; it fails on errors.
func nameOf(t *testing.T, resp hgql.WatchUserWsResponse) string {
	t.Helper()
	require.Empty(t, resp.Errors)
	require.NotNil(t, resp.Data)
	require.NotNil(t, resp.Data.UsersByPk)
	require.NotNil(t, resp.Data.UsersByPk.Name)
	return *resp.Data.UsersByPk.Name
}

// receive waits for the next event.
func receive(t *testing.T, ch chan hgql.WatchUserWsResponse) hgql.WatchUserWsResponse {
	t.Helper()
	select {
	case resp, ok := <-ch:
		require.True(t, ok, "channel closed")
		return resp
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
	}
	return hgql.WatchUserWsResponse{}
}

// expectName waits for the event naming want.
func expectName(t *testing.T, ch chan hgql.WatchUserWsResponse, want string) {
	t.Helper()
	require.Equal(t, want, nameOf(t, receive(t, ch)))
}

// expectClosed waits for ch to be closed.
func expectClosed(t *testing.T, ch chan hgql.WatchUserWsResponse) {
	t.Helper()
	select {
	case resp, ok := <-ch:
		require.False(t, ok, "unexpected event %+v", resp)
	case <-time.After(10 * time.Second):
		t.Fatal("channel not closed within 10 s")
	}
}

// events records the reconnect events a client reports.
type events struct {
	mu  sync.Mutex
	all []subscription.ReconnectEvent
	ch  chan subscription.ReconnectEvent
}

func newEvents() *events { return &events{ch: make(chan subscription.ReconnectEvent, 100)} }

func (e *events) record(ev subscription.ReconnectEvent) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
	select {
	case e.ch <- ev:
	default:
	}
}

func (e *events) next(t *testing.T) subscription.ReconnectEvent {
	t.Helper()
	select {
	case ev := <-e.ch:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no reconnect within 10 s")
	}
	return subscription.ReconnectEvent{}
}

func itoa(i int) string { return strconv.Itoa(i) }

// newClient is subscription.New, failing t on error.
func newClient(t testing.TB, endpoint string, src clerkhasura.TokenSource, opts *subscription.Options) *subscription.Client {
	t.Helper()
	c, err := subscription.New(endpoint, src, opts)
	require.NoError(t, err)
	return c
}
