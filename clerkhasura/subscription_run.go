package clerkhasura

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// minConnLife is how long a connection must have served for its loss to
// count as a first failure; connections lost sooner back off as failures
// do, so that a server that accepts and drops at once is not hammered.
const minConnLife = time.Second

// run keeps a connection open, replacing it before its token expires and
// after it is lost, until Close or a fatal error.
func (c *SubscriptionClient) run(conn *wsConn) {
	defer c.wg.Done()
	defer c.shutdown()
	c.activate(conn)
	quickLosses := 0
	for {
		timer := time.NewTimer(time.Until(conn.rotateAt))
		select {
		case <-c.ctx.Done():
			timer.Stop()
			return
		case <-conn.done:
			timer.Stop()
			if time.Since(conn.opened) < minConnLife {
				quickLosses++
			} else {
				quickLosses = 0
			}
			next := c.recover(conn, quickLosses)
			if next == nil {
				return
			}
			conn = next
		case <-timer.C:
			if next := c.rotate(conn); next != nil {
				conn = next
			}
		}
	}
}

// activate makes conn the active connection and subscribes everything.
func (c *SubscriptionClient) activate(conn *wsConn) {
	conn.start()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active = conn
	for _, sub := range c.sortedSubs() {
		conn.subscribe(sub)
	}
}

// sortedSubs returns the subscriptions in the order they were made, so
// that a new connection starts them in that order; c.mu is held.
func (c *SubscriptionClient) sortedSubs() []*subscription {
	subs := make([]*subscription, 0, len(c.subs))
	for _, s := range c.subs {
		subs = append(subs, s)
	}
	slices.SortFunc(subs, func(a, b *subscription) int {
		x, _ := strconv.ParseUint(a.id, 10, 64)
		y, _ := strconv.ParseUint(b.id, 10, 64)
		return cmp.Compare(x, y)
	})
	return subs
}

// recover replaces the lost connection old, backing off between
// attempts; quickLosses counts the connections in a row lost soon after
// they opened. It returns nil when the client stopped meanwhile.
//
// The first attempt waits a random time up to ReconnectJitter, so that
// the clients of a restarted server come back spread out, and, after a
// connection lost soon after it opened, the back-off too; later attempts
// back off. Each attempt asks the source for a token, and takes the lost
// connection's again unless [staleToken] says otherwise: a restart or a
// lost TCP connection says nothing about the token, and a cache that
// still holds it mints nothing.
func (c *SubscriptionClient) recover(old *wsConn, quickLosses int) *wsConn {
	lostAt := time.Now()
	c.mu.Lock()
	c.lost(old)
	c.mu.Unlock()
	cause := old.err
	c.opts.Logger.Info("clerkhasura: websocket connection lost; reconnecting", "error", cause)
	failures := quickLosses
	wait := c.opts.jitter()
	if failures > 0 {
		wait += c.opts.backoff(failures)
	}
	attempts := 0
	for {
		if wait > 0 {
			timer := time.NewTimer(wait)
			select {
			case <-c.ctx.Done():
				timer.Stop()
				return nil
			case <-timer.C:
			}
		}
		attempts++
		var avoid *Token
		if staleToken(old, time.Now()) {
			avoid = old.tok
		}
		conn, err := c.connectOnce(c.ctx, avoid, old)
		if err == nil {
			c.activate(conn)
			c.stats.reconnects.Add(1)
			c.notify(ReconnectEvent{Cause: cause, Attempts: attempts, Downtime: time.Since(lostAt)})
			return conn
		}
		if c.ctx.Err() != nil || c.failed(err) {
			return nil
		}
		failures++
		wait = c.opts.retryWait(err, failures)
		c.logFailure("clerkhasura: websocket reconnect failed", err, "attempt", attempts)
	}
}

// staleToken reports whether the connection old, lost at now, must not
// be replaced on its own token. That is so when the close speaks of the
// token (4401, 4403), and when less than the connection's reconnect lead
// remained of the token: a connection would be replaced on it at once,
// and Hasura, which drops a connection without a close frame when its
// token expires, may have done just that by its own clock. Any other
// loss, such as 1012 when Hasura restarts or a TCP connection a load
// balancer drops, leaves the token good. Should Hasura's clock run so far
// ahead that it refuses the token anyway, connection_init fails with
// 4403 and the refused token is invalidated.
func staleToken(old *wsConn, now time.Time) bool {
	var ce *CloseError
	if errors.As(old.err, &ce) && (ce.Code == wsproto.CloseForbidden || ce.Code == wsproto.CloseUnauthorized) {
		return true
	}
	return !old.tok.Expiry.IsZero() && old.tok.Expiry.Sub(now) < old.lead
}

// logFailure logs a failed connection attempt: a redirect, a
// misconfiguration no retry mends, as an error, others as warnings.
func (c *SubscriptionClient) logFailure(msg string, err error, args ...any) {
	args = append(args, "error", err)
	if errors.Is(err, ErrWebsocketRedirect) {
		c.opts.Logger.Error(msg, args...)
		return
	}
	c.opts.Logger.Warn(msg, args...)
}

// rotate replaces old with a connection on a fresh token, make before
// break. It returns the new connection, or nil when old stays: the
// attempt failed and will be retried after a back-off.
func (c *SubscriptionClient) rotate(old *wsConn) *wsConn {
	next, err := c.connectOnce(c.ctx, old.tok, old)
	if err != nil {
		if c.ctx.Err() == nil && !c.failed(err) {
			old.rotateFailures++
			old.rotateAt = time.Now().Add(c.opts.retryWait(err, old.rotateFailures))
			c.logFailure("clerkhasura: websocket switch-over failed; the old connection serves on", err)
		}
		return nil
	}
	next.start()
	c.mu.Lock()
	rot := &rotation{next: next, pending: make(map[string]struct{}, len(c.subs)), ready: make(chan struct{})}
	c.rot = rot
	for _, sub := range c.sortedSubs() {
		rot.pending[sub.id] = struct{}{}
		sub.incoming = nil
		next.subscribe(sub)
	}
	if len(rot.pending) == 0 {
		rot.moved("")
	}
	c.mu.Unlock()

	// The old connection must not outlive its token while the two
	// connections disagree: end the switch-over halfway to the expiry.
	timeout := time.NewTimer(max(min(c.opts.SwitchTimeout, old.lead/2), time.Millisecond))
	defer timeout.Stop()
	select {
	case <-rot.ready:
	case <-old.done:
	case <-timeout.C:
	case <-c.ctx.Done():
		return nil
	case <-next.done:
		c.mu.Lock()
		c.rot = nil
		c.lost(next)
		c.mu.Unlock()
		old.rotateFailures++
		old.rotateAt = time.Now().Add(c.opts.backoff(old.rotateFailures))
		c.opts.Logger.Warn("clerkhasura: websocket switch-over failed; the old connection serves on", "error", next.err)
		return nil
	}
	c.mu.Lock()
	c.finishRotation(rot)
	c.mu.Unlock()
	c.closeAside(old)
	c.stats.rotations.Add(1)
	c.opts.Logger.Debug("clerkhasura: websocket switched to a fresh token", "lifetime", next.lifetime)
	c.notify(ReconnectEvent{Planned: true, Attempts: 1})
	return next
}

// closeAside closes conn cleanly without waiting for it.
func (c *SubscriptionClient) closeAside(conn *wsConn) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		conn.close()
	}()
}

// shutdown closes the connections when run returns.
func (c *SubscriptionClient) shutdown() {
	c.mu.Lock()
	conns := []*wsConn{c.active}
	if c.rot != nil {
		conns = append(conns, c.rot.next)
	}
	c.active, c.rot = nil, nil
	c.mu.Unlock()
	var wg sync.WaitGroup
	for _, conn := range conns {
		if conn != nil {
			wg.Go(conn.close)
		}
	}
	wg.Wait()
}

// connectOnce fetches a token and opens a connection with it. avoid is a
// token not to use again, such as the one whose expiry the connection
// replaces; prev is the connection it replaces, or nil. A token Hasura
// refuses is invalidated.
func (c *SubscriptionClient) connectOnce(ctx context.Context, avoid *Token, prev *wsConn) (*wsConn, error) {
	tok, err := c.token(ctx, avoid)
	if err != nil {
		return nil, err
	}
	remaining := time.Until(tok.Expiry)
	lifetime, lead := remaining, c.opts.lead(remaining)
	if prev != nil && tok.Value == prev.tok.Value {
		// prev's token again, after a loss: what remains of it is no
		// measure of its lifetime, and its switch-over is due as before.
		lifetime, lead = prev.lifetime, prev.lead
	}
	conn, err := c.dial(ctx, tok, lifetime)
	if err != nil {
		c.stats.failures.Add(1)
		if errors.Is(err, ErrConnectionRejected) {
			c.invalidate(tok)
		}
		return nil, err
	}
	c.stats.connects.Add(1)
	c.mu.Lock()
	c.connTok = tok
	c.mu.Unlock()
	conn.lead = lead
	conn.rotateAt = rotationTime(tok, remaining, lead)
	return conn, nil
}

// rotationTime is when a connection on tok, which had remaining left
// when it was fetched, is replaced, lead before the token expires.
func rotationTime(tok *Token, remaining, lead time.Duration) time.Time {
	if tok.Expiry.IsZero() || remaining <= 0 {
		// Without a known expiry only a loss replaces the connection.
		return time.Now().Add(100 * 365 * 24 * time.Hour)
	}
	return latest(tok.Expiry.Add(-lead), time.Now().Add(min(remaining/2, time.Second)))
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// token asks the source for a token. When it returns avoid again (a cache
// still serving it), avoid is invalidated and the source asked once more.
func (c *SubscriptionClient) token(ctx context.Context, avoid *Token) (*Token, error) {
	tok, err := c.src.Token(ctx)
	if err == nil && avoid != nil && tok != nil && tok.Value == avoid.Value {
		if c.invalidate(avoid) {
			tok, err = c.src.Token(ctx)
		}
	}
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: getting a token for the websocket connection: %w", err)
	}
	if tok == nil || tok.Value == "" {
		return nil, errors.New("clerkhasura: TokenSource returned an empty token")
	}
	return tok, nil
}

// invalidate drops tok from the source if it can; it reports whether it could.
func (c *SubscriptionClient) invalidate(tok *Token) bool {
	inv, ok := c.src.(interface{ Invalidate(rejected *Token) })
	if ok {
		inv.Invalidate(tok)
	}
	return ok
}

// failed stops the client if err says the source cannot give tokens any
// more; it reports whether it did.
func (c *SubscriptionClient) failed(err error) bool {
	if !permanent(err) && !errors.Is(err, ErrClosed) {
		return false
	}
	stopped := fmt.Errorf("clerkhasura: subscriptions stopped: %w", err)
	c.mu.Lock()
	if c.closed || c.fatal != nil {
		c.mu.Unlock()
		return true
	}
	c.fatal = stopped
	subs := c.subs
	c.subs = map[string]*subscription{}
	c.mu.Unlock()
	c.opts.Logger.Error("clerkhasura: subscriptions stopped", "error", err)
	for _, sub := range subs {
		sub.end(delivery{err: stopped})
	}
	select {
	case c.errs <- stopped:
	default:
	}
	c.cancel()
	return true
}

func (c *SubscriptionClient) notify(e ReconnectEvent) {
	if c.opts.OnReconnect != nil {
		c.opts.OnReconnect(e)
	}
}
