package clerkhasura

import "time"

// Test helpers for the external tests of the token layer.

// TestClock is a clock that moves only when told to.
type TestClock = testClock

// NewTestClock returns a TestClock at a fixed instant.
func NewTestClock() *TestClock { return newTestClock() }

// WaitIdle waits for the background fetch of a cached source, if any.
func WaitIdle(ts TokenSource) {
	switch v := ts.(type) {
	case *CachedTokenSource:
		v.s.waitIdle()
	case *slot:
		v.waitIdle()
	}
}

// FakeJWT builds a well-formed, unverifiable JWT of about size bytes.
func FakeJWT(iat time.Time, lifetime time.Duration, sub string, size int) string {
	return fakeJWT(iat, lifetime, sub, size)
}
