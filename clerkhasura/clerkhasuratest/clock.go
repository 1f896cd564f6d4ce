package clerkhasuratest

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/clock"
)

// Clock is a [clerkhasura.Clock] that moves only when a test moves it,
// for the fakes and every option of the SDK that takes a clock: one
// Advance then ages tokens, caches, sessions and websocket connections
// together, and no test sleeps through a token's lifetime. It is safe for
// concurrent use: Now never races with Advance or Set.
type Clock struct {
	c *clock.Fake
}

var _ clerkhasura.Clock = (*Clock)(nil)

// NewClock returns a Clock reading start, such as time.Now() or a fixed
// date.
func NewClock(start time.Time) *Clock {
	return &Clock{c: clock.NewFake(start)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time { return c.c.Now() }

// AfterFunc runs f in its own goroutine once the clock has been moved d
// past its time now, as [time.AfterFunc] does on real time; d ≤ 0 runs it
// at once. stop keeps f from running and reports whether it did so.
func (c *Clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	return c.c.AfterFunc(d, f)
}

// Advance moves the clock forward by d, as [Clock.Set] does.
func (c *Clock) Advance(d time.Duration) { c.c.Advance(d) }

// Set moves the clock to t. Moving forward, it steps through the
// functions of [Clock.AfterFunc] that fall due by t in the order of their
// times, starting each in its own goroutine with the clock at its time,
// and ends at t. It does not wait for them: what they do (a fake Hasura
// dropping a websocket whose token expired, a client switching to a fresh
// token) happens after Set returns, so poll for it. Moving back starts
// nothing. Concurrent moves take turns.
func (c *Clock) Set(t time.Time) { c.c.Set(t) }

// Offset returns a clock that reads d later than c (earlier for a
// negative d) and moves with it: hand it to a fake to play a service
// whose clock runs ahead of the host's, or behind it.
func (c *Clock) Offset(d time.Duration) clerkhasura.Clock { return c.c.Offset(d) }
