package fakehasura

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/clock"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

func TestRequestedProtocol(t *testing.T) {
	tests := []struct {
		name   string
		values []string
		want   wsproto.Protocol
	}{
		{"graphql-transport-ws alone", []string{"graphql-transport-ws"}, wsproto.TransportWS},
		{"graphql-ws alone", []string{"graphql-ws"}, wsproto.Apollo},
		{"both in one header, as coder/websocket sends them", []string{"graphql-transport-ws,graphql-ws"}, wsproto.Apollo},
		{"both in one header, with a space", []string{"graphql-transport-ws, graphql-ws"}, wsproto.Apollo},
		{"both in two headers", []string{"graphql-transport-ws", "graphql-ws"}, wsproto.Apollo},
		{"graphql-transport-ws twice", []string{"graphql-transport-ws", "graphql-transport-ws"}, wsproto.Apollo},
		{"another case", []string{"GraphQL-Transport-WS"}, wsproto.Apollo},
		{"none", nil, wsproto.Apollo},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := http.Header{}
			for _, v := range tt.values {
				h.Add("Sec-WebSocket-Protocol", v)
			}
			assert.Equal(t, tt.want, RequestedProtocol(h))
		})
	}
}

// TestWSSubprotocolNegotiation runs one subscription on each kind of
// offer and checks the protocol by the type of the result message.
func TestWSSubprotocolNegotiation(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name      string
		offer     []string // Sec-WebSocket-Protocol values, one header each
		named     string   // the subprotocol the answer names
		resultTyp string
	}{
		{"graphql-transport-ws", []string{"graphql-transport-ws"}, "graphql-transport-ws", "next"},
		{"graphql-ws", []string{"graphql-ws"}, "graphql-ws", "data"},
		{"a list in one header gets Apollo", []string{"graphql-transport-ws,graphql-ws"}, "graphql-ws", "data"},
		{"two headers get Apollo", []string{"graphql-transport-ws", "graphql-ws"}, "graphql-ws", "data"},
		{"no subprotocol gets Apollo, named graphql-ws", nil, "graphql-ws", "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWSFixture(t, nil)
			c, named := f.dialHeader(tt.offer...)
			assert.Equal(t, tt.named, named)
			c.init("ok")
			c.expect("connection_ack")
			// Hasura's parser takes subscribe and start on either protocol.
			c.send(wsproto.Message{ID: "1", Type: "subscribe", Payload: subscribePayload("subscription { counter }")})
			c.expect(tt.resultTyp)
		})
	}
	t.Run("coder/websocket offering both gets graphql-ws", func(t *testing.T) {
		f := newWSFixture(t, nil)
		c := f.dial("graphql-transport-ws", "graphql-ws")
		assert.Equal(t, "graphql-ws", c.ws.Subprotocol())
	})
}

func TestWSInitTimeout(t *testing.T) {
	testkit.CheckLeaks(t)
	t.Run("graphql-transport-ws accepted after the timeout is closed with 4408", func(t *testing.T) {
		f := newWSFixture(t, &WSOptions{KeepAlive: -1, Clock: &lateClock{}})
		c := f.dial("graphql-transport-ws")
		ce := c.expectClose()
		assert.EqualValues(t, 4408, ce.Code)
		assert.Equal(t, "Connection initialisation timed out", ce.Reason, "Hasura's reason is plain text")
		assert.EqualValues(t, 1, f.ws.Stats().InitTimeouts)
	})
	t.Run("a timeout shorter than the accept closes too", func(t *testing.T) {
		f := newWSFixture(t, &WSOptions{InitTimeout: time.Nanosecond, KeepAlive: -1})
		assert.EqualValues(t, 4408, f.dial("graphql-transport-ws").expectClose().Code)
	})
	t.Run("Apollo is never checked", func(t *testing.T) {
		f := newWSFixture(t, &WSOptions{KeepAlive: -1, Clock: &lateClock{}})
		c := f.dial("graphql-ws")
		c.init("ok")
		c.expect("connection_ack")
		assert.Zero(t, f.ws.Stats().InitTimeouts)
	})
	t.Run("checked once, at accept", func(t *testing.T) {
		clk := clock.NewFake(time.Now())
		f := newWSFixture(t, &WSOptions{InitTimeout: time.Millisecond, KeepAlive: time.Millisecond, Clock: clk})
		c := f.dial("graphql-transport-ws")
		c.expect("ping")
		// An hour without connection_init: keepalives keep coming.
		clk.Advance(time.Hour)
		for range 20 {
			c.expect("ping")
		}
		c.init("ok")
		m, err := c.next()
		for ; err == nil && m.Type == "ping"; m, err = c.next() {
		}
		require.NoError(t, err)
		assert.Equal(t, "connection_ack", m.Type)
		assert.Zero(t, f.ws.Stats().InitTimeouts)
	})
}

// TestWSAcceptNamesTheProtocol checks the answer to a raw handshake that
// offers no subprotocol: Hasura names graphql-ws all the same, which
// clients that check, as browsers and coder/websocket do, refuse.
func TestWSAcceptNamesTheProtocol(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newWSFixture(t, nil)
	req, err := http.NewRequestWithContext(t.Context(), http.MethodGet, f.http.URL+"/v1/graphql", nil)
	require.NoError(t, err)
	req.Header = http.Header{
		"Connection":            {"Upgrade"},
		"Upgrade":               {"websocket"},
		"Sec-Websocket-Version": {"13"},
		"Sec-Websocket-Key":     {"dGhlIHNhbXBsZSBub25jZQ=="},
	}
	resp, err := http.DefaultTransport.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()
	assert.Equal(t, http.StatusSwitchingProtocols, resp.StatusCode)
	assert.Equal(t, "graphql-ws", resp.Header.Get("Sec-WebSocket-Protocol"))
}
