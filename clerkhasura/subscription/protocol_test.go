package subscription_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// handshakes records the subprotocols each websocket handshake offered
// and the one its answer named.
type handshakes struct {
	base http.RoundTripper

	mu      sync.Mutex
	offered []string
	named   []string
}

func (h *handshakes) RoundTrip(r *http.Request) (*http.Response, error) {
	h.mu.Lock()
	h.offered = append(h.offered, r.Header.Get("Sec-WebSocket-Protocol"))
	h.mu.Unlock()
	resp, err := h.base.RoundTrip(r)
	if err == nil {
		h.mu.Lock()
		h.named = append(h.named, resp.Header.Get("Sec-WebSocket-Protocol"))
		h.mu.Unlock()
	}
	return resp, err
}

func (h *handshakes) get() (offered, named []string) {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]string(nil), h.offered...), append([]string(nil), h.named...)
}

func TestSubscriptionSubprotocolOnTheFake(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name, force, want string
	}{
		{"default: graphql-transport-ws alone", "", "graphql-transport-ws"},
		{"forced graphql-transport-ws", "graphql-transport-ws", "graphql-transport-ws"},
		{"forced Apollo", "graphql-ws", "graphql-ws"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newSubFixture(t, subFixtureOptions{})
			h := &handshakes{base: f.hasura.HTTPClient().Transport}
			c := f.client(f.source(), &subscription.Options{Subprotocol: tt.force, HTTPClient: &http.Client{Transport: h}})
			ch, _ := f.watch(c)
			expectName(t, ch, "v0")
			f.setName("v1")
			expectName(t, ch, "v1")
			offered, named := h.get()
			assert.Equal(t, []string{tt.want}, offered, "one subprotocol, in one header")
			assert.Equal(t, []string{tt.want}, named)
		})
	}
}

// apolloServer speaks only Apollo's protocol, answering an offer of
// graphql-transport-ws as answer says.
type apolloServer struct {
	srv    *httptest.Server
	wg     sync.WaitGroup
	mu     sync.Mutex
	conns  []*websocket.Conn
	starts int
}

func newApolloServer(t *testing.T, answer func(w http.ResponseWriter, r *http.Request) *websocket.Conn) *apolloServer {
	t.Helper()
	s := &apolloServer{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.wg.Add(1)
		defer s.wg.Done()
		var ws *websocket.Conn
		if r.Header.Get("Sec-WebSocket-Protocol") == "graphql-ws" {
			var err error
			if ws, err = websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"graphql-ws"}}); err != nil {
				return
			}
		} else if ws = answer(w, r); ws == nil {
			return
		}
		defer ws.CloseNow()
		if ws.Subprotocol() != "graphql-ws" {
			// subscriptions-transport-ws ends such a connection at once.
			ws.Close(websocket.StatusProtocolError, "")
			return
		}
		s.mu.Lock()
		s.conns = append(s.conns, ws)
		n := len(s.conns)
		s.mu.Unlock()
		for {
			_, data, err := ws.Read(context.Background())
			if err != nil {
				return
			}
			m, err := wsproto.Decode(data)
			if err != nil {
				return
			}
			switch m.Type {
			case wsproto.TypeConnectionInit:
				write(ws, wsproto.Message{Type: wsproto.TypeConnectionAck})
				write(ws, wsproto.Message{Type: wsproto.TypeKeepAlive})
			case wsproto.TypeStart:
				s.mu.Lock()
				s.starts++
				s.mu.Unlock()
				write(ws, wsproto.Message{ID: m.ID, Type: wsproto.TypeData, Payload: userResult("apollo " + itoa(n))})
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

// drop ends every connection without a close frame.
func (s *apolloServer) drop() {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, ws := range s.conns {
		ws.CloseNow()
	}
}

func TestSubscriptionFallsBackToApollo(t *testing.T) {
	testkit.CheckLeaks(t)
	answers := []struct {
		name   string
		answer func(w http.ResponseWriter, r *http.Request) *websocket.Conn
	}{
		{"refuses the handshake", func(w http.ResponseWriter, _ *http.Request) *websocket.Conn {
			http.Error(w, "unsupported subprotocol", http.StatusBadRequest)
			return nil
		}},
		{"accepts naming no subprotocol", func(w http.ResponseWriter, r *http.Request) *websocket.Conn {
			ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"graphql-ws"}})
			if err != nil {
				return nil
			}
			return ws
		}},
		{"names graphql-ws regardless", func(w http.ResponseWriter, r *http.Request) *websocket.Conn {
			w.Header().Set("Sec-WebSocket-Protocol", "graphql-ws")
			if ws, err := websocket.Accept(w, r, nil); err == nil {
				// The client refuses the answer, then reads what comes for
				// up to 3 s (coder/websocket's dial): end it at once.
				ws.CloseNow()
			}
			return nil
		}},
	}
	for _, a := range answers {
		t.Run(a.name, func(t *testing.T) {
			s := newApolloServer(t, a.answer)
			h := &handshakes{base: http.DefaultTransport}
			ev := newEvents()
			c := newClient(t, s.srv.URL, sources.Value("tok"), &subscription.Options{
				HTTPClient:      &http.Client{Transport: h},
				MinBackoff:      time.Millisecond,
				ReconnectJitter: -1,
				OnReconnect:     ev.record,
			})
			defer c.Close()
			_, err := c.Start(context.Background())
			require.NoError(t, err)
			ch, _, err := hgql.WatchUser(context.Background(), c, "user_ada")
			require.NoError(t, err)
			assert.Equal(t, "apollo 1", nameOf(t, receive(t, ch)))

			// The client keeps to graphql-ws: the next connection offers it alone.
			s.drop()
			ev.next(t)
			assert.Equal(t, "apollo 2", nameOf(t, receive(t, ch)))
			offered, _ := h.get()
			assert.Equal(t, []string{"graphql-transport-ws", "graphql-ws", "graphql-ws"}, offered)
			assert.EqualValues(t, 2, c.Stats().Connects)
		})
	}
	t.Run("a forced subprotocol is not replaced", func(t *testing.T) {
		s := newApolloServer(t, answers[0].answer)
		c := newClient(t, s.srv.URL, sources.Value("tok"), &subscription.Options{Subprotocol: "graphql-transport-ws"})
		defer c.Close()
		_, err := c.Start(context.Background())
		require.Error(t, err)
	})
}
