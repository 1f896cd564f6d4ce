// Package backoff computes the jittered exponential waits after failures
// that the token caches and the subscription client share.
package backoff

import (
	"math/rand/v2"
	"time"
)

// Jittered returns the wait after the n-th failure in a row, n ≥ 1: lo
// doubled n−1 times and capped at hi, then drawn at random from its upper
// half.
func Jittered(lo, hi time.Duration, n int) time.Duration {
	b := lo
	for i := 1; i < n && b < hi; i++ {
		b *= 2
	}
	b = min(b, hi)
	return b - time.Duration(rand.Int64N(int64(b/2)+1))
}
