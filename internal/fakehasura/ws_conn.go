package fakehasura

import (
	"context"
	"encoding/json"
	"net/http"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// wsWriteTimeout bounds one write to a client that stopped reading.
const wsWriteTimeout = 5 * time.Second

// wsServerConn is one client connection. serve runs its read loop; the
// keepalive loop, the timers and one goroutine per live operation run
// beside it, and all of them end before serve returns.
type wsServerConn struct {
	srv    *WSServer
	ws     *websocket.Conn
	proto  wsproto.Protocol
	header http.Header // the upgrade request's

	ctx    context.Context // ends when the connection ends
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu          sync.Mutex
	initialised bool
	closing     bool // a close frame is on its way
	session     WSSession
	ops         map[string]*wsOp
	timers      []func() bool // the stop functions of the clock's timers
}

func newWSServerConn(s *WSServer, ws *websocket.Conn, proto wsproto.Protocol, h http.Header) *wsServerConn {
	ctx, cancel := context.WithCancel(context.Background())
	return &wsServerConn{
		srv:    s,
		ws:     ws,
		proto:  proto,
		header: h,
		ctx:    ctx,
		cancel: cancel,
		ops:    make(map[string]*wsOp),
	}
}

// serve runs the connection whose upgrade request arrived at arrived.
func (c *wsServerConn) serve(arrived time.Time) {
	defer c.wg.Wait()
	defer c.stop()
	if ka := c.srv.opts.KeepAlive; ka > 0 {
		c.wg.Add(1)
		go c.keepAlive(ka)
	}
	c.checkInitTimer(arrived)
	for {
		_, data, err := c.ws.Read(c.ctx)
		if err != nil {
			return
		}
		c.handle(data)
	}
}

// stop ends every goroutine and timer of the connection and closes it
// without a close frame if it is still open.
func (c *wsServerConn) stop() {
	c.mu.Lock()
	// Cancelled under mu, so that no timer callback joins c.wg after
	// serve starts waiting for it.
	c.cancel()
	for _, stop := range c.timers {
		stop()
	}
	c.mu.Unlock()
	c.ws.CloseNow()
}

// after runs f once d has passed on the server's clock, unless the
// connection ends first.
func (c *wsServerConn) after(d time.Duration, f func()) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ctx.Err() != nil {
		return
	}
	c.timers = append(c.timers, c.srv.opts.Clock.AfterFunc(d, func() {
		c.mu.Lock()
		if c.ctx.Err() != nil {
			c.mu.Unlock()
			return
		}
		c.wg.Add(1)
		c.mu.Unlock()
		defer c.wg.Done()
		f()
	}))
}

// closeWith sends a close frame and ends the connection once the client
// answered it, or after coder/websocket's timeouts. It does not wait, and
// the connection handles no message after it.
func (c *wsServerConn) closeWith(code int, reason string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.closing || c.ctx.Err() != nil {
		return
	}
	c.closing = true
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		c.ws.Close(websocket.StatusCode(code), reason)
		c.drop()
	}()
}

// drop ends the connection without a close frame.
func (c *wsServerConn) drop() {
	c.cancel()
	c.ws.CloseNow()
}

// checkInitTimer is Hasura's connection-init timeout as Hasura's
// createServerApp implements it: the timer starts when the upgrade request
// arrives and is looked at once, once the connection is accepted and its
// threads run; if it has run out on the server's clock and the protocol
// is graphql-transport-ws, the connection is closed with 4408 and a
// reason in plain text.
func (c *wsServerConn) checkInitTimer(arrived time.Time) {
	if c.proto != wsproto.TransportWS || c.srv.opts.Clock.Now().Sub(arrived) < c.srv.opts.InitTimeout {
		return
	}
	c.srv.stats.initTimeouts.Add(1)
	c.closeWith(wsproto.CloseInitTimeout, "Connection initialisation timed out")
}

func (c *wsServerConn) keepAlive(interval time.Duration) {
	defer c.wg.Done()
	t := time.NewTicker(interval)
	defer t.Stop()
	for {
		c.sendKeepAlive()
		select {
		case <-c.ctx.Done():
			return
		case <-t.C:
		}
	}
}

var keepAlivePayload = json.RawMessage(`{"message":"keepalive"}`)

func (c *wsServerConn) sendKeepAlive() {
	m := wsproto.Message{Type: c.proto.KeepAlive()}
	if c.proto == wsproto.TransportWS {
		m.Payload = keepAlivePayload
	}
	c.srv.stats.keepAlives.Add(1)
	c.send(m)
}

// send writes one message; it reports whether the write succeeded.
func (c *wsServerConn) send(m wsproto.Message) bool {
	ctx, cancel := context.WithTimeout(c.ctx, wsWriteTimeout)
	defer cancel()
	return c.ws.Write(ctx, websocket.MessageText, wsproto.Encode(m)) == nil
}

func (c *wsServerConn) handle(data []byte) {
	c.mu.Lock()
	closing := c.closing
	c.mu.Unlock()
	if closing {
		return
	}
	m, err := wsproto.Decode(data)
	if err != nil {
		c.protocolError("parsing ClientMessage failed: " + err.Error())
		return
	}
	switch m.Type {
	case wsproto.TypeConnectionInit:
		c.onInit(m)
	case wsproto.TypeSubscribe, wsproto.TypeStart:
		c.onStart(m)
	case wsproto.TypeComplete, wsproto.TypeStop:
		c.stopOp(m.ID)
	case wsproto.TypeConnectionTerminate:
		c.closeWith(wsproto.CloseNormal, "")
	case wsproto.TypePing:
		c.send(wsproto.Message{Type: wsproto.TypePong, Payload: m.Payload})
	case wsproto.TypePong:
	default:
		c.protocolError("parsing ClientMessage failed: unknown message type " + m.Type)
	}
}

// protocolError answers a message Hasura cannot parse: graphql-transport-ws
// closes with 4400, Apollo sends connection_error and carries on.
func (c *wsServerConn) protocolError(msg string) {
	if c.proto == wsproto.TransportWS {
		c.closeWith(wsproto.CloseBadRequest, wsproto.CloseReason(wsproto.CloseBadRequest, msg))
		return
	}
	payload, _ := json.Marshal(msg)
	c.send(wsproto.Message{Type: wsproto.TypeConnectionError, Payload: payload})
}

func (c *wsServerConn) onInit(m wsproto.Message) {
	params, err := wsproto.InitHeaders(m.Payload)
	if err != nil {
		c.protocolError("parsing ClientMessage failed: " + err.Error())
		return
	}
	h := make(http.Header, len(params)+len(c.header))
	for k, v := range c.header {
		h[k] = v
	}
	for k, v := range params {
		h.Set(k, v)
	}
	sess, authErr := c.srv.backend.Authenticate(h)
	if authErr != nil {
		c.srv.stats.initFailures.Add(1)
		c.initFailed(authErr.Message)
		return
	}
	c.mu.Lock()
	again := c.initialised
	if !again {
		c.initialised = true
		c.session = sess
	}
	c.mu.Unlock()
	if again {
		// Hasura reads a connection's token expiry once: a second
		// connection_init cannot extend the connection.
		c.send(wsproto.Message{Type: wsproto.TypeConnectionAck})
		return
	}
	c.srv.stats.initialised.Add(1)
	if !sess.Expiry.IsZero() {
		c.after(sess.Expiry.Sub(c.srv.opts.Clock.Now()), c.expire)
	}
	c.send(wsproto.Message{Type: wsproto.TypeConnectionAck})
	if c.srv.opts.KeepAlive > 0 {
		c.sendKeepAlive()
	}
}

// initFailed answers a failed connection_init: graphql-transport-ws closes
// with 4403 and sends nothing; Apollo sends connection_error, then closes
// with 4400.
func (c *wsServerConn) initFailed(msg string) {
	if c.proto == wsproto.TransportWS {
		c.closeWith(wsproto.CloseForbidden, wsproto.CloseReason(wsproto.CloseForbidden, "Forbidden"))
		return
	}
	payload, _ := json.Marshal(msg)
	c.send(wsproto.Message{Type: wsproto.TypeConnectionError, Payload: payload})
	c.closeWith(wsproto.CloseBadRequest, wsproto.CloseReason(wsproto.CloseBadRequest, "Connection initialization failed: "+msg))
}

// expire ends the connection when its token expires, with no close frame
// and no message, as Hasura's JWT expiry handler does.
func (c *wsServerConn) expire() {
	c.srv.stats.expired.Add(1)
	c.drop()
}
