package subscription

import "time"

// now reads the client's clock.
func (c *Client) now() time.Time { return c.opts.Clock.Now() }

// after returns a channel closed once d has passed on the client's clock,
// and a function that stops it.
func (c *Client) after(d time.Duration) (<-chan struct{}, func() bool) {
	done := make(chan struct{})
	stop := c.opts.Clock.AfterFunc(d, func() { close(done) })
	return done, stop
}

// at is after, until the client's clock reads t.
func (c *Client) at(t time.Time) (<-chan struct{}, func() bool) {
	return c.after(t.Sub(c.now()))
}
