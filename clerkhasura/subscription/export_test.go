package subscription

import "time"

// Test helpers for the external tests of the subscription client.

// Backlog returns what waits for the caller of subscription
// id, besides the item its goroutine is handing over: how many items (a
// result, the item that ends the subscription) and the result, if any.
func Backlog(c *Client, id string) (items int, result []byte) {
	c.mu.Lock()
	s := c.live[id]
	c.mu.Unlock()
	if s == nil {
		return 0, nil
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.result != nil {
		items++
	}
	if s.final != nil {
		items++
	}
	return items, s.result
}

// Outbox returns how many messages wait to be written on the
// client's active connection, and how many of them are pongs.
func Outbox(c *Client) (messages, pongs int) {
	c.mu.Lock()
	conn := c.active
	c.mu.Unlock()
	if conn == nil {
		return 0, 0
	}
	return conn.outbox.pending()
}

// Schedule returns when the client's active connection is to
// be switched over to a fresh token, how long before its token's expiry
// that is, and the token's expiry.
func Schedule(c *Client) (rotateAt time.Time, lead time.Duration, expiry time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.active == nil {
		return time.Time{}, 0, time.Time{}
	}
	return c.active.rotateAt, c.active.lead, c.active.tok.Expiry
}

// DefaultReconnectJitter is the default of Options.ReconnectJitter.
const DefaultReconnectJitter = defaultReconnectJitter
