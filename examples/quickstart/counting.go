package main

import (
	"context"
	"sync/atomic"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// countingSource counts the Token calls made of a cache, which counts only
// what it did for them (mints, stale serves, waits), so that the
// transcript can say how many requests one mint served.
type countingSource struct {
	src   clerkhasura.TokenSource
	calls atomic.Uint64
}

func (c *countingSource) Token(ctx context.Context) (*clerkhasura.Token, error) {
	c.calls.Add(1)
	return c.src.Token(ctx)
}

// Invalidate passes a token Hasura refused on to the cache.
func (c *countingSource) Invalidate(rejected *clerkhasura.Token) {
	if inv, ok := c.src.(clerkhasura.Invalidator); ok {
		inv.Invalidate(rejected)
	}
}
