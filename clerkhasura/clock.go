package clerkhasura

import "time"

// Clock tells the local time. Caches and token sources read it to anchor
// expiries and to decide when a token is stale, so tests can move time
// without sleeping. Now must be safe for concurrent use.
type Clock interface {
	Now() time.Time
}

// systemClock is the default [Clock]. Its times carry a monotonic reading,
// so a wall clock that jumps does not make cached tokens stale or fresh.
type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

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
	if c == nil {
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
