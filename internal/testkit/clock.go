package testkit

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/fakeclock"
)

// Clock is a clock that moves only when told to: the test kit's, for
// the tests that cannot import the kit.
type Clock = fakeclock.Clock

// NewClock returns a Clock at a fixed instant.
func NewClock() *Clock {
	return fakeclock.New(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
}
