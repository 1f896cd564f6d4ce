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
type subFixture struct {
	t      testing.TB
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
}

func newSubFixture(t testing.TB, o subFixtureOptions) *subFixture {
	t.Helper()
	tpl := clerkhasuratest.HasuraTemplate()
	if o.lifetime > 0 {
		tpl.Lifetime = o.lifetime
	}
	clerk := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{
		Templates: map[string]clerkhasuratest.Template{"hasura": tpl},
	})
	keepAlive := o.keepAlive
	if keepAlive == 0 {
		keepAlive = -1
	}
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:      clerk.JWKSURL(),
		HTTPClient:  clerk.HTTPClient(),
		WSKeepAlive: keepAlive,
	})
	f := &subFixture{t: t, clerk: clerk, hasura: fh, user: "user_ada"}
	f.sid = clerk.CreateSession(f.user)
	f.setName("v0")
	return f
}

func (f *subFixture) endpoint() string { return f.hasura.Endpoint() }

// source mints a token on every call: one token per connection.
func (f *subFixture) source() clerkhasura.TokenSource {
	return sources.Session(f.t, f.clerk.SessionClient(), f.sid, "hasura", nil)
}

func (f *subFixture) setName(name string) {
	f.t.Helper()
	f.hasura.Seed(clerkhasuratest.UserRow{ID: f.user, Name: &name})
}

// client starts a subscription client with quick back-off and, unless
// opts sets one, a reconnect jitter of 10 ms.
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
		opts.ReconnectJitter = 10 * time.Millisecond
	}
	c := newClient(f.t, f.endpoint(), src, opts)
	f.t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Start(ctx)
	require.NoError(f.t, err)
	return c
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
