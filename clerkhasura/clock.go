package clerkhasura

import "time"

// Clock tells the local time and runs functions after a while on it. Caches
// and token sources read it to anchor expiries and to decide when a token
// is stale, so tests can move time without sleeping. A nil Clock in any
// options means the system clock. Its methods must be safe for concurrent
// use.
type Clock interface {
	// Now returns the current time.
	Now() time.Time
	// AfterFunc runs f in its own goroutine once d has passed, as
	// [time.AfterFunc] does; stop keeps f from running and reports
	// whether it did so.
	AfterFunc(d time.Duration, f func()) (stop func() bool)
}

// systemClock is the default [Clock]. Its times carry a monotonic reading,
// so a wall clock that jumps does not make cached tokens stale or fresh.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

func (systemClock) AfterFunc(d time.Duration, f func()) func() bool { return time.AfterFunc(d, f).Stop }

// orSystem returns c, or the system clock when c is nil.
func orSystem(c Clock) Clock {
	if c == nil {
		return systemClock{}
	}
	return c
}

// monoClock turns a [Clock] into nanoseconds since a fixed epoch, the form
// cache entries store. For the system clock it reads only the monotonic
// clock: time.Since on a monotonic epoch skips the wall-clock read, which
// halves the cost of the cached-token hit path.
type monoClock struct {
	clock  Clock
	system bool
	epoch  time.Time
}

func newMonoClock(c Clock) monoClock {
	if _, system := orSystem(c).(systemClock); system {
		return monoClock{clock: systemClock{}, system: true, epoch: time.Now()}
	}
	return monoClock{clock: c, epoch: c.Now()}
}

// nanos returns the time since the epoch.
func (m *monoClock) nanos() int64 {
	if m.system {
		return int64(time.Since(m.epoch))
	}
	return int64(m.clock.Now().Sub(m.epoch))
}

// at converts an instant on the clock to nanoseconds since the epoch.
func (m *monoClock) at(t time.Time) int64 { return int64(t.Sub(m.epoch)) }
