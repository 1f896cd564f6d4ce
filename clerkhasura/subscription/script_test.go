package subscription_test

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// scriptServer is a graphql-transport-ws server whose answers a test
// scripts, for behaviour the fake Hasura never shows.
type scriptServer struct {
	srv   *httptest.Server
	conns atomic.Int64
	wg    sync.WaitGroup
	// onInit answers connection_init; nil acks.
	onInit func(ws *websocket.Conn, token string) bool
	// onSubscribe answers a subscribe message on connection n.
	onSubscribe func(ws *websocket.Conn, n int64, m wsproto.Message, query string)
}

func newScriptServer(t *testing.T, s *scriptServer) *scriptServer {
	t.Helper()
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.wg.Add(1)
		defer s.wg.Done()
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{wsproto.SubprotocolTransportWS}})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		n := s.conns.Add(1)
		ctx := context.Background()
		for {
			_, data, err := ws.Read(ctx)
			if err != nil {
				return
			}
			m, err := wsproto.Decode(data)
			if err != nil {
				return
			}
			switch m.Type {
			case wsproto.TypeConnectionInit:
				h, _ := wsproto.InitHeaders(m.Payload)
				if s.onInit != nil && !s.onInit(ws, strings.TrimPrefix(h["Authorization"], "Bearer ")) {
					return
				}
				// A keepalive before and after the ack, as Hasura sends them.
				write(ws, wsproto.Message{Type: "ping", Payload: json.RawMessage(`{"message":"keepalive"}`)})
				write(ws, wsproto.Message{Type: "connection_ack"})
				write(ws, wsproto.Message{Type: "ping", Payload: json.RawMessage(`{"message":"keepalive"}`)})
				write(ws, wsproto.Message{Type: "something_new"})
			case wsproto.TypeSubscribe:
				var p struct{ Query string }
				_ = json.Unmarshal(m.Payload, &p)
				s.onSubscribe(ws, n, m, p.Query)
			}
		}
	}))
	t.Cleanup(func() {
		s.srv.CloseClientConnections()
		s.srv.Close()
		s.wg.Wait()
	})
	return s
}

func write(ws *websocket.Conn, m wsproto.Message) {
	_ = ws.Write(context.Background(), websocket.MessageText, wsproto.Encode(m))
}

func userResult(name string) json.RawMessage {
	return json.RawMessage(`{"data":{"users_by_pk":{"id":"user_ada","name":"` + name + `","last_seen":null}}}`)
}

func TestSubscription4400EndsOnlyTheSubscriptionThatCausedIt(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name string
		// errorFirst sends an error for the refused subscription before
		// the close, as Hasura does.
		errorFirst bool
	}{
		{"Hasura: error, then close", true},
		{"close alone", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			const reason = "an operation already exists with this id: 2"
			s := newScriptServer(t, &scriptServer{
				onSubscribe: func(ws *websocket.Conn, n int64, m wsproto.Message, query string) {
					if strings.Contains(query, "Boom") {
						// Hasura's answer to a start it refuses: 1000, reason "4400: …".
						if tt.errorFirst {
							write(ws, wsproto.Message{ID: m.ID, Type: "error", Payload: json.RawMessage(`"` + reason + `"`)})
						}
						ws.Close(websocket.StatusNormalClosure, wsproto.CloseReason(4400, reason))
						return
					}
					write(ws, wsproto.Message{ID: m.ID, Type: "next", Payload: userResult("conn " + itoa(int(n)))})
				},
			})
			c := newClient(t, s.srv.URL, sources.Value("tok"), &subscription.Options{MinBackoff: time.Millisecond, ReconnectJitter: -1})
			defer c.Close()
			_, err := c.Start(context.Background())
			require.NoError(t, err)

			good, _, err := hgql.WatchUser(context.Background(), c, "user_ada")
			require.NoError(t, err)
			require.Equal(t, "conn 1", nameOf(t, receive(t, good)), "keepalives and unknown messages are ignored")

			boom := make(chan hgql.WatchUserWsResponse)
			_, err = c.Subscribe(&graphql.Request{OpName: "Boom", Query: "subscription Boom { users { id } }"}, boom, hgql.WatchUserForwardData)
			require.NoError(t, err)
			var after chan hgql.WatchUserWsResponse
			if tt.errorFirst {
				// Sent after the refused one, it is not blamed for the close.
				after, _, err = hgql.WatchUser(context.Background(), c, "user_ada")
				require.NoError(t, err)
			}
			resp := receive(t, boom)
			require.Len(t, resp.Errors, 1)
			if tt.errorFirst {
				assert.Equal(t, reason, resp.Errors[0].Message)
			} else {
				var ce *subscription.CloseError
				require.ErrorAs(t, resp.Errors, &ce)
				assert.Equal(t, 1000, ce.Code)
				assert.Equal(t, 4400, ce.ServerCode)
				assert.Equal(t, reason, ce.Reason)
			}
			expectClosed(t, boom)

			assert.Equal(t, "conn 2", nameOf(t, receive(t, good)), "the other subscription moved to a new connection")
			want := 1
			if after != nil {
				assert.Equal(t, "conn 2", nameOf(t, receive(t, after)))
				want = 2
			}
			assert.Equal(t, want, c.Stats().Subscriptions)
		})
	}
}

func TestSubscriptionNeverRevealsTokens(t *testing.T) {
	testkit.CheckLeaks(t)
	const secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0LXRva2Vu.c2lnbmF0dXJl"
	s := newScriptServer(t, &scriptServer{
		onInit: func(ws *websocket.Conn, token string) bool {
			// A server that echoes the token it refuses.
			ws.Close(4403, `{"server_error_msg":"4403: bad `+token+`"}`)
			return false
		},
	})
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c := newClient(t, s.srv.URL, sources.Value(secret), &subscription.Options{Logger: logger})
	defer c.Close()
	_, err := c.Start(context.Background())
	require.Error(t, err)
	assert.ErrorIs(t, err, subscription.ErrConnectionRejected)
	var ce *subscription.CloseError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, 4403, ce.Code)
	assert.Equal(t, "bad [redacted]", ce.Reason)
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, logs.String(), secret)
	assert.EqualValues(t, 2, s.conns.Load(), "a refused token is replaced once at Start")
}

// TestSubscriptionInitTimeoutOnTheClock: a server that never acknowledges
// connection_init fails Start once InitTimeout has passed on the client's
// clock, however little real time passed.
func TestSubscriptionInitTimeoutOnTheClock(t *testing.T) {
	testkit.CheckLeaks(t)
	hold := make(chan struct{})
	s := newScriptServer(t, &scriptServer{
		onInit: func(*websocket.Conn, string) bool {
			<-hold
			return false
		},
	})
	t.Cleanup(func() { close(hold) })
	clock := clerkhasuratest.NewClock(time.Now())
	c := newClient(t, s.srv.URL, sources.Value("tok"), &subscription.Options{InitTimeout: 5 * time.Second, Clock: clock})
	defer c.Close()
	started := make(chan error, 1)
	go func() {
		_, err := c.Start(context.Background())
		started <- err
	}()
	require.Eventually(t, func() bool { return s.conns.Load() == 1 }, 10*time.Second, time.Millisecond)
	clock.Advance(5*time.Second - time.Millisecond)
	select {
	case err := <-started:
		t.Fatalf("Start returned before InitTimeout: %v", err)
	default:
	}
	clock.Advance(time.Millisecond)
	var err error
	select {
	case err = <-started:
	case <-time.After(10 * time.Second):
		t.Fatal("Start did not return")
	}
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.EqualError(t, err, "clerkhasura: no connection_ack from Hasura within 5s: context deadline exceeded")
	assert.EqualValues(t, 1, c.Stats().ConnectFailures)
}
