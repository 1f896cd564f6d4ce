package clerkhasura_test

import (
	"context"
	"strconv"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
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
	return clerkhasura.NewSessionTokenSource(f.clerk.SessionClient(), f.sid, "hasura")
}

func (f *subFixture) setName(name string) {
	f.t.Helper()
	f.hasura.Seed(clerkhasuratest.UserRow{ID: f.user, Name: &name})
}

// client starts a subscription client with quick back-off and, unless
// opts sets one, a reconnect jitter of 10 ms.
func (f *subFixture) client(src clerkhasura.TokenSource, opts *clerkhasura.SubscriptionOptions) *clerkhasura.SubscriptionClient {
	f.t.Helper()
	if opts == nil {
		opts = &clerkhasura.SubscriptionOptions{}
	}
	if opts.MinBackoff == 0 {
		opts.MinBackoff = 10 * time.Millisecond
		opts.MaxBackoff = 100 * time.Millisecond
	}
	if opts.ReconnectJitter == 0 {
		opts.ReconnectJitter = 10 * time.Millisecond
	}
	c := clerkhasura.NewSubscriptionClient(f.endpoint(), src, opts)
	f.t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err := c.Start(ctx)
	require.NoError(f.t, err)
	return c
}

// watch subscribes to the user's row with the generated function.
func (f *subFixture) watch(c *clerkhasura.SubscriptionClient) (chan hgql.WatchUserWsResponse, string) {
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
	all []clerkhasura.ReconnectEvent
	ch  chan clerkhasura.ReconnectEvent
}

func newEvents() *events { return &events{ch: make(chan clerkhasura.ReconnectEvent, 100)} }

func (e *events) record(ev clerkhasura.ReconnectEvent) {
	e.mu.Lock()
	e.all = append(e.all, ev)
	e.mu.Unlock()
	select {
	case e.ch <- ev:
	default:
	}
}

func (e *events) next(t *testing.T) clerkhasura.ReconnectEvent {
	t.Helper()
	select {
	case ev := <-e.ch:
		return ev
	case <-time.After(10 * time.Second):
		t.Fatal("no reconnect within 10 s")
	}
	return clerkhasura.ReconnectEvent{}
}

// recordingSource wraps a source, counting Invalidate calls, and hands out
// a forged token first when bad is set.
type recordingSource struct {
	src clerkhasura.TokenSource

	mu          sync.Mutex
	bad         int
	invalidated []string
	handedOut   []string
}

const forgedToken = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.Zm9yZ2Vk"

func (s *recordingSource) Token(ctx context.Context) (*clerkhasura.Token, error) {
	s.mu.Lock()
	if s.bad > 0 {
		s.bad--
		s.mu.Unlock()
		return &clerkhasura.Token{Value: forgedToken, Expiry: time.Now().Add(time.Minute)}, nil
	}
	s.mu.Unlock()
	tok, err := s.src.Token(ctx)
	if err == nil {
		s.mu.Lock()
		s.handedOut = append(s.handedOut, tok.Value)
		s.mu.Unlock()
	}
	return tok, err
}

func (s *recordingSource) tokens() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string{forgedToken}, s.handedOut...)
}

func (s *recordingSource) Invalidate(rejected *clerkhasura.Token) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.invalidated = append(s.invalidated, rejected.Value)
}

func (s *recordingSource) invalidations() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]string(nil), s.invalidated...)
}

func itoa(i int) string { return strconv.Itoa(i) }

// checkLeaks verifies, after every other cleanup of t has run, that t left
// no goroutine behind. Call it first.
func checkLeaks(t *testing.T) {
	t.Helper()
	current := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, current) })
}
