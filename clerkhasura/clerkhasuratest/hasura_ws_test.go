package clerkhasuratest_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/clock"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// wsPair is a fake Clerk and a fake Hasura that trusts it, both on one
// clock that starts at the system's time and moves only when a test
// moves it, with one session for user_ada, whose row exists. The
// subscription clients of the tests are on the system clock.
type wsPair struct {
	clock *clerkhasuratest.Clock
	clerk *clerkhasuratest.Clerk
	fh    *clerkhasuratest.Hasura
	sid   string
}

// newWSPair starts the fakes; opts may be nil, and sets a Hasura clock
// of its own. It first registers a
// cleanup that, running after every other, checks that no goroutine of
// the fakes or the clients is left.
func newWSPair(t *testing.T, opts *clerkhasuratest.HasuraOptions) *wsPair {
	t.Helper()
	testkit.CheckLeaks(t)
	p := &wsPair{clock: clerkhasuratest.NewClock(time.Now())}
	p.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: p.clock})
	if opts == nil {
		opts = &clerkhasuratest.HasuraOptions{}
	}
	if opts.Clock == nil {
		opts.Clock = p.clock
	}
	opts.JWKURL = p.clerk.JWKSURL()
	opts.HTTPClient = p.clerk.HTTPClient()
	p.fh = clerkhasuratest.NewHasura(t, opts)
	p.sid = p.clerk.CreateSession("user_ada")
	p.setName(t, "Ada")
	return p
}

func (p *wsPair) setName(t *testing.T, name string) {
	t.Helper()
	p.fh.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: &name})
}

// source mints a token for user_ada on every call.
func (p *wsPair) source(t testing.TB) clerkhasura.TokenSource {
	return sources.Session(t, p.clerk.SessionClient(), p.sid, "hasura", nil)
}

// watch starts a subscription client with quick back-off and watches
// user_ada's row with it until the test ends.
func (p *wsPair) watch(t *testing.T, opts subscription.Options) (*subscription.Client, <-chan subscription.UserEvent) {
	t.Helper()
	opts.HTTPClient = p.fh.HTTPClient()
	opts.MinBackoff, opts.MaxBackoff = 10*time.Millisecond, 50*time.Millisecond
	c, err := subscription.New(p.fh.Endpoint(), p.source(t), &opts)
	require.NoError(t, err)
	t.Cleanup(func() { c.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.Start(ctx)
	require.NoError(t, err)
	events, err := c.WatchMe(context.Background())
	require.NoError(t, err)
	return c, events
}

func nextUser(t *testing.T, events <-chan subscription.UserEvent) *hasura.User {
	t.Helper()
	select {
	case ev, ok := <-events:
		require.True(t, ok, "watch ended")
		require.NoError(t, ev.Err)
		return ev.User
	case <-time.After(10 * time.Second):
		t.Fatal("no event within 10 s")
		return nil
	}
}

func expectUserName(t *testing.T, events <-chan subscription.UserEvent, want string) {
	t.Helper()
	u := nextUser(t, events)
	require.NotNil(t, u, "no row")
	require.NotNil(t, u.Name)
	assert.Equal(t, want, *u.Name)
}

func TestHasuraWebsocketLiveQuery(t *testing.T) {
	for _, proto := range []string{"graphql-transport-ws", "graphql-ws"} {
		t.Run(proto, func(t *testing.T) {
			p := newWSPair(t, nil)
			_, events := p.watch(t, subscription.Options{Subprotocol: proto})
			expectUserName(t, events, "Ada")

			p.setName(t, "Ada Lovelace")
			expectUserName(t, events, "Ada Lovelace")

			api, err := hasura.NewClient(p.fh.Endpoint(), p.source(t), &hasura.ClientOptions{Base: p.fh.HTTPClient().Transport})
			require.NoError(t, err)
			_, err = api.UpsertMe(context.Background(), "Countess")
			require.NoError(t, err)
			expectUserName(t, events, "Countess")

			_, body := hasuraPost(t, p.fh.Endpoint(), `{"query":"mutation { delete_users_by_pk(id: \"user_ada\") { id } }"}`,
				map[string]string{"X-Hasura-Admin-Secret": p.fh.AdminSecret()})
			require.Equal(t, `{"data":{"delete_users_by_pk":{"id":"user_ada"}}}`, body)
			assert.Nil(t, nextUser(t, events), "the deleted row")

			ws := p.fh.Stats().Websockets
			assert.EqualValues(t, 1, ws.Accepted)
			assert.EqualValues(t, 1, ws.Open)
			assert.EqualValues(t, 1, ws.Initialised)
			assert.EqualValues(t, 1, ws.Operations)
			assert.EqualValues(t, 4, ws.Results, "one result per state of the row")
			assert.Zero(t, ws.InitFailures+ws.InitTimeouts+ws.Expired)
		})
	}
}

func TestHasuraWebsocketKeepAlives(t *testing.T) {
	t.Run("keep a quiet connection open", func(t *testing.T) {
		p := newWSPair(t, &clerkhasuratest.HasuraOptions{WSKeepAlive: 10 * time.Millisecond})
		c, events := p.watch(t, subscription.Options{KeepAliveTimeout: 100 * time.Millisecond})
		expectUserName(t, events, "Ada")
		// Thirty keepalives span three times the client's timeout.
		testkit.WaitFor(t, "thirty keepalives", func() bool { return p.fh.Stats().Websockets.KeepAlives >= 30 })
		p.setName(t, "Ada Lovelace")
		expectUserName(t, events, "Ada Lovelace")
		s := c.Stats()
		assert.EqualValues(t, 1, s.Connects)
		assert.Zero(t, s.Reconnects)
	})
	t.Run("none when negative", func(t *testing.T) {
		p := newWSPair(t, &clerkhasuratest.HasuraOptions{WSKeepAlive: -1})
		reconnected := make(chan subscription.ReconnectEvent, 100)
		c, events := p.watch(t, subscription.Options{
			KeepAliveTimeout: 50 * time.Millisecond,
			OnReconnect: func(e subscription.ReconnectEvent) {
				select {
				case reconnected <- e:
				default:
				}
			},
		})
		expectUserName(t, events, "Ada")
		select {
		case e := <-reconnected:
			assert.False(t, e.Planned)
		case <-time.After(10 * time.Second):
			t.Fatal("a silent connection was not replaced")
		}
		assert.Zero(t, p.fh.Stats().Websockets.KeepAlives)
		assert.NotZero(t, c.Stats().Reconnects)
	})
}

func TestHasuraRestartAndDropWebsockets(t *testing.T) {
	tests := []struct {
		name     string
		cut      func(*clerkhasuratest.Hasura)
		wantCode int
	}{
		{"restart closes with 1012", (*clerkhasuratest.Hasura).RestartWebsockets, 1012},
		{"drop sends no close frame", (*clerkhasuratest.Hasura).DropWebsockets, 1006},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newWSPair(t, nil)
			reconnected := make(chan subscription.ReconnectEvent, 1)
			c, events := p.watch(t, subscription.Options{
				OnReconnect: func(e subscription.ReconnectEvent) { reconnected <- e },
			})
			expectUserName(t, events, "Ada")

			tt.cut(p.fh)
			var e subscription.ReconnectEvent
			select {
			case e = <-reconnected:
			case <-time.After(10 * time.Second):
				t.Fatal("no reconnect within 10 s")
			}
			var ce *subscription.CloseError
			require.ErrorAs(t, e.Cause, &ce)
			assert.Equal(t, tt.wantCode, ce.Code)

			p.setName(t, "Ada Lovelace")
			expectUserName(t, events, "Ada Lovelace")
			assert.EqualValues(t, 2, c.Stats().Connects)
			testkit.WaitFor(t, "the old connection closes", func() bool { return p.fh.Stats().Websockets.Open == 1 })
			ws := p.fh.Stats().Websockets
			assert.EqualValues(t, 2, ws.Accepted)
			assert.EqualValues(t, 2, ws.Initialised)
		})
	}
}

// dialRaw opens a websocket to the fake with the given subprotocol and
// sends connection_init with token, unless token is empty.
func dialRaw(t *testing.T, fh *clerkhasuratest.Hasura, proto, token string) *websocket.Conn {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, fh.Endpoint(), &websocket.DialOptions{
		HTTPClient:   fh.HTTPClient(),
		Subprotocols: []string{proto},
	})
	require.NoError(t, err)
	t.Cleanup(func() { ws.CloseNow() })
	if token != "" {
		init := `{"type":"connection_init","payload":{"headers":{"Authorization":"Bearer ` + token + `"}}}`
		require.NoError(t, ws.Write(ctx, websocket.MessageText, []byte(init)))
	}
	return ws
}

// readUntilEnd reads messages until the connection ends and returns their
// texts and the error that ended it.
func readUntilEnd(t *testing.T, ws *websocket.Conn) ([]string, error) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var msgs []string
	for {
		_, b, err := ws.Read(ctx)
		if err != nil {
			require.NoError(t, ctx.Err(), "the connection did not end")
			return msgs, err
		}
		msgs = append(msgs, string(b))
	}
}

// expiredToken mints a token for user_ada, then moves the fakes' clock
// to a second after the token's exp.
func expiredToken(p *wsPair) string {
	tok := p.clerk.TemplateToken(p.sid, "hasura")
	setClockBefore(p, tok, -time.Second)
	return tok
}

// setClockBefore moves the fakes' clock to left before tok's exp.
func setClockBefore(p *wsPair, tok string, left time.Duration) {
	claims, err := jwtclaims.Peek(tok)
	if err != nil {
		panic(err)
	}
	p.clock.Set(claims.Expiry.Add(-left))
}

func TestHasuraWebsocketHandshake(t *testing.T) {
	tests := []struct {
		name  string
		opts  clerkhasuratest.HasuraOptions
		proto string
		token func(p *wsPair) string
		// then runs once the connection is open, connection_init sent.
		then   func(t *testing.T, p *wsPair)
		code   websocket.StatusCode // -1: no close frame
		msgs   []string
		counts func(clerkhasuratest.WebsocketStats) int64
	}{
		{
			// Hasura checks its connection-init timer once, when it has
			// accepted the connection: a nanosecond of real time has
			// passed by then.
			name:   "accepted after WSInitTimeout",
			opts:   clerkhasuratest.HasuraOptions{WSInitTimeout: time.Nanosecond, WSKeepAlive: -1, Clock: clock.System{}},
			proto:  "graphql-transport-ws",
			token:  func(*wsPair) string { return "" },
			code:   4408,
			counts: func(s clerkhasuratest.WebsocketStats) int64 { return s.InitTimeouts },
		},
		{
			name:   "refused token, graphql-transport-ws",
			opts:   clerkhasuratest.HasuraOptions{WSKeepAlive: -1},
			proto:  "graphql-transport-ws",
			token:  expiredToken,
			code:   4403,
			counts: func(s clerkhasuratest.WebsocketStats) int64 { return s.InitFailures },
		},
		{
			name:   "refused token, Apollo",
			opts:   clerkhasuratest.HasuraOptions{WSKeepAlive: -1},
			proto:  "graphql-ws",
			token:  expiredToken,
			code:   4400,
			msgs:   []string{`{"type":"connection_error","payload":"Could not verify JWT: JWTExpired"}`},
			counts: func(s clerkhasuratest.WebsocketStats) int64 { return s.InitFailures },
		},
		{
			name:  "token expiry drops the connection",
			opts:  clerkhasuratest.HasuraOptions{WSKeepAlive: -1},
			proto: "graphql-transport-ws",
			token: func(p *wsPair) string {
				tok := p.clerk.TemplateToken(p.sid, "hasura")
				setClockBefore(p, tok, 200*time.Millisecond)
				return tok
			},
			then: func(t *testing.T, p *wsPair) {
				require.Eventually(t, func() bool { return p.fh.Stats().Websockets.Initialised == 1 }, 10*time.Second, time.Millisecond)
				p.clock.Advance(199 * time.Millisecond)
				assert.Zero(t, p.fh.Stats().Websockets.Expired, "dropped before the token expired")
				p.clock.Advance(time.Millisecond)
			},
			code:   -1,
			msgs:   []string{`{"type":"connection_ack"}`},
			counts: func(s clerkhasuratest.WebsocketStats) int64 { return s.Expired },
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := newWSPair(t, &tt.opts)
			ws := dialRaw(t, p.fh, tt.proto, tt.token(p))
			if tt.then != nil {
				tt.then(t, p)
			}
			msgs, err := readUntilEnd(t, ws)
			assert.Equal(t, tt.code, websocket.CloseStatus(err), "%v", err)
			if tt.msgs != nil {
				assert.Equal(t, tt.msgs, msgs)
			} else {
				assert.Empty(t, msgs)
			}
			assert.EqualValues(t, 1, tt.counts(p.fh.Stats().Websockets))
		})
	}
}

func TestHasuraWebsocketInitTimeoutIsForGraphQLTransportWS(t *testing.T) {
	p := newWSPair(t, &clerkhasuratest.HasuraOptions{WSInitTimeout: time.Nanosecond, WSKeepAlive: -1, Clock: clock.System{}})
	ws := dialRaw(t, p.fh, "graphql-transport-ws", "")
	_, err := readUntilEnd(t, ws)
	var ce websocket.CloseError
	require.ErrorAs(t, err, &ce)
	assert.EqualValues(t, 4408, ce.Code)
	assert.Equal(t, "Connection initialisation timed out", ce.Reason)

	ws = dialRaw(t, p.fh, "graphql-ws", p.clerk.TemplateToken(p.sid, "hasura"))
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, msg, err := ws.Read(ctx)
	require.NoError(t, err)
	assert.JSONEq(t, `{"type":"connection_ack"}`, string(msg), "Apollo connections are never timed out")
	assert.EqualValues(t, 1, p.fh.Stats().Websockets.InitTimeouts)
}

func TestHasuraWebsocketRoutes(t *testing.T) {
	p := newWSPair(t, nil)
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, resp, err := websocket.Dial(ctx, p.fh.URL()+"/v1/metadata", &websocket.DialOptions{HTTPClient: p.fh.HTTPClient()})
	require.Error(t, err, "only /v1/graphql speaks websockets")
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	_, body := hasuraPost(t, p.fh.Endpoint(), `{"query":"{ users { id } }"}`,
		map[string]string{"Authorization": "Bearer " + p.clerk.TemplateToken(p.sid, "hasura")})
	assert.Equal(t, `{"data":{"users":[{"id":"user_ada"}]}}`, body, "plain POSTs still reach the engine")
	assert.Zero(t, p.fh.Stats().Websockets.Accepted)
}

func TestHasuraCloseEndsOpenWebsockets(t *testing.T) {
	p := newWSPair(t, nil)
	var st clerkhasuratest.StandaloneTester
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWKURL: p.clerk.JWKSURL(), HTTPClient: p.clerk.HTTPClient()})
	name := "Ada"
	fh.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: &name})
	c, err := subscription.New(fh.Endpoint(), p.source(t), &subscription.Options{HTTPClient: fh.HTTPClient()})
	require.NoError(t, err)
	defer c.Close()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = c.Start(ctx)
	require.NoError(t, err)
	events, err := c.WatchMe(ctx)
	require.NoError(t, err)
	expectUserName(t, events, "Ada")

	st.Close() // ends the open websocket too
	assert.Zero(t, fh.Stats().Websockets.Open)
	require.NoError(t, c.Close())
	_, open := <-events
	assert.False(t, open)
}
