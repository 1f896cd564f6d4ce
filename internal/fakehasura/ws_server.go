package fakehasura

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/clock"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// Defaults of [WSOptions], Hasura's.
const (
	// DefaultWSInitTimeout is HASURA_GRAPHQL_WEBSOCKET_CONNECTION_INIT_TIMEOUT's
	// default: see [WSOptions.InitTimeout].
	DefaultWSInitTimeout = 3 * time.Second
	// DefaultWSKeepAlive is the interval of the server's keepalive
	// messages (HASURA_GRAPHQL_WEBSOCKET_KEEPALIVE).
	DefaultWSKeepAlive = 5 * time.Second
)

// WSOptions configures [NewWSServer]. A nil *WSOptions means the defaults.
type WSOptions struct {
	// InitTimeout is Hasura's connection-init timeout. Like Hasura, the
	// server checks it once, right after accepting a graphql-transport-ws
	// connection: if that much time has passed since the upgrade request
	// arrived, it closes the connection with 4408 and the reason
	// "Connection initialisation timed out". It never checks again, and
	// never on Apollo connections, so a connection that sends no
	// connection_init stays open. Optional. Default [DefaultWSInitTimeout].
	InitTimeout time.Duration
	// KeepAlive is the interval between keepalive messages: "ka" on
	// Apollo connections, a ping with payload {"message":"keepalive"} on
	// graphql-transport-ws ones, in real time. Optional. Default
	// [DefaultWSKeepAlive]; a negative value sends none.
	KeepAlive time.Duration
	// Clock times the connection-init check and drops a connection when
	// its token expires. Optional. Default: the system clock.
	Clock clerkhasura.Clock
}

func (o *WSOptions) initTimeout() time.Duration {
	if o == nil || o.InitTimeout <= 0 {
		return DefaultWSInitTimeout
	}
	return o.InitTimeout
}

func (o *WSOptions) clock() clerkhasura.Clock {
	if o == nil || o.Clock == nil {
		return clock.System{}
	}
	return o.Clock
}

func (o *WSOptions) keepAlive() time.Duration {
	if o == nil || o.KeepAlive == 0 {
		return DefaultWSKeepAlive
	}
	return o.KeepAlive
}

// WSStats counts what a [WSServer] did.
type WSStats struct {
	// Accepted counts websocket connections accepted.
	Accepted int64
	// Open is how many connections are open now.
	Open int64
	// Initialised counts connections whose connection_init succeeded.
	Initialised int64
	// InitFailures counts connection_init messages that failed
	// authentication.
	InitFailures int64
	// InitTimeouts counts connections closed with 4408 because their
	// acceptance took InitTimeout or longer.
	InitTimeouts int64
	// Expired counts connections dropped because their token expired.
	Expired int64
	// Operations counts operations started.
	Operations int64
	// Results counts next/data messages sent or being sent.
	Results int64
	// KeepAlives counts keepalive messages sent or being sent.
	KeepAlives int64
}

// WSServer is Hasura's websocket transport for /v1/graphql over a
// [WSBackend]: both subprotocols, connection_init authentication, live
// queries that run again when rows change, streaming subscriptions when
// the backend is a [WSSubscriber], keepalives, and Hasura's close codes. It is an [http.Handler] for websocket upgrade requests; route
// them to it with [IsWebSocketUpgrade], and Close it before the
// httptest.Server it serves in, whose Close does not end hijacked
// connections.
//
// Where it differs from Hasura: a live query runs again as soon as a
// change commits, where Hasura polls every second
// (HASURA_GRAPHQL_LIVE_QUERIES_MULTIPLEXED_REFETCH_INTERVAL) and batches
// subscribers; a query or mutation sent over the websocket runs as over
// HTTP; a streaming subscription polls when rows change, not every
// second; payloads are re-encoded (compact, with HTML characters
// escaped), where Hasura sends Postgres' bytes as they are; the
// messages of close frames for unparsable input are the fake's own; and
// when it refuses a start message on graphql-transport-ws, it sends
// neither the start-failed error nor the complete that Hasura queues
// beside the error and close frame it writes at once.
type WSServer struct {
	backend WSBackend
	opts    WSOptions

	mu     sync.Mutex
	conns  map[*wsServerConn]struct{}
	closed bool
	wg     sync.WaitGroup

	stats struct {
		accepted, initialised, initFailures, initTimeouts, expired,
		operations, results, keepAlives atomic.Int64
	}
}

// NewWSServer returns a websocket transport for b. A nil opts means the
// defaults.
func NewWSServer(b WSBackend, opts *WSOptions) *WSServer {
	s := &WSServer{backend: b, conns: make(map[*wsServerConn]struct{})}
	s.opts.InitTimeout = opts.initTimeout()
	s.opts.KeepAlive = opts.keepAlive()
	s.opts.Clock = opts.clock()
	return s
}

// IsWebSocketUpgrade reports whether r asks to upgrade to a websocket.
func IsWebSocketUpgrade(r *http.Request) bool {
	return headerHasToken(r.Header, "Connection", "upgrade") &&
		headerHasToken(r.Header, "Upgrade", "websocket")
}

func headerHasToken(h http.Header, key, token string) bool {
	for _, v := range h.Values(key) {
		for t := range strings.SplitSeq(v, ",") {
			if strings.EqualFold(strings.TrimSpace(t), token) {
				return true
			}
		}
	}
	return false
}

// ServeHTTP accepts a websocket connection and serves it until it ends.
// It picks the subprotocol as Hasura does (see [RequestedProtocol]) and,
// like Hasura, names it in its answer whatever the client offered: a
// client that offered graphql-transport-ws and graphql-ws in one header
// gets graphql-ws, one that offered none gets graphql-ws too.
func (s *WSServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	arrived := s.opts.Clock.Now()
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		http.Error(w, "server closed", http.StatusServiceUnavailable)
		return
	}
	s.wg.Add(1)
	s.mu.Unlock()
	defer s.wg.Done()

	proto := RequestedProtocol(r.Header)
	// Accept sets the header only for a subprotocol the client offered;
	// Hasura's answer names its choice regardless.
	w.Header().Set("Sec-WebSocket-Protocol", proto.String())
	ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{InsecureSkipVerify: true})
	if err != nil {
		return
	}
	ws.SetReadLimit(maxWSMessage)
	c := newWSServerConn(s, ws, proto, r.Header.Clone())
	if !s.track(c) {
		ws.Close(websocket.StatusGoingAway, "server closed")
		return
	}
	s.stats.accepted.Add(1)
	defer s.untrack(c)
	c.serve(arrived)
}

// RequestedProtocol is the protocol Hasura runs for an upgrade request
// with headers h: graphql-transport-ws when h has exactly one
// Sec-WebSocket-Protocol header whose whole value is
// "graphql-transport-ws", Apollo's otherwise. Hasura compares the value,
// not its comma-separated items, so "graphql-transport-ws,graphql-ws",
// the header a client offering both sends, gets Apollo, as does a
// request naming no subprotocol.
func RequestedProtocol(h http.Header) wsproto.Protocol {
	if v := h.Values("Sec-WebSocket-Protocol"); len(v) == 1 {
		return wsproto.FromSubprotocol(v[0])
	}
	return wsproto.Apollo
}

// maxWSMessage bounds one client message.
const maxWSMessage = 1 << 20

func (s *WSServer) track(c *wsServerConn) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return false
	}
	s.conns[c] = struct{}{}
	return true
}

func (s *WSServer) untrack(c *wsServerConn) {
	s.mu.Lock()
	defer s.mu.Unlock()
	delete(s.conns, c)
}

func (s *WSServer) each(f func(c *wsServerConn)) {
	s.mu.Lock()
	conns := make([]*wsServerConn, 0, len(s.conns))
	for c := range s.conns {
		conns = append(conns, c)
	}
	s.mu.Unlock()
	for _, c := range conns {
		f(c)
	}
}

// Restart closes every open connection with 1012, "Server state changed,
// restarting the server", as Hasura does when its metadata, auth or CORS
// settings change and when it shuts down.
func (s *WSServer) Restart() {
	s.each(func(c *wsServerConn) {
		c.closeWith(wsproto.CloseServiceRestart, "Server state changed, restarting the server")
	})
}

// DropConnections ends every open connection abruptly: the TCP
// connection is closed without a close frame, as when a network path or
// a load balancer fails.
func (s *WSServer) DropConnections() {
	s.each(func(c *wsServerConn) { c.drop() })
}

// Close drops every connection, refuses new ones, and waits for every
// connection's goroutines to end. It is idempotent.
func (s *WSServer) Close() {
	s.mu.Lock()
	s.closed = true
	s.mu.Unlock()
	s.DropConnections()
	s.wg.Wait()
}

// Stats returns the server's counters.
func (s *WSServer) Stats() WSStats {
	s.mu.Lock()
	open := int64(len(s.conns))
	s.mu.Unlock()
	return WSStats{
		Accepted:     s.stats.accepted.Load(),
		Open:         open,
		Initialised:  s.stats.initialised.Load(),
		InitFailures: s.stats.initFailures.Load(),
		InitTimeouts: s.stats.initTimeouts.Load(),
		Expired:      s.stats.expired.Load(),
		Operations:   s.stats.operations.Load(),
		Results:      s.stats.results.Load(),
		KeepAlives:   s.stats.keepAlives.Load(),
	}
}
