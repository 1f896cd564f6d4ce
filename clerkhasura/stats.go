package clerkhasura

import "sync/atomic"

// Stats counts what a [CachedTokenSource] or [SessionTokens] did since it
// was made, for a service to export as metrics. Counters only grow.
//
// Calls answered with a fresh token are not counted: every core would
// write one counter on every request, and its cache line travelling from
// core to core costs the hit path as much as oauth2's mutex (on 2 cores,
// BenchmarkCachedHit takes 61 ns/op with one counter, 14 without; oauth2:
// 66). Count requests where they are handled.
type Stats struct {
	// StaleServes counts Token calls answered with a stale token.
	StaleServes uint64
	// Waits counts Token calls without a valid token.
	Waits uint64
	// Mints counts fetches that returned a token.
	Mints uint64
	// Refreshes counts background refreshes started.
	Refreshes uint64
	// Failures counts fetches that failed.
	Failures uint64
	// Invalidations counts tokens dropped by Invalidate, and sessions
	// ended by [SessionTokens.EndSession].
	Invalidations uint64
	// RefusedInvalidations counts Invalidate calls that kept the token
	// ([CacheOptions.InvalidateInterval]); many mean that Hasura refuses
	// Clerk's tokens: check its JWT secret.
	RefusedInvalidations uint64
	// HeldBack counts Token calls that failed at once, without asking
	// Clerk, while a [SessionTokens] held back after a 429 or an outage.
	HeldBack uint64
	// Evictions counts sessions dropped as least recently used or idle.
	Evictions uint64
	// Sessions is how many sessions a [SessionTokens] holds now; 1 for a
	// [CachedTokenSource].
	Sessions int
}

// counters are the live form of [Stats].
type counters struct {
	staleServes          atomic.Uint64
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
		StaleServes:          c.staleServes.Load(),
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
