package clerkhasura

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// rotation is a switch-over under way: next runs every subscription beside
// the active connection, and pending holds those still served by the old
// one. A subscription moves when the two connections agree on its result,
// or when the switch-over ends (timeout, or the old connection lost).
type rotation struct {
	next    *wsConn
	pending map[string]struct{}
	ready   chan struct{} // closed when pending empties
	isReady bool
}

// moved takes id off the old connection; c.mu is held.
func (r *rotation) moved(id string) {
	delete(r.pending, id)
	if len(r.pending) == 0 && !r.isReady {
		r.isReady = true
		close(r.ready)
	}
}

// pongMessage answers a ping.
var pongMessage = wsproto.Encode(wsproto.Message{Type: wsproto.TypePong})

// received handles one message from conn's reader.
func (c *SubscriptionClient) received(conn *wsConn, data []byte) {
	m, err := wsproto.Decode(data)
	if err != nil {
		c.opts.Logger.Warn("clerkhasura: ignoring a malformed websocket message", "error", err)
		return
	}
	switch m.Type {
	case wsproto.TypePing:
		conn.outbox.putPong(pongMessage)
	case wsproto.TypeKeepAlive, wsproto.TypePong, wsproto.TypeConnectionAck:
	case wsproto.TypeNext, wsproto.TypeData, wsproto.TypeError, wsproto.TypeComplete:
		if m.ID != "" {
			c.route(conn, m)
		}
	case wsproto.TypeConnectionError:
		c.opts.Logger.Warn("clerkhasura: Hasura could not parse a message", "error", string(wsproto.ErrorsPayload(m.Payload)))
	default:
		c.opts.Logger.Debug("clerkhasura: ignoring an unknown websocket message", "type", m.Type)
	}
}

// route hands a result, error or complete to its subscription, if conn
// serves that subscription now.
func (c *SubscriptionClient) route(conn *wsConn, m wsproto.Message) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if conn.unconfirmed == m.ID {
		conn.unconfirmed = ""
	}
	if m.Type == wsproto.TypeError && isRefusal(m.Payload) {
		// Hasura refuses a subscribe with an error whose payload is a
		// bare string, then closes with "4400: …": that close is no other
		// subscription's fault, even one sent after the refused one.
		conn.refused = true
	}
	sub := c.subs[m.ID]
	if sub == nil {
		return
	}
	rot := c.rot
	fromOld := conn == c.active
	fromNew := rot != nil && conn == rot.next
	pending := false
	if rot != nil {
		_, pending = rot.pending[m.ID]
	}
	isNext := m.Type == wsproto.TypeNext || m.Type == wsproto.TypeData
	switch {
	case !fromOld && !fromNew:
		// A connection already replaced.
	case rot == nil, fromOld && pending:
		c.handle(sub, m)
		if rot != nil && isNext && sub.incoming != nil && bytes.Equal(sub.incoming, sub.last) {
			sub.incoming = nil
			rot.moved(sub.id)
		}
	case fromNew && !pending:
		c.handle(sub, m)
	case fromNew && pending && !isNext:
		rot.moved(sub.id)
		c.handle(sub, m)
	case fromNew && pending:
		// The new connection's first results may be older or newer than
		// the old one's last: move once they agree.
		switch {
		case sub.last == nil:
			rot.moved(sub.id)
			c.handle(sub, m)
		case bytes.Equal(m.Payload, sub.last):
			sub.incoming = nil
			rot.moved(sub.id)
			c.stats.duplicates.Add(1)
		default:
			sub.incoming = append(sub.incoming[:0], m.Payload...)
		}
	}
}

// isRefusal reports whether an error message's payload is a JSON string,
// as in the error Hasura sends before closing a connection over a
// subscribe it refuses; GraphQL errors come as an array or an object.
func isRefusal(payload json.RawMessage) bool {
	p := bytes.TrimSpace(payload)
	return len(p) > 0 && p[0] == '"'
}

// handle applies one message to sub; c.mu is held.
func (c *SubscriptionClient) handle(sub *subscription, m wsproto.Message) {
	switch m.Type {
	case wsproto.TypeNext, wsproto.TypeData:
		c.deliverResult(sub, m.Payload)
	case wsproto.TypeError:
		c.forget(sub)
		sub.end(delivery{body: wsproto.ErrorsPayload(m.Payload)})
	case wsproto.TypeComplete:
		c.forget(sub)
		sub.end(delivery{})
	}
}

// deliverResult queues a result unless it equals the last one queued;
// c.mu is held.
func (c *SubscriptionClient) deliverResult(sub *subscription, body json.RawMessage) {
	if bytes.Equal(body, sub.last) {
		c.stats.duplicates.Add(1)
		return
	}
	sub.last = append([]byte(nil), body...)
	c.stats.delivered.Add(1)
	sub.pushResult(sub.last)
}

// finishRotation makes rot's connection the active one; a subscription
// still pending gets the newest result the new connection sent for it.
// c.mu is held.
func (c *SubscriptionClient) finishRotation(rot *rotation) {
	for id := range rot.pending {
		if sub := c.subs[id]; sub != nil && sub.incoming != nil {
			c.deliverResult(sub, sub.incoming)
			sub.incoming = nil
		}
	}
	c.active = rot.next
	c.rot = nil
}

// lost handles the end of conn: a 4400 close that no refusal explained is
// the fault of the subscription conn sent last without an answer, which
// alone ends with the error; the others carry on on the next connection.
// c.mu is held.
func (c *SubscriptionClient) lost(conn *wsConn) {
	if c.active == conn {
		c.active = nil
	}
	var ce *CloseError
	if conn.refused || !errors.As(conn.err, &ce) || (ce.Code != wsproto.CloseBadRequest && ce.ServerCode != wsproto.CloseBadRequest) {
		return
	}
	if sub := c.subs[conn.unconfirmed]; sub != nil {
		c.forget(sub)
		sub.end(delivery{err: conn.err})
	}
}
