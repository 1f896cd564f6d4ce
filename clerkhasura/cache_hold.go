package clerkhasura

import (
	"errors"
	"sync"
	"time"
)

// errHeldBack is the cause of the error a session of a [SessionTokens]
// gets while the instance-wide back-off holds its fetch back.
var errHeldBack = errors.New("not sent: Clerk refused or failed another session's fetch, and its limits are per instance")

// instanceHold is the back-off a [SessionTokens] shares among its
// sessions. Clerk's rate limit is per instance, keyed by the secret key,
// and so is an outage: after one session's fetch meets either, a fetch
// for any other session would meet it too, and add to the load Clerk
// asked to be spared.
type instanceHold struct {
	mu    sync.Mutex
	until int64
	cause *ClerkError
	// failures counts the holds in a row, each set by a fetch that began
	// after the previous hold was over; it makes the wait grow as a
	// session's own back-off does.
	failures int32
}

// instanceWide returns err's [*ClerkError] when it says that Clerk itself
// limits or fails, whichever session asked: 429, 5xx, a network error, a
// reply that is not Clerk's, a fetch past FetchTimeout.
func instanceWide(err error) *ClerkError {
	var ce *ClerkError
	if errors.As(err, &ce) && (ce.Kind == ErrRateLimited || ce.Kind == ErrClerkUnavailable) {
		return ce
	}
	return nil
}

// failed records at now the failure of a fetch that began at start.
func (h *instanceHold) failed(start, now int64, err error, opts *CacheOptions) {
	ce := instanceWide(err)
	if ce == nil {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	if start >= h.until && h.failures < 1<<20 {
		h.failures++
	}
	if until := now + int64(opts.backoff(h.failures, ce)); until > h.until {
		h.until, h.cause = until, ce
	}
}

// succeeded records a fetch that returned a token. A hold already set
// stays: a 429's Retry-After is Clerk's word on when to ask again.
func (h *instanceHold) succeeded() {
	h.mu.Lock()
	h.failures = 0
	h.mu.Unlock()
}

// check returns the error a fetch for session id fails with at now, or
// nil when the hold is over: the cause's kind, status and codes, with the
// wait that remains.
func (h *instanceHold) check(now int64, id string) error {
	h.mu.Lock()
	defer h.mu.Unlock()
	if now >= h.until || h.cause == nil {
		return nil
	}
	ce := *h.cause
	ce.SessionID = id
	ce.RetryAfter = time.Duration(h.until - now)
	ce.Message = ""
	ce.Err = errHeldBack
	return &ce
}
