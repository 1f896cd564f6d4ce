// Package clock holds the clocks that the module's engines and tests
// share: the system clock, for options whose clock is nil, and a fake
// that moves only when told to, the one implementation behind the test
// kit's clerkhasuratest.Clock and the clock of the internal tests, which
// cannot import the kit. Both implement the token layer's Clock. It
// imports no package of the module.
package clock

import "time"

// System is the system clock. Its times carry a monotonic reading.
type System struct{}

// Now returns time.Now().
func (System) Now() time.Time { return time.Now() }

// AfterFunc is [time.AfterFunc], returning the timer's Stop.
func (System) AfterFunc(d time.Duration, f func()) (stop func() bool) {
	return time.AfterFunc(d, f).Stop
}
