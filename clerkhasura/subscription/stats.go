package subscription

import "sync/atomic"

// counters are the live form of [Stats].
type counters struct {
	connects, rotations, reconnects, failures,
	delivered, duplicates, coalesced atomic.Uint64
}

// Stats counts what a [Client] did since it was
// made. Counters only grow, except Subscriptions.
type Stats struct {
	// Connects counts connections Hasura acknowledged.
	Connects uint64
	// Rotations counts switch-overs to a fresh token before expiry.
	Rotations uint64
	// Reconnects counts connections made after one was lost.
	Reconnects uint64
	// ConnectFailures counts connection attempts that failed.
	ConnectFailures uint64
	// Delivered counts results queued for subscribers.
	Delivered uint64
	// Coalesced counts queued results that a newer result replaced before
	// the subscriber received them.
	Coalesced uint64
	// Duplicates counts results dropped as equal to the last one queued
	// or received.
	Duplicates uint64
	// Subscriptions is how many subscriptions are active now.
	Subscriptions int
}

// Stats returns the client's counters.
func (c *Client) Stats() Stats {
	c.mu.Lock()
	n := len(c.subs)
	c.mu.Unlock()
	return Stats{
		Connects:        c.stats.connects.Load(),
		Rotations:       c.stats.rotations.Load(),
		Reconnects:      c.stats.reconnects.Load(),
		ConnectFailures: c.stats.failures.Load(),
		Delivered:       c.stats.delivered.Load(),
		Coalesced:       c.stats.coalesced.Load(),
		Duplicates:      c.stats.duplicates.Load(),
		Subscriptions:   n,
	}
}
