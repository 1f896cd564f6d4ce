package fakehasura

import (
	"encoding/json"
	"net/http"
	"strconv"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/clock"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

func TestWSLiveQueryBothProtocols(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name         string
		subprotocols []string
		start, data  string
	}{
		{"graphql-transport-ws", []string{"graphql-transport-ws"}, "subscribe", "next"},
		{"graphql-ws", []string{"graphql-ws"}, "start", "data"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWSFixture(t, nil)
			c := f.dial(tt.subprotocols...)
			c.init("ok")
			c.expect("connection_ack")
			c.send(wsproto.Message{ID: "1", Type: tt.start, Payload: subscribePayload("subscription { counter }")})
			m := c.expect(tt.data)
			assert.Equal(t, "1", m.ID)
			assert.JSONEq(t, `{"data":{"counter":0}}`, string(m.Payload))

			f.backend.touch() // same result: nothing is sent
			f.backend.set(7)
			m = c.expect(tt.data)
			assert.JSONEq(t, `{"data":{"counter":7}}`, string(m.Payload))

			c.send(wsproto.Message{ID: "1", Type: wsproto.Protocol(map[bool]int{true: 1, false: 2}[tt.start == "subscribe"]).Stop()})
			c.send(wsproto.Message{ID: "2", Type: tt.start, Payload: subscribePayload("query { counter }")})
			m = c.expect(tt.data)
			assert.Equal(t, "2", m.ID)
			assert.JSONEq(t, `{"data":{"counter":7}}`, string(m.Payload))
			assert.Equal(t, "2", c.expect("complete").ID)

			f.backend.set(8) // the stopped subscription sends nothing more
			c.send(wsproto.Message{Type: wsproto.TypePing, Payload: json.RawMessage(`{"n":1}`)})
			assert.JSONEq(t, `{"n":1}`, string(c.expect("pong").Payload))
			assert.EqualValues(t, 2, f.ws.Stats().Operations)
		})
	}
}

func TestWSInitFailure(t *testing.T) {
	testkit.CheckLeaks(t)
	t.Run("graphql-transport-ws closes with 4403 and sends nothing", func(t *testing.T) {
		f := newWSFixture(t, nil)
		c := f.dial("graphql-transport-ws")
		c.init("forged")
		_, err := c.next()
		var ce websocket.CloseError
		require.ErrorAs(t, err, &ce)
		assert.EqualValues(t, 4403, ce.Code)
		assert.Equal(t, `{"server_error_msg":"4403: Forbidden"}`, ce.Reason)
		assert.EqualValues(t, 1, f.ws.Stats().InitFailures)
	})
	t.Run("Apollo sends connection_error, then closes with 4400", func(t *testing.T) {
		f := newWSFixture(t, nil)
		c := f.dial("graphql-ws")
		c.init("forged")
		m := c.expect("connection_error")
		assert.JSONEq(t, `"Could not verify JWT: JWSError JWSInvalidSignature"`, string(m.Payload))
		ce := c.expectClose()
		assert.EqualValues(t, 4400, ce.Code)
		assert.Equal(t, "Connection initialization failed: Could not verify JWT: JWSError JWSInvalidSignature",
			wsproto.ServerErrorMessage(ce.Reason))
	})
	t.Run("upgrade request headers count", func(t *testing.T) {
		f := newWSFixture(t, nil)
		ws, _, err := websocket.Dial(t.Context(), f.http.URL+"/v1/graphql", &websocket.DialOptions{
			Subprotocols: []string{"graphql-transport-ws"},
			HTTPHeader:   http.Header{"Authorization": {"Bearer ok"}},
		})
		require.NoError(t, err)
		defer ws.CloseNow()
		c := &testClient{t: t, ws: ws}
		c.send(wsproto.Message{Type: "connection_init"})
		c.expect("connection_ack")
	})
}

func TestWSCloseCodes(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		name       string
		opts       *WSOptions
		proto      string
		run        func(f *wsFixture, c *testClient)
		wantCode   websocket.StatusCode
		wantReason string
	}{
		{"malformed message", nil, "graphql-transport-ws",
			func(_ *wsFixture, c *testClient) { c.sendRaw([]byte(`{"type":`)) }, 4400, ""},
		{"subscribe before init", nil, "graphql-transport-ws",
			func(_ *wsFixture, c *testClient) {
				c.send(wsproto.Message{ID: "1", Type: "subscribe", Payload: subscribePayload("subscription { counter }")})
				m := c.expect("error")
				assert.Equal(c.t, "1", m.ID)
				assert.JSONEq(c.t, `"start received before the connection is initialised"`, string(m.Payload))
			}, 1000, "start received before the connection is initialised"},
		{"duplicate id", nil, "graphql-transport-ws",
			func(_ *wsFixture, c *testClient) {
				c.init("ok")
				c.expect("connection_ack")
				c.send(wsproto.Message{ID: "1", Type: "subscribe", Payload: subscribePayload("subscription { counter }")})
				c.expect("next")
				c.send(wsproto.Message{ID: "1", Type: "subscribe", Payload: subscribePayload("subscription { counter }")})
				// Hasura writes an error for the id before its close frame.
				m := c.expect("error")
				assert.Equal(c.t, "1", m.ID)
				assert.JSONEq(c.t, `"an operation already exists with this id: 1"`, string(m.Payload))
			}, 1000, "an operation already exists with this id: 1"},
		{"restart", nil, "graphql-ws",
			func(f *wsFixture, c *testClient) {
				c.init("ok")
				c.expect("connection_ack")
				f.ws.Restart()
			}, 1012, "Server state changed, restarting the server"},
		{"terminate", nil, "graphql-ws",
			func(_ *wsFixture, c *testClient) { c.send(wsproto.Message{Type: "connection_terminate"}) }, 1000, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newWSFixture(t, tt.opts)
			c := f.dial(tt.proto)
			tt.run(f, c)
			ce := c.expectClose()
			assert.Equal(t, tt.wantCode, ce.Code)
			if tt.wantReason != "" {
				assert.Equal(t, tt.wantReason, wsproto.ServerErrorMessage(ce.Reason))
			}
		})
	}
}

func TestWSDroppedWithoutCloseFrame(t *testing.T) {
	testkit.CheckLeaks(t)
	t.Run("token expiry", func(t *testing.T) {
		clk := clock.NewFake(time.Now())
		f := newWSFixture(t, &WSOptions{KeepAlive: -1, Clock: clk})
		c := f.dial("graphql-transport-ws")
		c.init("exp:" + strconv.FormatInt(clk.Now().Add(time.Minute).UnixMilli(), 10))
		c.expect("connection_ack")
		c.send(wsproto.Message{ID: "1", Type: "subscribe", Payload: subscribePayload("subscription { counter }")})
		c.expect("next")
		// The expiry follows the server's clock, not real time.
		clk.Advance(time.Minute - time.Millisecond)
		f.backend.set(1)
		c.expect("next")
		assert.Zero(t, f.ws.Stats().Expired)
		clk.Advance(time.Millisecond)
		ce := c.expectClose()
		assert.EqualValues(t, -1, ce.Code, "no close frame: %s", ce.Reason)
		assert.EqualValues(t, 1, f.ws.Stats().Expired)
	})
	t.Run("DropConnections", func(t *testing.T) {
		f := newWSFixture(t, nil)
		a, b := f.dial("graphql-transport-ws"), f.dial("graphql-ws")
		for _, c := range []*testClient{a, b} {
			c.init("ok")
			c.expect("connection_ack")
		}
		f.ws.DropConnections()
		assert.EqualValues(t, -1, a.expectClose().Code)
		assert.EqualValues(t, -1, b.expectClose().Code)
	})
}

func TestWSOperationErrors(t *testing.T) {
	testkit.CheckLeaks(t)
	const want = `[{"message":"field 'nope' not found in type: 'subscription_root'","extensions":{"path":"$.selectionSet.nope","code":"validation-failed"}}]`
	t.Run("graphql-transport-ws sends an array and keeps the connection", func(t *testing.T) {
		f := newWSFixture(t, nil)
		c := f.dial("graphql-transport-ws")
		c.init("ok")
		c.expect("connection_ack")
		c.send(wsproto.Message{ID: "1", Type: "subscribe", Payload: subscribePayload("subscription { nope }")})
		m := c.expect("error")
		assert.Equal(t, "1", m.ID)
		assert.JSONEq(t, want, string(m.Payload))
		c.send(wsproto.Message{ID: "2", Type: "subscribe", Payload: subscribePayload("subscription { counter }")})
		assert.Equal(t, "2", c.expect("next").ID)
	})
	t.Run("Apollo sends an errors object", func(t *testing.T) {
		f := newWSFixture(t, nil)
		c := f.dial("graphql-ws")
		c.init("ok")
		c.expect("connection_ack")
		c.send(wsproto.Message{ID: "1", Type: "start", Payload: subscribePayload("subscription { nope }")})
		m := c.expect("error")
		assert.JSONEq(t, `{"errors":`+want+`}`, string(m.Payload))
	})
	t.Run("Apollo start before init", func(t *testing.T) {
		f := newWSFixture(t, nil)
		c := f.dial("graphql-ws")
		c.send(wsproto.Message{ID: "1", Type: "start", Payload: subscribePayload("subscription { counter }")})
		m := c.expect("error")
		assert.Equal(t, "1", m.ID)
		assert.JSONEq(t, `{"message":"start received before the connection is initialised","extensions":{"path":"$","code":"start-failed"}}`, string(m.Payload))
		assert.Equal(t, "1", c.expect("complete").ID)
		c.init("ok")
		c.expect("connection_ack")
	})
	t.Run("Apollo malformed message", func(t *testing.T) {
		f := newWSFixture(t, nil)
		c := f.dial("graphql-ws")
		c.sendRaw([]byte(`[]`))
		c.expect("connection_error")
		c.init("ok")
		c.expect("connection_ack")
	})
}

func TestWSKeepAlive(t *testing.T) {
	testkit.CheckLeaks(t)
	tests := []struct {
		proto, typ, payload string
	}{
		{"graphql-transport-ws", "ping", `{"message":"keepalive"}`},
		{"graphql-ws", "ka", ``},
	}
	for _, tt := range tests {
		t.Run(tt.proto, func(t *testing.T) {
			f := newWSFixture(t, &WSOptions{KeepAlive: 10 * time.Millisecond})
			c := f.dial(tt.proto)
			// One at accept, before connection_init.
			m := c.expect(tt.typ)
			assert.Empty(t, m.ID)
			if tt.payload != "" {
				assert.JSONEq(t, tt.payload, string(m.Payload))
			}
			c.init("ok")
			for m, _ = c.next(); m.Type == tt.typ; m, _ = c.next() {
			}
			assert.Equal(t, "connection_ack", m.Type)
			c.expect(tt.typ)
			c.expect(tt.typ)
			assert.GreaterOrEqual(t, f.ws.Stats().KeepAlives, int64(3))
		})
	}
}
