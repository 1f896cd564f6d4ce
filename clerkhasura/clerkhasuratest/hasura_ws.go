package clerkhasuratest

import (
	"net/http"

	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// Defaults of [HasuraOptions.WSKeepAlive] and
// [HasuraOptions.WSInitTimeout], Hasura's.
const (
	// DefaultWSKeepAlive is the interval of a fake [Hasura]'s websocket
	// keepalive messages.
	DefaultWSKeepAlive = fakehasura.DefaultWSKeepAlive
	// DefaultWSInitTimeout is Hasura's connection-init timeout, 3 s. Like
	// Hasura, a fake [Hasura] checks it once, when it has accepted a
	// graphql-transport-ws connection, and closes the connection with
	// 4408 if its acceptance took that long; it never closes a
	// connection later for want of connection_init.
	DefaultWSInitTimeout = fakehasura.DefaultWSInitTimeout
)

func (o *HasuraOptions) wsOptions() *fakehasura.WSOptions {
	return &fakehasura.WSOptions{KeepAlive: o.WSKeepAlive, InitTimeout: o.WSInitTimeout, Clock: o.Clock}
}

// serveHTTP hands websocket upgrades of the GraphQL endpoint to the
// websocket transport, and everything else to the engine.
func (h *Hasura) serveHTTP(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == "/v1/graphql" && fakehasura.IsWebSocketUpgrade(r) {
		h.ws.ServeHTTP(w, r)
		return
	}
	h.eng.ServeHTTP(w, r)
}

// RestartWebsockets closes every open websocket connection with code
// 1012 and reason "Server state changed, restarting the server", as
// Hasura does when its metadata, auth or CORS settings change, and when
// it shuts down. New connections are accepted as before.
func (h *Hasura) RestartWebsockets() { h.ws.Restart() }

// DropWebsockets ends every open websocket connection abruptly: the TCP
// connection is closed without a close frame, as when a load balancer or
// the network fails. New connections are accepted as before.
func (h *Hasura) DropWebsockets() { h.ws.DropConnections() }

// WebsocketStats counts what a fake [Hasura]'s websocket transport did;
// see [HasuraStats].
type WebsocketStats struct {
	// Accepted counts websocket connections accepted.
	Accepted int64
	// Open is how many connections are open now.
	Open int64
	// Initialised counts connections whose connection_init succeeded.
	Initialised int64
	// InitFailures counts connection_init messages refused, such as for
	// an invalid or expired token.
	InitFailures int64
	// InitTimeouts counts graphql-transport-ws connections closed with
	// 4408 because their acceptance took WSInitTimeout or longer.
	InitTimeouts int64
	// Expired counts connections dropped because their token expired.
	Expired int64
	// Operations counts operations started: subscriptions, queries and
	// mutations.
	Operations int64
	// Results counts results sent (next on graphql-transport-ws, data
	// on Apollo).
	Results int64
	// KeepAlives counts keepalive messages sent.
	KeepAlives int64
}

func websocketStats(s fakehasura.WSStats) WebsocketStats {
	return WebsocketStats{
		Accepted:     s.Accepted,
		Open:         s.Open,
		Initialised:  s.Initialised,
		InitFailures: s.InitFailures,
		InitTimeouts: s.InitTimeouts,
		Expired:      s.Expired,
		Operations:   s.Operations,
		Results:      s.Results,
		KeepAlives:   s.KeepAlives,
	}
}
