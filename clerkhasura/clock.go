package clerkhasura

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/clock"
)

// Clock tells the local time and runs functions after a while on it. Caches
// and token sources read it to anchor expiries and to decide when a token
// is stale, and [SessionTokens] drops idle sessions on it, so tests can move
// time without sleeping. A nil Clock in any options means the system clock.
// Its methods must be safe for concurrent use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc runs f in its own goroutine once d has passed, as
	// [time.AfterFunc] does; stop keeps f from running and reports
	// whether it did so.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// orSystem returns c, or the system clock when c is nil.
func orSystem(c Clock) Clock {
	if c == nil {
		return clock.System{}
	}
	return c
}

// monoClock reads a [Clock] as nanoseconds since a fixed epoch, the form
// cached tokens store. For the system clock (nil) it reads the monotonic
// clock alone: time.Since on a monotonic epoch skips the wall-clock read
// that time.Now makes. BenchmarkClockRead shows why: it halves the clock
// read, a third of the cached hit's cost.
type monoClock struct {
	clock Clock
	epoch time.Time
}

func newMonoClock(c Clock) monoClock { return monoClock{clock: c, epoch: orSystem(c).Now()} }

// nanos returns the time since the epoch.
func (m *monoClock) nanos() int64 {
	if m.clock == nil {
		return int64(time.Since(m.epoch))
	}
	return int64(m.clock.Now().Sub(m.epoch))
}

// at converts an instant on the clock to nanoseconds since the epoch.
func (m *monoClock) at(t time.Time) int64 { return int64(t.Sub(m.epoch)) }
