package clerkhasura

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSystemClockAfterFunc(t *testing.T) {
	var c Clock = systemClock{}
	fired := make(chan time.Time, 1)
	start := c.Now()
	c.AfterFunc(time.Millisecond, func() { fired <- time.Now() })
	select {
	case at := <-fired:
		assert.False(t, at.Before(start.Add(time.Millisecond)), "not before its time")
	case <-time.After(10 * time.Second):
		t.Fatal("the function did not run")
	}

	stop := c.AfterFunc(time.Hour, func() { t.Error("a stopped function ran") })
	assert.True(t, stop(), "stops a function not run yet")
	assert.False(t, stop(), "once")
}
