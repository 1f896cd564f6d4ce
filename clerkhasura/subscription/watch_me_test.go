package subscription_test

import (
	"context"
	"net"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// connCounter is an http.Client whose connections are counted while
// they are open.
type connCounter struct {
	dialled, open atomic.Int64
}

func (c *connCounter) client() *http.Client {
	var d net.Dialer
	return &http.Client{Transport: &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			conn, err := d.DialContext(ctx, network, addr)
			if err != nil {
				return nil, err
			}
			c.dialled.Add(1)
			c.open.Add(1)
			return &countedConn{Conn: conn, open: &c.open}, nil
		},
	}}
}

type countedConn struct {
	net.Conn
	open   *atomic.Int64
	closed atomic.Bool
}

func (c *countedConn) Close() error {
	if c.closed.CompareAndSwap(false, true) {
		c.open.Add(-1)
	}
	return c.Conn.Close()
}

// apiClient is a Hasura client for the fixture's user over its own
// session and cache, closed with the test.
func (f *subFixture) apiClient(t *testing.T, opts *hasura.ClientOptions) *hasura.Client {
	t.Helper()
	src := sources.Cached(t, sources.Session(t, f.clerk.SessionClient(), f.clerk.CreateSession(f.user), "hasura", nil), nil)
	t.Cleanup(src.Close)
	c, err := hasura.NewClient(f.endpoint(), src, opts)
	require.NoError(t, err)
	return c
}

// cachedSource is a cache over a new session of the fixture's user,
// closed with the test.
func (f *subFixture) cachedSource(t *testing.T) *clerkhasura.CachedTokenSource {
	t.Helper()
	src := sources.Cached(t, sources.Session(t, f.clerk.SessionClient(), f.clerk.CreateSession(f.user), "hasura", nil), nil)
	t.Cleanup(src.Close)
	return src
}

// TestWatchMeSeesTouchLastSeen watches the caller's row over a client
// whose websocket goes through Options.HTTPClient, while a Hasura client
// of the same user touches it; once the watch is over and the client
// closed, nothing of it remains.
func TestWatchMeSeesTouchLastSeen(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{keepAlive: 10 * time.Millisecond})
	var conns connCounter
	src := f.cachedSource(t)
	other := f.apiClient(t, &hasura.ClientOptions{Base: f.hasura.HTTPClient().Transport})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Every HTTP connection and cached token the test needs exists from
	// here on, so whatever starts later belongs to the watch.
	_, err := other.Me(ctx)
	require.NoError(t, err)
	_, err = src.Token(ctx)
	require.NoError(t, err)
	before := goleak.IgnoreCurrent()

	watcher, err := subscription.New(f.endpoint(), src, &subscription.Options{HTTPClient: conns.client()})
	require.NoError(t, err)
	_, err = watcher.Start(ctx)
	require.NoError(t, err)
	events, err := watcher.WatchMe(ctx)
	require.NoError(t, err)
	ev := nextEvent(t, events)
	require.NoError(t, ev.Err)
	require.NotNil(t, ev.User)
	assert.Equal(t, f.user, ev.User.ID)
	assert.True(t, ev.User.LastSeen.IsZero())

	seen, err := other.TouchLastSeen(ctx)
	require.NoError(t, err)
	ev = nextEvent(t, events)
	require.NoError(t, ev.Err)
	assert.True(t, seen.Equal(ev.User.LastSeen), "%v != %v", seen, ev.User.LastSeen)
	assert.EqualValues(t, 1, conns.dialled.Load(), "the websocket went through Options.HTTPClient")

	cancel()
	eventsClosed(t, events)
	require.NoError(t, watcher.Close())
	assert.Zero(t, conns.open.Load(), "the websocket is closed once the client is")
	goleak.VerifyNone(t, before,
		// The fake Hasura's side of the websocket may still be ending.
		goleak.IgnoreAnyFunction("github.com/clerkhasura/clerkhasura-go/internal/fakehasura.(*WSServer).ServeHTTP"))
}

func TestWatchMeEndsWithTheSession(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	// Uncached, so that the reconnect asks Clerk for a token.
	c := f.client(f.source(), nil)
	events, err := c.WatchMe(context.Background())
	require.NoError(t, err)
	require.NotNil(t, nextEvent(t, events).User)

	f.clerk.RevokeSession(f.sid)
	f.cut(f.hasura.DropWebsockets)
	ev := nextEvent(t, events)
	assert.ErrorIs(t, ev.Err, clerkhasura.ErrSessionGone)
	eventsClosed(t, events)
}

// TestStartAndWatchMeErrorsStartNothing: a token without the user ID, a
// role Hasura refuses at connection_init, or a context already done fail
// Start or WatchMe with an error that holds no token, and leave no
// connection open.
func TestStartAndWatchMeErrorsStartNothing(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		opts   *subscription.Options
		ctx    context.Context
		target any
		is     error
	}{
		{"no user ID claim", &subscription.Options{ClaimsNamespace: "https://example.com/claims"}, context.Background(), new(*hasura.ClaimError), hasura.ErrNoUserID},
		{"role refused at connection_init", &subscription.Options{Role: "admin"}, context.Background(), new(*subscription.CloseError), subscription.ErrConnectionRejected},
		{"context done", nil, cancelled, nil, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := newClient(t, f.endpoint(), f.cachedSource(t), tt.opts)
			defer c.Close()
			_, err := c.Start(tt.ctx)
			var events <-chan subscription.UserEvent
			if err == nil {
				events, err = c.WatchMe(tt.ctx)
			}
			require.Error(t, err)
			assert.Nil(t, events)
			assert.ErrorIs(t, err, tt.is)
			assert.NotContains(t, err.Error(), "eyJ", "no JWT in the message")
			if tt.target != nil {
				assert.ErrorAs(t, err, tt.target)
			}
		})
	}
	// The fake ends a refused connection once the close handshake is over.
	testkit.WaitFor(t, "the refused connection ends", func() bool { return f.hasura.Stats().Websockets.Open == 0 })
}

// TestOptionsRoleAndHTTPClient: the handshake goes through
// Options.HTTPClient, and connection_init asks for Options.Role, which
// Hasura refuses when the token does not allow it.
func TestOptionsRoleAndHTTPClient(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	tests := []struct {
		name     string
		role     string
		rejected bool
	}{
		{"defaults", "", false},
		{"a role the token does not allow", "admin", true},
		{"a role it allows", "user", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var conns connCounter
			opts := &subscription.Options{Role: tt.role, HTTPClient: conns.client()}
			given := *opts
			subs := newClient(t, f.endpoint(), f.cachedSource(t), opts)
			defer subs.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := subs.Start(ctx)
			assert.NotZero(t, conns.dialled.Load(), "the handshake went through Options.HTTPClient")
			assert.Equal(t, given.Role, opts.Role, "opts is not modified")
			assert.Same(t, given.HTTPClient, opts.HTTPClient, "opts is not modified")
			if tt.rejected {
				require.ErrorIs(t, err, subscription.ErrConnectionRejected)
				return
			}
			require.NoError(t, err)
			ch, _, err := hgql.WatchUser(ctx, subs, f.user)
			require.NoError(t, err)
			expectName(t, ch, "v0")
		})
	}
}

func TestWatchMeUsesTheOptionsClaims(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	subs := newClient(t, f.endpoint(), f.cachedSource(t), &subscription.Options{UserIDClaim: "x-hasura-missing"})
	defer subs.Close()
	_, err := subs.WatchMe(context.Background())
	var ce *hasura.ClaimError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "x-hasura-missing", ce.Claim)

	subs = newClient(t, f.endpoint(), f.cachedSource(t), &subscription.Options{UserIDClaim: hasura.DefaultUserIDClaim})
	defer subs.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = subs.Start(ctx)
	require.NoError(t, err)
	events, err := subs.WatchMe(ctx)
	require.NoError(t, err)
	ev := nextEvent(t, events)
	require.NotNil(t, ev.User)
	assert.Equal(t, f.user, ev.User.ID)
}
