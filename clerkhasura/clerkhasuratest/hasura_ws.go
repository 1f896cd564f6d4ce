package clerkhasuratest

import (
	"net/http"

	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
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

// RestartWebsockets closes every websocket connection with 1012, as
// Hasura does when its metadata changes or it shuts down.
func (h *Hasura) RestartWebsockets() { h.ws.Restart() }

// DropWebsockets closes every websocket connection without a close
// frame, as a network failure does.
func (h *Hasura) DropWebsockets() { h.ws.DropConnections() }

// WebsocketStats counts what a fake [Hasura]'s websocket transport did.
type WebsocketStats struct {
	// Accepted counts connections accepted, Open those open now, and
	// Initialised those whose connection_init succeeded.
	Accepted, Open, Initialised int64
	// InitFailures counts connection_init messages refused, InitTimeouts
	// connections closed for [HasuraOptions.WSInitTimeout], and Expired
	// those dropped because their token expired.
	InitFailures, InitTimeouts, Expired int64
	// Operations counts operations started, Results results sent (next or
	// data messages), and KeepAlives keepalive messages.
	Operations, Results, KeepAlives int64
}

func websocketStats(s fakehasura.WSStats) WebsocketStats {
	return WebsocketStats{
		Accepted: s.Accepted, Open: s.Open, Initialised: s.Initialised,
		InitFailures: s.InitFailures, InitTimeouts: s.InitTimeouts, Expired: s.Expired,
		Operations: s.Operations, Results: s.Results, KeepAlives: s.KeepAlives,
	}
}
