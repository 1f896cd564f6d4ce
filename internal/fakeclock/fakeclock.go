// Package fakeclock holds the settable clock of the test kit and of the
// module's own tests: one implementation behind clerkhasuratest.Clock and
// the internal tests' clock, which cannot import the kit. It imports no
// package of the module.
package fakeclock

import (
	"slices"
	"sync"
	"time"
)

// Clock is a clock that moves only when told to. It implements the token
// layer's Clock. All methods are safe for concurrent use: Now never races
// with Advance or Set.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	timers []*timer
	// moving serialises Advance and Set, so that the functions one of
	// them starts are started in the order of their times.
	moving sync.Mutex
	// run starts a due function; nil means in a goroutine of its own.
	run func(f func())
}

// timer is a function waiting for the clock to reach at.
type timer struct {
	at   time.Time
	f    func()
	done bool
}

// New returns a Clock reading start.
func New(start time.Time) *Clock {
	return &Clock{now: start}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d; see [Clock.Set].
func (c *Clock) Advance(d time.Duration) {
	c.moving.Lock()
	defer c.moving.Unlock()
	c.mu.Lock()
	to := c.now.Add(d)
	c.mu.Unlock()
	c.moveTo(to)
}

// Set moves the clock to t. Moving forward, it steps from one due
// function's time to the next, in time order, starting each in its own
// goroutine with the clock at its time, and ends at t; it does not wait
// for them. Moving back starts nothing.
func (c *Clock) Set(t time.Time) {
	c.moving.Lock()
	defer c.moving.Unlock()
	c.moveTo(t)
}

// moveTo moves the clock to t through the times of the functions due by
// then; c.moving is held.
func (c *Clock) moveTo(t time.Time) {
	for {
		c.mu.Lock()
		next := c.nextDue(t)
		if next == nil {
			c.now = t
			c.mu.Unlock()
			return
		}
		next.done = true
		c.timers = slices.DeleteFunc(c.timers, func(o *timer) bool { return o == next })
		if next.at.After(c.now) {
			c.now = next.at
		}
		c.mu.Unlock()
		c.start(next.f)
	}
}

func (c *Clock) start(f func()) {
	if c.run != nil {
		c.run(f)
		return
	}
	go f()
}

// nextDue returns the earliest function due at t, the oldest first among
// equals, or nil; c.mu is held.
func (c *Clock) nextDue(t time.Time) *timer {
	var next *timer
	for _, tm := range c.timers {
		if !tm.at.After(t) && (next == nil || tm.at.Before(next.at)) {
			next = tm
		}
	}
	return next
}

// AfterFunc runs f in its own goroutine once the clock has been moved d
// past its time now, as [time.AfterFunc] does on real time; d ≤ 0 runs it
// at once. stop keeps f from running and reports whether it did so.
func (c *Clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	t := &timer{f: f}
	c.mu.Lock()
	t.at = c.now.Add(d)
	due := d <= 0
	if due {
		t.done = true
	} else {
		c.timers = append(c.timers, t)
	}
	c.mu.Unlock()
	if due {
		c.start(f)
	}
	return func() bool {
		c.mu.Lock()
		defer c.mu.Unlock()
		if t.done {
			return false
		}
		t.done = true
		c.timers = slices.DeleteFunc(c.timers, func(o *timer) bool { return o == t })
		return true
	}
}
