package testkit

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/clock"
)

// Clock is a clock that moves only when told to: the test kit's, for
// the tests that cannot import the kit.
type Clock = clock.Fake

// NewClock returns a Clock at a fixed instant.
func NewClock() *Clock {
	return clock.NewFake(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
}
