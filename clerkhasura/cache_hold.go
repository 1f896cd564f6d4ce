package clerkhasura

import (
	"errors"
	"sync"
	"time"
)

// errHeldBack is the cause of the error a session of a [SessionTokens]
// gets while the instance-wide back-off holds its fetch back.
var errHeldBack = errors.New("not sent: Clerk refused or failed another session's fetch, and its limits are per instance")

// instanceHold is the back-off the sessions of a [SessionTokens] share.
// Clerk's rate limit is per instance, keyed by the secret key, and so is
// an outage: after one session's fetch meets either, a fetch for another
// session would meet it too, and add to the load Clerk asked to be spared.
// A nil *instanceHold, a CachedTokenSource's, never holds.
type instanceHold struct {
	mu    sync.Mutex
	until int64
	cause *ClerkError
	// failures counts the holds in a row, each set by a fetch that began
	// after the previous hold was over, so the wait grows as a session's
	// own back-off does.
	failures int32
}

// failed records at now the failure of a fetch that began at start, if
// err says that Clerk limits or fails the instance: 429, 5xx, a network
// error, a reply that is not Clerk's, a fetch past FetchTimeout. It
// returns the wait when the failure starts a hold, else 0.
func (h *instanceHold) failed(start, now int64, err error, opts *CacheOptions) (started time.Duration) {
	var ce *ClerkError
	if h == nil || !errors.As(err, &ce) || ce.Kind != ErrRateLimited && ce.Kind != ErrClerkUnavailable {
		return 0
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if start >= h.until {
		h.failures = min(h.failures+1, 1<<20)
	}
	until := now + int64(opts.backoff(h.failures, ce))
	if until <= h.until {
		return 0
	}
	if now >= h.until {
		started = time.Duration(until - now)
	}
	h.until, h.cause = until, ce
	return started
}

// succeeded records a fetch that returned a token. A hold already set
// stays: a 429's Retry-After is Clerk's word on when to ask again.
func (h *instanceHold) succeeded() {
	if h != nil {
		h.mu.Lock()
		h.failures = 0
		h.mu.Unlock()
	}
}

// check returns the error a fetch for session id fails with at now, or
// nil when no hold lasts: the cause's kind, status and codes, with the
// wait that remains.
func (h *instanceHold) check(now int64, id string) error {
	if h == nil {
		return nil
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if now >= h.until || h.cause == nil {
		return nil
	}
	ce := *h.cause
	ce.SessionID, ce.RetryAfter, ce.Message, ce.Err = id, time.Duration(h.until-now), "", errHeldBack
	return &ce
}
