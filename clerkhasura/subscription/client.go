package subscription

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"sync"
	"sync/atomic"

	"github.com/Khan/genqlient/graphql"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/endpoint"
	"github.com/clerkhasura/clerkhasura-go/internal/errwrap"
)

// Client runs GraphQL subscriptions on Hasura over a websocket, as the
// Clerk user whose tokens its [clerkhasura.TokenSource] supplies. It
// implements genqlient's [graphql.WebSocketClient], so the subscription
// functions genqlient generates (such as graphql.WatchUser in this module)
// work with it unchanged.
//
// Hasura reads a connection's token once, at connection_init, and drops
// the connection without a word when the token expires; Clerk's tokens
// live 60 s. So the client asks its source for a token on every connect
// and, before the token expires (see [Options.ReconnectLead]),
// opens a new connection with a fresh token, subscribes everything again
// and only then closes the old one. Each subscription moves to the new
// connection when it delivers the result last delivered, or when
// [Options.SwitchTimeout] passes; a result equal to the last
// one delivered is never delivered twice. Subscribers see no gap.
//
// When a connection is lost (no close frame, or 1012 when Hasura
// restarts), the client reconnects after a random wait of up to
// [Options.ReconnectJitter], so that the many clients of a
// restarted Hasura do not all come back at once, and then with jittered
// exponential back-off. A loss says nothing against the token, so the
// client asks its source again and takes the token it gets, the same one
// from a cache: a restart or a flapping load balancer mints nothing. It
// asks for a token other than the lost connection's only when that one
// is refused or close to expiry: a close with 4401 or 4403, or a loss
// with less than the reconnect lead left on the token, which may be
// Hasura dropping the connection because the token expired by its
// clock. A token Hasura refuses at connection_init (4403; Apollo's 4400
// after connection_error) is never used again. When the source hands out
// a token the client will not use, the client drops it, if the source is
// a [clerkhasura.Invalidator] (as the caches are), and asks again. When
// the source fails for good, such as with [clerkhasura.ErrSessionGone]
// once the Clerk session ended,
// every subscriber receives that error, the error channel of Start
// receives it too, and the client stops. Keepalives are answered and
// never surface; however fast a server sends pings, at most one pong
// waits to be written.
//
// The websocket handshake follows no redirect: the next thing the client
// sends is the token, and a redirect may lead to another host, or from
// wss to plain ws. A redirect fails Start with a [*WebsocketRedirectError]
// (matching [ErrWebsocketRedirect]); met when reconnecting, it is logged
// as an error and retried after about [Options.MaxBackoff].
//
// The client speaks graphql-transport-ws, and Apollo's graphql-ws with a
// server that does not accept it (see [Options.Subprotocol]).
//
// Each subscription's results reach its channel in order from a goroutine
// of its own, so a subscriber that reads slowly holds up no one else. A
// live query's result is the whole current state, so a result the
// subscriber has not received yet is replaced by a newer one: a slow
// subscriber skips states and receives the newest, and no subscription
// holds more than one result waiting ([Stats].Coalesced
// counts the replaced ones). Errors reach the channel as the Errors field
// of genqlient's response types (a gqlerror.List): GraphQL errors as
// Hasura sent them, and the client's own errors wrapped, so that
// errors.Is(resp.Errors, clerkhasura.ErrSessionGone) works. An error message from
// Hasura, a 4400 close caused by a subscription, or complete ends that
// subscription only, and closes its channel once the subscriber received
// the error, or at Unsubscribe or Close, which drop what it did not.
//
// A Client is safe for concurrent use. Close it to end every
// subscription and stop its goroutines.
type Client struct {
	endpoint string
	src      clerkhasura.TokenSource
	opts     resolvedOptions

	ctx    context.Context // ends with Close or a fatal error
	cancel context.CancelFunc
	wg     sync.WaitGroup

	errs chan error    // Start's error channel
	done chan struct{} // closed by Close

	mu sync.Mutex
	// subs are the subscriptions Hasura runs, resubscribed on every new
	// connection; live, every subscription whose goroutine has not
	// returned, ended ones that still deliver their last item included.
	subs    map[string]*subscription
	live    map[string]*subscription
	active  *wsConn   // the connection subscriptions run on
	rot     *rotation // a switch-over under way, or nil
	started bool
	closed  bool
	fatal   error
	lastID  uint64
	connTok *clerkhasura.Token // the token of the newest connection Hasura accepted
	userID  string             // read from a token once, for WatchMe

	// apollo is set once a server refused graphql-transport-ws and
	// accepted graphql-ws: the client's connections speak Apollo's
	// protocol from then on.
	apollo atomic.Bool

	stats counters
}

// New returns a client for Hasura's GraphQL endpoint, such as
// "https://my-project.hasura.app/v1/graphql" (ws and wss URLs work too),
// authenticated with tokens from src. A nil opts means the defaults. It
// connects on [Client.Start].
//
// Every connection asks src for a token: give it a cache (see "Which
// token source" in the package documentation).
//
// An endpoint that is not an http, https, ws or wss URL with a host, or a
// nil src, gives a [*clerkhasura.InputError]. New makes no request.
func New(endpoint string, src clerkhasura.TokenSource, opts *Options) (*Client, error) {
	if err := checkEndpoint(endpoint); err != nil {
		return nil, err
	}
	if src == nil {
		return nil, &clerkhasura.InputError{Field: "token source", Reason: "is nil"}
	}
	ctx, cancel := context.WithCancel(context.Background())
	return &Client{
		endpoint: endpoint,
		src:      src,
		opts:     opts.resolve(),
		ctx:      ctx,
		cancel:   cancel,
		errs:     make(chan error, 1),
		done:     make(chan struct{}),
		subs:     make(map[string]*subscription),
		live:     make(map[string]*subscription),
	}, nil
}

var _ graphql.WebSocketClient = (*Client)(nil)

// checkEndpoint returns an [*clerkhasura.InputError] when raw cannot be
// dialled as a websocket.
func checkEndpoint(raw string) error {
	if err := endpoint.CheckWebsocket(raw); err != nil {
		return &clerkhasura.InputError{Field: "endpoint", Reason: err.Error()}
	}
	return nil
}

// Start connects to Hasura, and from then on keeps a connection open
// until Close. It returns once Hasura acknowledged the first connection,
// or with the error of the first attempt (of the second, when Hasura
// refused the first token); ctx bounds these attempts only.
// Subscriptions made before Start begin then.
//
// The error channel receives the error that stopped the client, if one
// does: a token source that failed for good. Reconnects do not reach it.
// It is closed by Close. Calling Start again returns the same channel.
func (c *Client) Start(ctx context.Context) (errChan chan error, err error) {
	c.mu.Lock()
	switch {
	case c.closed:
		c.mu.Unlock()
		return nil, clerkhasura.ErrClosed
	case c.fatal != nil:
		c.mu.Unlock()
		return nil, c.fatal
	case c.started:
		c.mu.Unlock()
		return c.errs, nil
	}
	c.mu.Unlock()

	conn, err := c.connectOnce(ctx, nil, nil)
	if errors.Is(err, ErrConnectionRejected) {
		// The refused token was invalidated: try once with a fresh one.
		conn, err = c.connectOnce(ctx, nil, nil)
	}
	if err != nil {
		return nil, err
	}
	c.mu.Lock()
	if c.closed || c.started {
		c.mu.Unlock()
		conn.ws.CloseNow()
		if c.closed {
			return nil, clerkhasura.ErrClosed
		}
		return c.errs, nil
	}
	c.started = true
	c.wg.Add(1)
	c.mu.Unlock()
	go c.run(conn)
	return c.errs, nil
}

// Subscribe starts the operation req and sends its results to
// interfaceChan, a channel genqlient's generated code makes, through
// forwardDataFunc, which decodes them; it returns the subscription's ID.
// The channel is closed when the subscription ends: by Unsubscribe, by
// Close, or after an error or complete from Hasura.
//
// Each result of a subscription (a live query) is the whole current
// state, so a result the caller has not received yet is replaced when a
// newer one arrives: a caller that reads slowly skips states and receives
// the newest, never a result equal to the one it received last. An error
// that ends the subscription comes after the newest result.
func (c *Client) Subscribe(req *graphql.Request, interfaceChan any, forwardDataFunc graphql.ForwardDataFunction) (string, error) {
	return c.SubscribeContext(context.Background(), req, interfaceChan, forwardDataFunc)
}

// SubscribeContext is Subscribe, with a subscription that ends, as with
// Unsubscribe, when ctx is done.
func (c *Client) SubscribeContext(ctx context.Context, req *graphql.Request, interfaceChan any, forwardDataFunc graphql.ForwardDataFunction) (string, error) {
	if req == nil {
		return "", errors.New("clerkhasura: Subscribe: nil request")
	}
	payload, err := json.Marshal(req)
	if err != nil {
		return "", fmt.Errorf("clerkhasura: Subscribe: encoding the request: %w", err)
	}
	if err := ctx.Err(); err != nil {
		return "", errwrap.Wrap("Subscribe", err)
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	switch {
	case c.closed:
		return "", clerkhasura.ErrClosed
	case c.fatal != nil:
		return "", c.fatal
	}
	c.lastID++
	id := strconv.FormatUint(c.lastID, 10)
	sub, err := newSubscription(id, payload, interfaceChan, forwardDataFunc, &c.stats)
	if err != nil {
		return "", err
	}
	c.subs[id] = sub
	c.live[id] = sub
	if ctx.Done() != nil {
		sub.unbind = context.AfterFunc(ctx, func() { c.Unsubscribe(id) })
	}
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		sub.run()
		c.mu.Lock()
		delete(c.live, id)
		c.mu.Unlock()
	}()
	if c.active != nil {
		c.active.subscribe(sub)
	}
	if c.rot != nil {
		sub.route = onNew
		c.rot.next.subscribe(sub)
	}
	return id, nil
}

// Unsubscribe ends the subscription: Hasura is told to stop it, and its
// channel is closed before Unsubscribe returns, dropping what the caller
// has not received, such as the error of a subscription that Hasura ended.
// An unknown or already closed ID is not an error.
func (c *Client) Unsubscribe(subscriptionID string) error {
	c.mu.Lock()
	sub := c.live[subscriptionID]
	if c.subs[subscriptionID] != nil {
		c.forget(sub)
		if c.active != nil {
			c.active.unsubscribe(subscriptionID)
		}
		if c.rot != nil {
			c.rot.next.unsubscribe(subscriptionID)
		}
	}
	c.mu.Unlock()
	if sub != nil {
		sub.halt()
		<-sub.exited
	}
	return nil
}

// forget removes sub from the client, so that it holds up no
// switch-over; c.mu is held.
func (c *Client) forget(sub *subscription) {
	delete(c.subs, sub.id)
	if c.rot != nil {
		c.moveToNew(sub)
	}
}

// Close ends every subscription, closing their channels and dropping what
// their callers have not received, closes the connections, stops every
// goroutine of the client and closes the error channel. It is idempotent
// and returns nil: its error is there for genqlient's
// graphql.WebSocketClient.
func (c *Client) Close() error {
	c.mu.Lock()
	if c.closed {
		c.mu.Unlock()
		return nil
	}
	c.closed = true
	close(c.done)
	live := make([]*subscription, 0, len(c.live))
	for _, sub := range c.live {
		live = append(live, sub)
	}
	c.subs = map[string]*subscription{}
	c.mu.Unlock()

	c.cancel()
	for _, sub := range live {
		sub.halt()
	}
	c.wg.Wait()
	close(c.errs)
	return nil
}

// WithContext returns a view of c whose Subscribe is SubscribeContext
// with ctx: pass it to a generated subscription function, and the
// subscription ends when ctx is done. Its Start and Close are c's.
func (c *Client) WithContext(ctx context.Context) graphql.WebSocketClient {
	return contextClient{c, ctx}
}

type contextClient struct {
	*Client
	ctx context.Context
}

func (v contextClient) Subscribe(req *graphql.Request, interfaceChan any, forwardDataFunc graphql.ForwardDataFunction) (string, error) {
	return v.Client.SubscribeContext(v.ctx, req, interfaceChan, forwardDataFunc)
}
