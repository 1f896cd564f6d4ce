package subscription

import (
	"bytes"
	"encoding/json"
	"errors"

	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// route says which connection a subscription's results are taken from.
// A switch-over runs every subscription on the old connection and on a
// new one at once, and moves each to the new one on its own, once the
// two agree on its result, so that its subscriber sees neither a gap nor
// a state older than one it already saw:
//
//	onOld ──switch-over starts──▶ switching ──they agree──▶ onNew
//	  ▲                                                       │
//	  └──────────────────────switch-over ends─────────────────┘
//
// Every transition happens under the client's mu:
//
//   - onOld → switching: a switch-over's new connection subscribes it
//     ([Client.beginSwitch]).
//   - switching → onNew ([Client.moveToNew]): the new connection sends
//     the result last delivered, or the old one sends the result the new
//     one sent last (they agree); the new connection sends an error or a
//     complete for it; or it sends a first result before the old one
//     delivered any.
//   - a subscription made during a switch-over starts onNew: both
//     connections run it, and it has no result to agree on.
//   - switching, onNew → onOld ([Client.endSwitch]): the switch-over ends
//     and the new connection becomes the old one; a subscription still
//     switching is handed the newest result the new connection held for
//     it. The end comes when every subscription has moved, at the
//     switch-over's timeout, or when the old connection is lost. When the
//     new connection is lost instead, the switch-over is abandoned and
//     every subscription is onOld again, on the connection it never left.
type route uint8

const (
	// onOld takes the results of the active connection: the only one, or
	// the one a switch-over replaces.
	onOld route = iota
	// switching takes the old connection's results, and holds the new
	// one's newest result in the subscription's incoming until the two
	// agree.
	switching
	// onNew takes the new connection's results and drops the old one's.
	onNew
)

// rotation is a switch-over under way: next runs every subscription beside
// the active connection.
type rotation struct {
	next *wsConn
	// switching counts the subscriptions still switching; ready is closed
	// when none is left.
	switching int
	ready     chan struct{}
}

// beginSwitch starts a switch-over to next: every subscription starts
// switching and is subscribed on next. c.mu is held.
func (c *Client) beginSwitch(next *wsConn) *rotation {
	rot := &rotation{next: next, ready: make(chan struct{})}
	c.rot = rot
	for _, sub := range c.sortedSubs() {
		sub.route, sub.incoming = switching, nil
		rot.switching++
		next.subscribe(sub)
	}
	if rot.switching == 0 {
		close(rot.ready)
	}
	return rot
}

// moveToNew moves a switching subscription to the new connection; c.mu
// is held.
func (c *Client) moveToNew(sub *subscription) {
	if sub.route != switching {
		return
	}
	sub.route, sub.incoming = onNew, nil
	c.rot.switching--
	if c.rot.switching == 0 {
		close(c.rot.ready)
	}
}

// endSwitch ends the switch-over rot. Completed, its connection becomes
// the active one, and a subscription still switching is delivered the
// newest result the new connection sent for it; abandoned, the active
// connection serves on. Either way every subscription is onOld again.
// c.mu is held.
func (c *Client) endSwitch(rot *rotation, completed bool) {
	for _, sub := range c.subs {
		if completed && sub.route == switching && sub.incoming != nil {
			c.deliverResult(sub, sub.incoming)
		}
		sub.route, sub.incoming = onOld, nil
	}
	if completed {
		c.active = rot.next
	}
	c.rot = nil
}

// pongMessage answers a ping.
var pongMessage = wsproto.Encode(wsproto.Message{Type: wsproto.TypePong})

// received handles one message from conn's reader.
func (c *Client) received(conn *wsConn, data []byte) {
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

// route hands a result, error or complete to its subscription, if the
// subscription takes it from conn (see [route]).
func (c *Client) route(conn *wsConn, m wsproto.Message) {
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
	isNext := m.Type == wsproto.TypeNext || m.Type == wsproto.TypeData
	fromNew := c.rot != nil && conn == c.rot.next
	switch {
	case conn == c.active && sub.route != onNew:
		c.handle(sub, m)
		if sub.route == switching && isNext && sub.incoming != nil && bytes.Equal(sub.incoming, sub.last) {
			c.moveToNew(sub)
		}
	case fromNew && sub.route == onNew:
		c.handle(sub, m)
	case fromNew && sub.route == switching:
		// The new connection's first results may be older or newer than
		// the old one's last: move once they agree.
		switch {
		case !isNext, sub.last == nil:
			c.moveToNew(sub)
			c.handle(sub, m)
		case bytes.Equal(m.Payload, sub.last):
			c.moveToNew(sub)
			c.stats.duplicates.Add(1)
		default:
			sub.incoming = append(sub.incoming[:0], m.Payload...)
		}
	default:
		// A connection already replaced, or the old one for a
		// subscription that moved.
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
func (c *Client) handle(sub *subscription, m wsproto.Message) {
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
func (c *Client) deliverResult(sub *subscription, body json.RawMessage) {
	if bytes.Equal(body, sub.last) {
		c.stats.duplicates.Add(1)
		return
	}
	sub.last = append([]byte(nil), body...)
	c.stats.delivered.Add(1)
	sub.pushResult(sub.last)
}

// lost handles the end of conn: a 4400 close that no refusal explained is
// the fault of the subscription conn sent last without an answer, which
// alone ends with the error; the others carry on on the next connection.
// c.mu is held.
func (c *Client) lost(conn *wsConn) {
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
