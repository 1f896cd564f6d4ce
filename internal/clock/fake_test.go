package clock

import (
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var start = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

// receive waits for the next value on ch.
func receive[T any](t *testing.T, ch <-chan T) T {
	t.Helper()
	select {
	case v := <-ch:
		return v
	case <-time.After(5 * time.Second):
		t.Fatal("nothing received within 5 s")
	}
	var zero T
	return zero
}

func TestFakeAfterFuncRunsWhenMovedPastItsTime(t *testing.T) {
	c := NewFake(start)
	fired := make(chan string, 3)
	c.AfterFunc(2*time.Second, func() { fired <- "2s" })
	stop := c.AfterFunc(time.Second, func() { fired <- "1s" })

	c.Advance(time.Second - time.Nanosecond)
	assert.Empty(t, fired, "nothing is due yet")
	require.True(t, stop(), "a timer not run yet stops")
	assert.False(t, stop(), "a timer stops once")

	c.Set(c.Now().Add(time.Second + time.Nanosecond))
	assert.Equal(t, "2s", receive(t, fired))
	assert.Empty(t, fired, "the stopped function never runs")

	done := c.AfterFunc(0, func() { fired <- "now" })
	assert.Equal(t, "now", receive(t, fired))
	assert.False(t, done(), "a function that ran does not stop")
}

// TestFakeStepsThroughDueTimes checks that one Advance starts the due
// functions in the order of their times, each with the clock at its
// time, and ends at the time asked for. The functions run inline here, so
// that what each sees is certain.
func TestFakeStepsThroughDueTimes(t *testing.T) {
	c := NewFake(start)
	c.run = func(f func()) { f() }
	var seen []time.Duration
	for _, d := range []time.Duration{5, 1, 4, 2, 3} {
		c.AfterFunc(d*time.Second, func() { seen = append(seen, c.Now().Sub(start)) })
	}
	c.AfterFunc(2*time.Second, func() {
		// Due within the same move: it runs in it.
		c.AfterFunc(500*time.Millisecond, func() { seen = append(seen, -c.Now().Sub(start)) })
	})
	c.Advance(10 * time.Second)
	assert.Equal(t, []time.Duration{
		time.Second, 2 * time.Second, -2500 * time.Millisecond, 3 * time.Second, 4 * time.Second, 5 * time.Second,
	}, seen)
	assert.Equal(t, start.Add(10*time.Second), c.Now())
}

// TestFakeDoesNotWait checks that a due function that never returns
// holds up neither the move nor the other functions.
func TestFakeDoesNotWait(t *testing.T) {
	c := NewFake(start)
	block := make(chan struct{})
	defer close(block)
	fired := make(chan struct{}, 1)
	c.AfterFunc(time.Second, func() { <-block })
	c.AfterFunc(2*time.Second, func() { fired <- struct{}{} })
	c.Advance(3 * time.Second)
	receive(t, fired)
}

func TestFakeSetBackStartsNothing(t *testing.T) {
	c := NewFake(start)
	fired := make(chan struct{}, 1)
	c.AfterFunc(time.Second, func() { fired <- struct{}{} })
	c.Set(start.Add(-time.Hour))
	assert.Equal(t, start.Add(-time.Hour), c.Now())
	c.Advance(time.Hour)
	assert.Empty(t, fired, "the function is due a second after the start")
	c.Advance(time.Second)
	receive(t, fired)
}

// TestFakeConcurrentUse reads, moves and arms the clock from several
// goroutines; run with -race.
func TestFakeConcurrentUse(t *testing.T) {
	c := NewFake(start)
	var wg sync.WaitGroup
	var ran sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			for range 200 {
				ran.Add(1)
				c.AfterFunc(time.Millisecond, ran.Done)
				c.Advance(time.Millisecond)
				_ = c.Now()
			}
		})
	}
	wg.Wait()
	c.Advance(time.Millisecond)
	ran.Wait()
	assert.Equal(t, start.Add(801*time.Millisecond), c.Now())
}

func TestFakeOffsetMovesWithIt(t *testing.T) {
	c := NewFake(start)
	ahead := c.Offset(8 * time.Second)
	assert.Equal(t, start.Add(8*time.Second), ahead.Now())
	fired := make(chan time.Time, 1)
	ahead.AfterFunc(2*time.Second, func() { fired <- ahead.Now() })
	c.Advance(2*time.Second - time.Nanosecond)
	assert.Empty(t, fired)
	c.Advance(time.Nanosecond)
	assert.Equal(t, start.Add(10*time.Second), receive(t, fired))
	assert.Equal(t, start.Add(time.Second), c.Offset(-time.Second).Now(), "two seconds on, one behind")
}
