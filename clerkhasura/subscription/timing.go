package subscription

import (
	"sync"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

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

// watchdog calls bark once nothing was heard for timeout on its clock.
// Hearing costs a clock reading, not a timer: the timer, when it fires,
// sets itself again for what remains of the timeout since the last
// message.
type watchdog struct {
	clock   clerkhasura.Clock
	timeout time.Duration
	bark    func()

	mu     sync.Mutex
	last   time.Time
	due    time.Time // when the timer set last fires
	stop   func() bool
	halted bool
}

func newWatchdog(clock clerkhasura.Clock, timeout time.Duration, bark func()) *watchdog {
	w := &watchdog{clock: clock, timeout: timeout, bark: bark}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.last = clock.Now()
	w.arm(w.last, timeout)
	return w
}

// arm sets the timer to fire d after now; w.mu is held.
func (w *watchdog) arm(now time.Time, d time.Duration) {
	w.due = now.Add(d)
	w.stop = w.clock.AfterFunc(d, w.check)
}

// heard records a message.
func (w *watchdog) heard() {
	now := w.clock.Now()
	w.mu.Lock()
	w.last = now
	w.mu.Unlock()
}

// deadline is when the watchdog barks unless it hears something, and
// due when its timer fires: the deadline, or earlier, if something was
// heard since the timer was set.
func (w *watchdog) deadline() (deadline, due time.Time) {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.last.Add(w.timeout), w.due
}

func (w *watchdog) check() {
	now := w.clock.Now()
	w.mu.Lock()
	if w.halted {
		w.mu.Unlock()
		return
	}
	if quiet := now.Sub(w.last); quiet < w.timeout {
		w.arm(now, w.timeout-quiet)
		w.mu.Unlock()
		return
	}
	w.halted = true
	w.mu.Unlock()
	w.bark()
}

// halt stops the watchdog for good.
func (w *watchdog) halt() {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.halted = true
	w.stop()
}
