package clerkhasura

import (
	"sync"
	"sync/atomic"
)

// Stats counts what a [CachedTokenSource] or [SessionTokens] did since it
// was made, for a service to export as metrics. Counters only grow.
type Stats struct {
	// Hits counts Token calls answered with a fresh cached token.
	Hits uint64
	// StaleServes counts Token calls answered with a stale token, still
	// valid, while a background refresh replaced it.
	StaleServes uint64
	// Waits counts Token calls that had no valid token and waited for a
	// fetch (or got the last error while backing off).
	Waits uint64
	// Mints counts fetches that returned a token.
	Mints uint64
	// Refreshes counts background refreshes started.
	Refreshes uint64
	// Failures counts fetches that failed.
	Failures uint64
	// Invalidations counts tokens dropped by Invalidate.
	Invalidations uint64
	// RefusedInvalidations counts Invalidate calls that kept the token,
	// because the session's previous drop was less than
	// [CacheOptions.InvalidateInterval] ago. Many of them mean the
	// audience refuses the tokens Clerk mints: check Hasura's JWT secret.
	RefusedInvalidations uint64
	// HeldBack counts Token calls of a [SessionTokens] that had no valid
	// token and failed at once, without asking Clerk, because another
	// session's fetch had met Clerk's rate limit or an outage (see
	// [SessionTokens]).
	HeldBack uint64
	// Evictions counts sessions a [SessionTokens] dropped because it was
	// full or they were idle.
	Evictions uint64
	// Sessions is how many sessions a [SessionTokens] holds now; 1 for a
	// [CachedTokenSource].
	Sessions int
}

// counters are the live form of [Stats]. Hits and stale serves happen on
// every request, so they are striped to keep cores from contending.
type counters struct {
	hits                 stripedCounter
	staleServes          stripedCounter
	waits                atomic.Uint64
	mints                atomic.Uint64
	refreshes            atomic.Uint64
	failures             atomic.Uint64
	invalidations        atomic.Uint64
	refusedInvalidations atomic.Uint64
	heldBack             atomic.Uint64
	evictions            atomic.Uint64
}

func (c *counters) snapshot() Stats {
	return Stats{
		Hits:                 c.hits.load(),
		StaleServes:          c.staleServes.load(),
		Waits:                c.waits.Load(),
		Mints:                c.mints.Load(),
		Refreshes:            c.refreshes.Load(),
		Failures:             c.failures.Load(),
		Invalidations:        c.invalidations.Load(),
		RefusedInvalidations: c.refusedInvalidations.Load(),
		HeldBack:             c.heldBack.Load(),
		Evictions:            c.evictions.Load(),
	}
}

const stripes = 8

// stripedCounter spreads increments over cells on separate cache lines; a
// single counter written by every core costs more than the rest of a cache
// hit, as its cache line travels from core to core.
type stripedCounter struct {
	cells [stripes]struct {
		n atomic.Uint64
		_ [120]byte
	}
}

var nextStripe atomic.Uint32

// stripeOfP hands out cell numbers. A sync.Pool keeps a cache per P (the
// scheduler's processor), so a goroutine mostly gets the number its P had,
// and each core writes its own cell.
var stripeOfP = sync.Pool{New: func() any {
	n := nextStripe.Add(1) % stripes
	return &n
}}

func (s *stripedCounter) add() {
	n := stripeOfP.Get().(*uint32)
	s.cells[*n].n.Add(1)
	stripeOfP.Put(n)
}

func (s *stripedCounter) load() uint64 {
	var n uint64
	for i := range s.cells {
		n += s.cells[i].n.Load()
	}
	return n
}
