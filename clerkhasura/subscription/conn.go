package subscription

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/coder/websocket"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// writeTimeout bounds one write; a connection that cannot write a
// message in that time is dropped and replaced.
const writeTimeout = 10 * time.Second

// wsConn is one websocket connection to Hasura, past connection_ack. Its
// reader hands messages to the client; its writer drains the outbox.
type wsConn struct {
	client *Client
	ws     *websocket.Conn
	proto  wsproto.Protocol
	tok    *clerkhasura.Token
	// lifetime is what remained of tok's life when it was fetched.
	lifetime time.Duration
	opened   time.Time
	// rotateAt is when the run loop replaces the connection, lead before
	// the token expires, and rotateFailures how many replacements failed;
	// run's alone.
	rotateAt       time.Time
	lead           time.Duration
	rotateFailures int

	ctx    context.Context
	cancel context.CancelFunc
	outbox *outbox
	done   chan struct{} // closed when the reader has returned
	err    error         // why the connection ended; set before done closes

	// unconfirmed is the last subscription sent that has had no answer,
	// to which a 4400 close is attributed unless refused is set: Hasura
	// said which subscription it refused. Both guarded by the client's mu.
	unconfirmed string
	refused     bool
	closeOnce   sync.Once
}

// dial opens a connection with tok and completes the connection_init
// handshake within InitTimeout on the client's clock. It does not start
// the reader and writer.
func (c *Client) dial(ctx context.Context, tok *clerkhasura.Token, lifetime time.Duration) (*wsConn, error) {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	timedOut := fmt.Errorf("clerkhasura: no connection_ack from Hasura within %v: %w", c.opts.InitTimeout, context.DeadlineExceeded)
	stop := c.opts.Clock.AfterFunc(c.opts.InitTimeout, func() { cancel(timedOut) })
	defer stop()
	conn, err := c.handshaken(ctx, tok, lifetime)
	if err != nil && errors.Is(context.Cause(ctx), timedOut) {
		return nil, timedOut
	}
	return conn, err
}

// handshaken is dial without its time limit.
func (c *Client) handshaken(ctx context.Context, tok *clerkhasura.Token, lifetime time.Duration) (*wsConn, error) {
	ws, err := c.open(ctx)
	if redirect := (*WebsocketRedirectError)(nil); errors.As(err, &redirect) {
		return nil, redirect
	}
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: opening a websocket to Hasura: %w", redactErr(err, tok.Value))
	}
	ws.SetReadLimit(c.opts.ReadLimit)
	conn := &wsConn{
		client:   c,
		ws:       ws,
		proto:    wsproto.FromSubprotocol(ws.Subprotocol()),
		tok:      tok,
		lifetime: lifetime,
		outbox:   newOutbox(),
		done:     make(chan struct{}),
	}
	if err := conn.handshake(ctx); err != nil {
		ws.CloseNow()
		return nil, err
	}
	conn.opened = c.now()
	return conn, nil
}

// open dials the websocket. It offers one subprotocol: Hasura runs
// graphql-transport-ws only when that is the whole Sec-WebSocket-Protocol
// header, and Apollo's protocol for a list offering both. Unless
// [Options.Subprotocol] forces one, it offers
// graphql-transport-ws; when the server refuses the handshake, or accepts
// it naming another subprotocol or none, it asks again for graphql-ws,
// and once that works the client offers graphql-ws from then on.
func (c *Client) open(ctx context.Context) (*websocket.Conn, error) {
	proto := c.opts.Subprotocol
	if proto == "" {
		proto = wsproto.SubprotocolTransportWS
		if c.apollo.Load() {
			proto = wsproto.SubprotocolApollo
		}
	}
	ws, resp, err := c.dialWith(ctx, proto)
	if c.opts.Subprotocol != "" || proto != wsproto.SubprotocolTransportWS {
		return ws, err
	}
	switch {
	case err == nil && ws.Subprotocol() == wsproto.SubprotocolTransportWS:
		return ws, nil
	case err == nil:
		ws.CloseNow()
	case resp == nil:
		// No answer at all: the network or the context failed.
		return nil, err
	}
	apollo, _, apolloErr := c.dialWith(ctx, wsproto.SubprotocolApollo)
	if apolloErr != nil {
		if err == nil {
			err = apolloErr
		}
		return nil, err
	}
	c.apollo.Store(true)
	c.opts.Logger.Info("clerkhasura: the server does not speak graphql-transport-ws; using graphql-ws (Apollo)")
	return apollo, nil
}

func (c *Client) dialWith(ctx context.Context, proto string) (*websocket.Conn, *http.Response, error) {
	return websocket.Dial(ctx, c.endpoint, &websocket.DialOptions{
		HTTPClient:   c.opts.dialer,
		Subprotocols: []string{proto},
	})
}

// handshake sends connection_init with the token and waits for the ack,
// answering pings meanwhile.
func (conn *wsConn) handshake(ctx context.Context) error {
	headers := map[string]string{"Authorization": "Bearer " + conn.tok.Value}
	if role := conn.client.opts.Role; role != "" {
		headers["x-hasura-role"] = role
	}
	init := wsproto.Encode(wsproto.Message{Type: wsproto.TypeConnectionInit, Payload: wsproto.InitPayload(headers)})
	if err := conn.ws.Write(ctx, websocket.MessageText, init); err != nil {
		return conn.endError(err, true)
	}
	var initErr string
	for {
		_, data, err := conn.ws.Read(ctx)
		if err != nil {
			ce := conn.endError(err, true)
			if initErr != "" {
				var closeErr *CloseError
				if errors.As(ce, &closeErr) {
					closeErr.Reason = redactSecret(initErr, conn.tok.Value)
				}
			}
			return ce
		}
		m, err := wsproto.Decode(data)
		if err != nil {
			continue
		}
		switch m.Type {
		case wsproto.TypeConnectionAck:
			return nil
		case wsproto.TypePing:
			conn.ws.Write(ctx, websocket.MessageText, wsproto.Encode(wsproto.Message{Type: wsproto.TypePong}))
		case wsproto.TypeConnectionError:
			var msg string
			if json.Unmarshal(m.Payload, &msg) != nil {
				msg = string(m.Payload)
			}
			initErr = msg
		}
	}
}

// endError describes why the connection ended, from the error a read or
// write returned. During init, the close codes that refuse a token
// (4403; Apollo's 4400 after connection_error) are marked Rejected.
func (conn *wsConn) endError(err error, init bool) error {
	var ce websocket.CloseError
	if errors.As(err, &ce) {
		code := int(ce.Code)
		rejected := init && (code == wsproto.CloseForbidden || code == wsproto.CloseUnauthorized ||
			conn.proto == wsproto.Apollo && code == wsproto.CloseBadRequest)
		serverCode, _ := wsproto.ServerErrorCode(ce.Reason)
		return &CloseError{
			Code:       code,
			Reason:     redactSecret(wsproto.ServerErrorMessage(ce.Reason), conn.tok.Value),
			ServerCode: serverCode,
			Rejected:   rejected,
		}
	}
	return &CloseError{Code: wsproto.CloseAbnormal, Reason: redactErr(err, conn.tok.Value).Error()}
}

// redactErr keeps secret out of err's text.
func redactErr(err error, secret string) error {
	if secret == "" || err == nil {
		return err
	}
	if s := err.Error(); s != redactSecret(s, secret) {
		return errors.New(redactSecret(s, secret))
	}
	return err
}

// start runs the reader and the writer; the client's WaitGroup tracks them.
// The connection's context is its own, not the client's, so that Close can
// still end it with a close frame after the client's context ended.
func (conn *wsConn) start() {
	conn.ctx, conn.cancel = context.WithCancel(context.Background())
	c := conn.client
	c.wg.Add(2)
	go conn.read()
	go conn.write()
}

func (conn *wsConn) read() {
	defer conn.client.wg.Done()
	// A silent connection is presumed dead: the watchdog drops it when
	// nothing, not even a keepalive, came for KeepAliveTimeout. Like the
	// write timeout it judges the network, so it runs in real time, not
	// on Options.Clock: a test that moves its clock past the timeout
	// does not make a connection fed by keepalives look dead.
	var idle atomic.Bool
	var watchdog *time.Timer
	if t := conn.client.opts.KeepAliveTimeout; t > 0 {
		watchdog = time.AfterFunc(t, func() {
			idle.Store(true)
			conn.ws.CloseNow()
		})
	}
	var err error
	for {
		var data []byte
		_, data, err = conn.ws.Read(conn.ctx)
		if err != nil {
			break
		}
		if watchdog != nil {
			watchdog.Reset(conn.client.opts.KeepAliveTimeout)
		}
		conn.client.received(conn, data)
	}
	if watchdog != nil {
		watchdog.Stop()
	}
	conn.err = conn.endError(err, false)
	if idle.Load() {
		conn.err = &CloseError{Code: wsproto.CloseAbnormal, Reason: "nothing received for " + conn.client.opts.KeepAliveTimeout.String()}
	}
	conn.cancel()
	conn.ws.CloseNow()
	close(conn.done)
}

func (conn *wsConn) write() {
	defer conn.client.wg.Done()
	for {
		select {
		case <-conn.ctx.Done():
			return
		case <-conn.outbox.signal:
		}
		for _, b := range conn.outbox.take() {
			ctx, cancel := context.WithTimeout(conn.ctx, writeTimeout)
			err := conn.ws.Write(ctx, websocket.MessageText, b)
			cancel()
			if err != nil {
				conn.ws.CloseNow()
				return
			}
		}
	}
}

// send queues m for the writer.
func (conn *wsConn) send(m wsproto.Message) {
	conn.outbox.put(wsproto.Encode(m))
}

func (conn *wsConn) subscribe(s *subscription) {
	conn.unconfirmed = s.id
	conn.send(wsproto.Message{ID: s.id, Type: conn.proto.Subscribe(), Payload: s.payload})
}

func (conn *wsConn) unsubscribe(id string) {
	conn.send(wsproto.Message{ID: id, Type: conn.proto.Stop()})
}

// close ends the connection cleanly: Apollo's connection_terminate, then
// a 1000 close frame. It waits for the reader to return.
func (conn *wsConn) close() {
	conn.closeOnce.Do(func() {
		if conn.proto == wsproto.Apollo {
			ctx, cancel := context.WithTimeout(conn.ctx, time.Second)
			conn.ws.Write(ctx, websocket.MessageText, wsproto.Encode(wsproto.Message{Type: wsproto.TypeConnectionTerminate}))
			cancel()
		}
		conn.ws.Close(websocket.StatusNormalClosure, "")
		conn.cancel()
		<-conn.done
	})
}
