package subscription

import (
	"context"
	"errors"
	"fmt"
	"net"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// connectOnce fetches a token and opens a connection with it. avoid is a
// token not to use again, such as the one whose expiry the connection
// replaces; prev is the connection it replaces, or nil. A token Hasura
// refuses is invalidated.
func (c *Client) connectOnce(ctx context.Context, avoid *clerkhasura.Token, prev *wsConn) (*wsConn, error) {
	tok, err := c.token(ctx, avoid)
	if err != nil {
		return nil, err
	}
	now := c.now()
	remaining := tok.Expiry.Sub(now)
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
	conn.rotateAt = rotationTime(tok, now, remaining, lead)
	return conn, nil
}

// rotationTime is when a connection on tok, which had remaining left
// when it was fetched at now, is replaced, lead before the token expires.
func rotationTime(tok *clerkhasura.Token, now time.Time, remaining, lead time.Duration) time.Time {
	if tok.Expiry.IsZero() || remaining <= 0 {
		// Without a known expiry only a loss replaces the connection.
		return now.Add(100 * 365 * 24 * time.Hour)
	}
	return latest(tok.Expiry.Add(-lead), now.Add(min(remaining/2, time.Second)))
}

func latest(a, b time.Time) time.Time {
	if a.After(b) {
		return a
	}
	return b
}

// token asks the source for a token. When it returns avoid again (a cache
// still serving it), avoid is invalidated and the source asked once more.
func (c *Client) token(ctx context.Context, avoid *clerkhasura.Token) (*clerkhasura.Token, error) {
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
func (c *Client) invalidate(tok *clerkhasura.Token) bool {
	inv, ok := c.src.(clerkhasura.Invalidator)
	if ok {
		inv.Invalidate(tok)
	}
	return ok
}

// failed stops the client if err says the source cannot give tokens any
// more; it reports whether it did.
func (c *Client) failed(err error) bool {
	if !permanent(err) && !errors.Is(err, clerkhasura.ErrClosed) {
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

// permanent reports whether err says that the source cannot give a token
// soon: an error whose Temporary method says false, such as a
// [*clerkhasura.ClerkError] of a session Clerk no longer has or the
// expiry of a forwarded token, or an [*clerkhasura.InputError]. Network
// errors do not count: their Temporary, deprecated, is false for most
// failures worth retrying.
func permanent(err error) bool {
	if t, ok := errors.AsType[interface {
		error
		Temporary() bool
	}](err); ok {
		if _, isNet := t.(net.Error); !isNet {
			return !t.Temporary()
		}
	}
	return errors.Is(err, clerkhasura.ErrInvalidInput)
}

func (c *Client) notify(e ReconnectEvent) {
	if c.opts.OnReconnect != nil {
		c.opts.OnReconnect(e)
	}
}
