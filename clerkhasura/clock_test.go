package clerkhasura

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func TestNilClockIsTheSystemClock(t *testing.T) {
	fired := make(chan time.Time, 1)
	start := orSystem(nil).Now()
	orSystem(nil).AfterFunc(time.Millisecond, func() { fired <- time.Now() })
	select {
	case at := <-fired:
		assert.False(t, at.Before(start.Add(time.Millisecond)), "not before its time")
	case <-time.After(10 * time.Second):
		t.Fatal("the function did not run")
	}

	stop := orSystem(nil).AfterFunc(time.Hour, func() { t.Error("a stopped function ran") })
	assert.True(t, stop(), "stops a function not run yet")
	assert.False(t, stop(), "once")

	m := newMonoClock(nil)
	a := m.nanos()
	assert.LessOrEqual(t, a, m.nanos())
	assert.Equal(t, int64(time.Hour), m.at(m.epoch.Add(time.Hour)))
}

func TestMonoClockReadsTheGivenClock(t *testing.T) {
	clock := testkit.NewClock()
	assert.Same(t, clock, orSystem(clock))
	m := newMonoClock(clock)
	clock.Advance(time.Minute)
	assert.Equal(t, int64(time.Minute), m.nanos())
	assert.Equal(t, int64(2*time.Minute), m.at(clock.Now().Add(time.Minute)))
}

// BenchmarkClockRead compares the cached hit's clock read with time.Now,
// which reads the wall clock too.
func BenchmarkClockRead(b *testing.B) {
	b.Run("monotonic", func(b *testing.B) {
		m := newMonoClock(nil)
		for b.Loop() {
			_ = m.nanos()
		}
	})
	b.Run("time.Now", func(b *testing.B) {
		epoch := time.Now().Round(0) // no monotonic reading: Sub reads the wall clock
		for b.Loop() {
			_ = time.Now().UnixNano() - epoch.UnixNano()
		}
	})
}
