package clock

import (
	"slices"
	"sync"
	"time"
)

// Fake is a clock that moves only when told to. It implements the token
// layer's Clock. All methods are safe for concurrent use: Now never races
// with Advance or Set.
type Fake struct {
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

// NewFake returns a Fake reading start.
func NewFake(start time.Time) *Fake {
	return &Fake{now: start}
}

// Now returns the clock's time.
func (c *Fake) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

// Advance moves the clock forward by d; see [Fake.Set].
func (c *Fake) Advance(d time.Duration) {
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
func (c *Fake) Set(t time.Time) {
	c.moving.Lock()
	defer c.moving.Unlock()
	c.moveTo(t)
}

// moveTo moves the clock to t through the times of the functions due by
// then; c.moving is held.
func (c *Fake) moveTo(t time.Time) {
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

func (c *Fake) start(f func()) {
	if c.run != nil {
		c.run(f)
		return
	}
	go f()
}

// nextDue returns the earliest function due at t, the oldest first among
// equals, or nil; c.mu is held.
func (c *Fake) nextDue(t time.Time) *timer {
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
func (c *Fake) AfterFunc(d time.Duration, f func()) (stop func() bool) {
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

// Offset returns a clock that reads d later than c (earlier for a
// negative d) and moves with it.
func (c *Fake) Offset(d time.Duration) Offset {
	return Offset{c, d}
}

// Offset is a [Fake] read d later.
type Offset struct {
	c *Fake
	d time.Duration
}

// Now returns the time of the Fake, plus d.
func (o Offset) Now() time.Time { return o.c.Now().Add(o.d) }

// AfterFunc is the Fake's: a duration is the same on both.
func (o Offset) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	return o.c.AfterFunc(d, f)
}
