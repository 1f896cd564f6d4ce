package testkit

import (
	"slices"
	"sync"
	"time"
)

// Clock is a clock that moves only when told to. It implements the
// token layer's Clock. All methods are safe for concurrent use.
type Clock struct {
	mu     sync.Mutex
	t      time.Time
	timers []*timer
}

// timer is a function waiting for the clock to reach at.
type timer struct {
	at   time.Time
	f    func()
	done bool
}

// NewClock returns a Clock at a fixed instant.
func NewClock() *Clock {
	return &Clock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
}

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

// Advance moves the clock by d, and runs the functions whose time came.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
	c.fire()
}

// Set moves the clock to t, and runs the functions whose time came.
func (c *Clock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
	c.fire()
}

// AfterFunc runs f in its own goroutine once the clock has been moved d
// past its time now, as [time.AfterFunc] does on real time; d ≤ 0 runs it
// at once. stop keeps f from running and reports whether it did so.
func (c *Clock) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	c.mu.Lock()
	t := &timer{at: c.t.Add(d), f: f}
	c.timers = append(c.timers, t)
	c.mu.Unlock()
	if d <= 0 {
		c.fire()
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

// fire starts the functions whose time came, in the order of their times.
func (c *Clock) fire() {
	c.mu.Lock()
	var due []*timer
	c.timers = slices.DeleteFunc(c.timers, func(t *timer) bool {
		if t.at.After(c.t) {
			return false
		}
		t.done = true
		due = append(due, t)
		return true
	})
	c.mu.Unlock()
	slices.SortStableFunc(due, func(a, b *timer) int { return a.at.Compare(b.at) })
	for _, t := range due {
		go t.f()
	}
}
