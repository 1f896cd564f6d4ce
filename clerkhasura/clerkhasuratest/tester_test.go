package clerkhasuratest_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestStandaloneTester(t *testing.T) {
	var log strings.Builder
	st := &clerkhasuratest.StandaloneTester{Log: &log}
	var order []int
	st.Cleanup(func() { order = append(order, 1) })
	st.Cleanup(func() { order = append(order, 2) })
	st.Helper()
	st.Logf("hello %s", "there")
	assert.Equal(t, "hello there\n", log.String())

	assert.PanicsWithValue(t, "boom 7", func() { st.Fatalf("boom %d", 7) })

	st.Close()
	st.Close()
	assert.Equal(t, []int{2, 1}, order, "last registered runs first, once")

	var quiet clerkhasuratest.StandaloneTester
	quiet.Logf("goes nowhere")
}

func TestStandaloneTesterClosesClerk(t *testing.T) {
	var st clerkhasuratest.StandaloneTester
	fc := clerkhasuratest.NewClerk(&st, nil)
	resp := get(t, fc, fc.JWKSURL(), "")
	assert.Equal(t, 200, resp.StatusCode)
	st.Close()
	_, err := fc.HTTPClient().Get(fc.JWKSURL())
	assert.Error(t, err, "Close ran the fake's cleanup")

	assert.Panics(t, func() { fc.CreateSession("") }, "Fatalf panics")
}
