package testkit

import (
	"testing"
	"time"

	"go.uber.org/goleak"
)

// WaitFor waits until cond holds, and fails t after 30 s: synchronisation
// with goroutines that have no other signal, never a timing assertion. It
// is the module's one poll helper; the deadline only turns a hang into a
// failure, on a machine as busy as CI's.
func WaitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(30 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting until %s", what)
		}
		time.Sleep(time.Millisecond)
	}
}

// Within runs f and fails t if it does not return within 5 s.
func Within(t testing.TB, what string, f func()) {
	t.Helper()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatalf("%s did not return within 5 s", what)
	}
}

// CheckLeaks verifies, after every other cleanup of t has run, that t left
// no goroutine behind. Call it first.
func CheckLeaks(t testing.TB) {
	t.Helper()
	current := goleak.IgnoreCurrent()
	t.Cleanup(func() { goleak.VerifyNone(t, current) })
}

// AdvanceUntilClosed reads ch until it is closed and returns the last value
// read, calling advance, such as a test clock's one-second step, whenever
// nothing is waiting in ch: so that a subscription whose source runs out
// of tokens is walked to its end one step at a time, each switch-over it
// tries on the way having its turn.
func AdvanceUntilClosed[T any](t testing.TB, ch <-chan T, advance func()) (last T) {
	t.Helper()
	WaitFor(t, "the channel to close", func() bool {
		select {
		case v, ok := <-ch:
			if !ok {
				return true
			}
			last = v
			return false
		default:
			advance()
			return false
		}
	})
	return last
}
