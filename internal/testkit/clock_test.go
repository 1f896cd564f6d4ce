package testkit

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClockAfterFuncRunsWhenMovedPastItsTime(t *testing.T) {
	c := NewClock()
	fired := make(chan string, 3)
	c.AfterFunc(2*time.Second, func() { fired <- "2s" })
	stop := c.AfterFunc(time.Second, func() { fired <- "1s" })

	c.Advance(time.Second - time.Nanosecond)
	assert.Empty(t, fired, "nothing is due yet")
	require.True(t, stop(), "a timer not run yet stops")
	assert.False(t, stop(), "a timer stops once")

	c.Set(c.Now().Add(time.Second + time.Nanosecond))
	select {
	case got := <-fired:
		assert.Equal(t, "2s", got)
	case <-time.After(5 * time.Second):
		t.Fatal("the due function did not run")
	}
	assert.Empty(t, fired, "the stopped function never runs")

	c.AfterFunc(0, func() { fired <- "now" })
	select {
	case got := <-fired:
		assert.Equal(t, "now", got)
	case <-time.After(5 * time.Second):
		t.Fatal("a function due at once did not run")
	}
}
