package clerkhasura_test

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

// apiClient is a Client for the fixture's user over its own session and
// cache, closed with the test.
func (f *subFixture) apiClient(t *testing.T, opts *clerkhasura.ClientOptions) *clerkhasura.Client {
	t.Helper()
	src := sources.Cached(t, sources.Session(t, f.clerk.SessionClient(), f.clerk.CreateSession(f.user), "hasura", nil), nil)
	t.Cleanup(func() { src.Close() })
	c, err := clerkhasura.NewClient(f.endpoint(), src, opts)
	require.NoError(t, err)
	return c
}

func TestClientWatchMeSeesTouchLastSeen(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{keepAlive: 10 * time.Millisecond})
	var conns connCounter
	watcher := f.apiClient(t, &clerkhasura.ClientOptions{HTTPClient: conns.client()})
	other := f.apiClient(t, &clerkhasura.ClientOptions{HTTPClient: f.hasura.HTTPClient()})
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Every HTTP connection and cached token the test needs exists from
	// here on, so whatever starts later belongs to the watch.
	_, err := other.Me(ctx)
	require.NoError(t, err)
	_, err = watcher.UserID(ctx)
	require.NoError(t, err)
	before := goleak.IgnoreCurrent()

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
	assert.EqualValues(t, 1, conns.dialled.Load(), "the websocket went through ClientOptions.HTTPClient")

	cancel()
	eventsClosed(t, events)
	assert.Zero(t, conns.open.Load(), "the websocket is closed once the channel is")
	goleak.VerifyNone(t, before,
		// The fake Hasura's side of the websocket may still be ending.
		goleak.IgnoreAnyFunction("github.com/clerkhasura/clerkhasura-go/internal/fakehasura.(*WSServer).ServeHTTP"))
}

func TestClientWatchMeEndsWithTheSession(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	// Uncached, so that the reconnect asks Clerk for a token.
	c, err := clerkhasura.NewClient(f.endpoint(), f.source(), nil)
	require.NoError(t, err)
	events, err := c.WatchMe(context.Background())
	require.NoError(t, err)
	require.NotNil(t, nextEvent(t, events).User)

	f.clerk.RevokeSession(f.sid)
	f.hasura.DropWebsockets()
	ev := nextEvent(t, events)
	assert.ErrorIs(t, ev.Err, clerkhasura.ErrSessionGone)
	eventsClosed(t, events)
}

func TestClientWatchMeStartsNothingOnError(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	cancelled, cancel := context.WithCancel(context.Background())
	cancel()
	tests := []struct {
		name   string
		opts   *clerkhasura.ClientOptions
		ctx    context.Context
		target any
		is     error
	}{
		{"no user ID claim", &clerkhasura.ClientOptions{ClaimsNamespace: "https://example.com/claims"}, context.Background(), new(*clerkhasura.ClaimError), clerkhasura.ErrNoUserID},
		{"role refused at connection_init", &clerkhasura.ClientOptions{Role: "admin"}, context.Background(), new(*clerkhasura.CloseError), clerkhasura.ErrConnectionRejected},
		{"context done", nil, cancelled, nil, context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := f.apiClient(t, tt.opts)
			events, err := c.WatchMe(tt.ctx)
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
	require.Eventually(t, func() bool { return f.hasura.Stats().Websockets.Open == 0 }, 10*time.Second, time.Millisecond)
}

func TestClientNewSubscriptionClientInheritsTheClient(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	tests := []struct {
		name     string
		role     string
		opts     *clerkhasura.SubscriptionOptions
		rejected bool
	}{
		{"defaults", "", nil, false},
		{"the Client's role", "admin", nil, true},
		{"a role of its own", "admin", &clerkhasura.SubscriptionOptions{Role: "user"}, false},
		{"zero options", "admin", &clerkhasura.SubscriptionOptions{}, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var conns connCounter
			c := f.apiClient(t, &clerkhasura.ClientOptions{Role: tt.role, HTTPClient: conns.client()})
			var given clerkhasura.SubscriptionOptions
			if tt.opts != nil {
				given = *tt.opts
			}
			subs := c.NewSubscriptionClient(tt.opts)
			defer subs.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := subs.Start(ctx)
			assert.NotZero(t, conns.dialled.Load(), "the handshake went through ClientOptions.HTTPClient")
			if tt.opts != nil {
				assert.Equal(t, given, *tt.opts, "opts is not modified")
			}
			if tt.rejected {
				require.ErrorIs(t, err, clerkhasura.ErrConnectionRejected)
				return
			}
			require.NoError(t, err)
			ch, _, err := hgql.WatchUser(ctx, subs, f.user)
			require.NoError(t, err)
			expectName(t, ch, "v0")
		})
	}
}

func TestClientNewSubscriptionClientUsesTheClientsClaims(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.apiClient(t, &clerkhasura.ClientOptions{UserIDClaim: "x-hasura-missing"})
	subs := c.NewSubscriptionClient(nil)
	defer subs.Close()
	_, err := subs.WatchMe(context.Background())
	var ce *clerkhasura.ClaimError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "x-hasura-missing", ce.Claim)

	subs = c.NewSubscriptionClient(&clerkhasura.SubscriptionOptions{UserIDClaim: clerkhasura.DefaultUserIDClaim})
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
