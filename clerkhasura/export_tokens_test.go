package clerkhasura

// Test helpers for the external tests of the token layer.

// WaitIdle waits for the background fetch of a cached source, if any.
func WaitIdle(ts TokenSource) {
	if c, ok := ts.(*CachedTokenSource); ok {
		c.waitIdle()
	}
}

// DefaultMinBackoff is the default of CacheOptions.MinBackoff.
const DefaultMinBackoff = defaultMinBackoff
