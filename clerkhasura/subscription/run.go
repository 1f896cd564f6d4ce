package subscription

import (
	"cmp"
	"errors"
	"slices"
	"strconv"
	"sync"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// minConnLife is how long a connection must have served for its loss to
// count as a first failure; connections lost sooner back off as failures
// do, so that a server that accepts and drops at once is not hammered.
const minConnLife = time.Second

// run keeps a connection open, replacing it before its token expires and
// after it is lost, until Close or a fatal error.
func (c *Client) run(conn *wsConn) {
	defer c.wg.Done()
	defer c.shutdown()
	c.activate(conn)
	quickLosses := 0
	for {
		due, stop := c.at(conn.rotateAt)
		select {
		case <-c.ctx.Done():
			stop()
			return
		case <-conn.done:
			stop()
			if c.now().Sub(conn.opened) < minConnLife {
				quickLosses++
			} else {
				quickLosses = 0
			}
			next := c.recover(conn, quickLosses)
			if next == nil {
				return
			}
			conn = next
		case <-due:
			if next := c.rotate(conn); next != nil {
				conn = next
			}
		}
	}
}

// activate makes conn the active connection and subscribes everything.
func (c *Client) activate(conn *wsConn) {
	conn.start()
	c.mu.Lock()
	defer c.mu.Unlock()
	c.active = conn
	for _, sub := range c.sortedSubs() {
		sub.route, sub.incoming = onOld, nil
		conn.subscribe(sub)
	}
}

// sortedSubs returns the subscriptions in the order they were made, so
// that a new connection starts them in that order; c.mu is held.
func (c *Client) sortedSubs() []*subscription {
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
func (c *Client) recover(old *wsConn, quickLosses int) *wsConn {
	lostAt := c.now()
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
			due, stop := c.after(wait)
			select {
			case <-c.ctx.Done():
				stop()
				return nil
			case <-due:
			}
		}
		attempts++
		var avoid *clerkhasura.Token
		if staleToken(old, c.now()) {
			avoid = old.tok
		}
		conn, err := c.connectOnce(c.ctx, avoid, old)
		if err == nil {
			c.activate(conn)
			c.stats.reconnects.Add(1)
			c.notify(ReconnectEvent{Cause: cause, Attempts: attempts, Downtime: c.now().Sub(lostAt)})
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
func (c *Client) logFailure(msg string, err error, args ...any) {
	args = append(args, "error", err)
	if errors.Is(err, ErrWebsocketRedirect) {
		c.opts.Logger.Error(msg, args...)
		return
	}
	c.opts.Logger.Warn(msg, args...)
}

// rotate replaces old with a connection on a fresh token, make before
// break (see [route]). It returns the new connection, or nil when old
// stays: the attempt failed and will be retried after a back-off.
func (c *Client) rotate(old *wsConn) *wsConn {
	next, err := c.connectOnce(c.ctx, old.tok, old)
	if err != nil {
		if c.ctx.Err() == nil && !c.failed(err) {
			old.rotateFailures++
			old.rotateAt = c.now().Add(c.opts.retryWait(err, old.rotateFailures))
			c.logFailure("clerkhasura: websocket switch-over failed; the old connection serves on", err)
		}
		return nil
	}
	next.start()
	c.mu.Lock()
	rot := c.beginSwitch(next)
	c.mu.Unlock()

	// The old connection must not outlive its token while the two
	// connections disagree: end the switch-over halfway to the expiry.
	timeout, stop := c.after(max(min(c.opts.SwitchTimeout, old.lead/2), time.Millisecond))
	defer stop()
	select {
	case <-rot.ready:
	case <-old.done:
	case <-timeout:
	case <-c.ctx.Done():
		return nil
	case <-next.done:
		c.mu.Lock()
		c.endSwitch(rot, false)
		c.lost(next)
		c.mu.Unlock()
		old.rotateFailures++
		old.rotateAt = c.now().Add(c.opts.backoff(old.rotateFailures))
		c.opts.Logger.Warn("clerkhasura: websocket switch-over failed; the old connection serves on", "error", next.err)
		return nil
	}
	c.mu.Lock()
	c.endSwitch(rot, true)
	c.mu.Unlock()
	c.closeAside(old)
	c.stats.rotations.Add(1)
	c.opts.Logger.Debug("clerkhasura: websocket switched to a fresh token", "lifetime", next.lifetime)
	c.notify(ReconnectEvent{Planned: true, Attempts: 1})
	return next
}

// closeAside closes conn cleanly without waiting for it.
func (c *Client) closeAside(conn *wsConn) {
	c.wg.Add(1)
	go func() {
		defer c.wg.Done()
		conn.close()
	}()
}

// shutdown closes the connections when run returns.
func (c *Client) shutdown() {
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
