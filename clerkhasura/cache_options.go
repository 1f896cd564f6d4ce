package clerkhasura

import (
	"math/rand/v2"
	"time"
)

// Defaults of [CacheOptions].
const (
	// DefaultFetchTimeout bounds one shared fetch.
	DefaultFetchTimeout = 10 * time.Second
	// DefaultMinBackoff is the first wait after a failed fetch.
	DefaultMinBackoff = time.Second
	// DefaultMaxBackoff caps the wait after failed fetches, and is the
	// wait after a permanent error such as [ErrInvalidSecretKey].
	DefaultMaxBackoff = time.Minute
	// DefaultRefreshJitter is the fraction by which the refresh window is
	// randomly shortened.
	DefaultRefreshJitter = 0.5
	// DefaultMaxSessions is how many sessions a [SessionTokens] holds.
	DefaultMaxSessions = 10_000
	// DefaultIdleTimeout is how long a [SessionTokens] keeps a session
	// nobody asks a token for.
	DefaultIdleTimeout = 10 * time.Minute
	// DefaultInvalidateInterval is the least time between two tokens
	// Invalidate drops for one session.
	DefaultInvalidateInterval = 10 * time.Second
)

// CacheOptions configures [NewCachedTokenSource] and [NewSessionTokens].
// A nil *CacheOptions, and every zero field, means the default. The
// fields from MaxSessions on configure a [SessionTokens] only:
// [NewCachedTokenSource] ignores them.
//
// A cached token goes through three states. Fresh: served. Stale: still
// served, while one background fetch replaces it. Expired: callers wait for
// one shared fetch. With L the token's lifetime (its Expiry minus the time
// its request started), a token expires EarlyExpiry before its Expiry and
// turns stale RefreshWindow before that. By default both scale with L, so
// that a 30 s token, a 60 s one and a 1 h one all refresh in time without
// being stale for most of their life:
//
//	lifetime   early expiry   refresh window (before jitter)
//	30 s       2.5 s          6 s
//	60 s       5 s            12 s
//	1 h        1 min          5 min
type CacheOptions struct {
	// Clock tells the local time. Optional: the system clock, read through
	// its monotonic reading. A [SessionTokens] mints on it too; for
	// [NewCachedTokenSource], see there how it pairs with the wrapped
	// source's clock. A SessionTokens' janitor still wakes on real time
	// (see [SessionTokens]).
	Clock Clock

	// EarlyExpiry is how long before its Expiry a token stops being used,
	// a margin for network latency and clock drift between here and
	// Hasura. Optional: L/12 held within [1 s, 1 min]. It is never more
	// than L/4 by default, nor L/2 when set.
	EarlyExpiry time.Duration

	// RefreshWindow is how long before the early expiry a token turns
	// stale and a background refresh starts. Optional: L/5 held within
	// [1 s, 5 min], and never more than L/3. When set, it is never more
	// than half of what remains of L after EarlyExpiry.
	RefreshWindow time.Duration

	// RefreshJitter is the fraction, in [0, 1], by which each token's
	// refresh window is shortened at random, so that sessions minted
	// together do not refresh together. Optional: 0 means
	// [DefaultRefreshJitter]; a negative value turns jitter off.
	RefreshJitter float64

	// FetchTimeout bounds one fetch from the wrapped source. The fetch
	// runs on a context detached from the callers' (it keeps their
	// values), so a caller that gives up does not end it for the others;
	// Close ends it. Optional: [DefaultFetchTimeout].
	FetchTimeout time.Duration

	// MinBackoff and MaxBackoff bound the wait after failed fetches: it
	// starts at MinBackoff, doubles with each failure up to MaxBackoff,
	// and each wait is drawn at random from its upper half. A Retry-After
	// from Clerk (up to 10 min) lengthens it. After a permanent error
	// ([ErrSessionGone], [ErrTemplateNotFound], [ErrInvalidSecretKey],
	// [ErrClerkRejected]) the wait is MaxBackoff; [ErrMalformedToken] and
	// every error that is not a [*ClerkError] count as temporary.
	// Meanwhile a still valid token is served (except after
	// [ErrSessionGone], which drops it), and without one the last error is
	// returned. In a [SessionTokens], a 429 or an outage holds back every
	// session's fetch as well (see there). Optional: [DefaultMinBackoff]
	// and [DefaultMaxBackoff].
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// InvalidateInterval is the least time between two tokens that
	// Invalidate drops for one session (a [CachedTokenSource], or one
	// session of a [SessionTokens]), measured on Clock. An audience that
	// refuses every token, such as a Hasura trusting another Clerk
	// instance's keys or lagging a key rotation, then costs one forced
	// mint per session per interval instead of one per request. A refused
	// Invalidate keeps the token: the next Token call returns that same
	// token at once, without waiting, and [Transport] does not send the
	// request again. A token past the middle of its usable life (from its
	// fetch to its early expiry) is dropped whenever asked: it is to be
	// replaced soon anyway, and a subscription switching connections
	// before the token expires must get a new one. Optional:
	// [DefaultInvalidateInterval]; a negative value means no limit.
	InvalidateInterval time.Duration

	// Used by SessionTokens only.

	// MaxSessions is how many sessions a [SessionTokens] holds; adding one
	// more drops the least recently used. Optional: [DefaultMaxSessions].
	MaxSessions int

	// IdleTimeout is how long a [SessionTokens] keeps a session that
	// nobody asked a token for. Optional: [DefaultIdleTimeout].
	IdleTimeout time.Duration

	// Lifetime is the [SessionSourceOptions.Lifetime] of the sessions a
	// [SessionTokens] mints for: Clerk's expires_in_seconds, 30 s or
	// more. [NewCachedTokenSource] takes its tokens as the wrapped source
	// makes them, so there set SessionSourceOptions.Lifetime instead.
	// Optional: the template's lifetime.
	Lifetime time.Duration
}

// resolved returns a copy of o with every default filled in.
func (o *CacheOptions) resolved() CacheOptions {
	var r CacheOptions
	if o != nil {
		r = *o
	}
	if r.RefreshJitter == 0 {
		r.RefreshJitter = DefaultRefreshJitter
	}
	// A negative value stays, so that resolving twice changes nothing.
	r.RefreshJitter = min(r.RefreshJitter, 1)
	if r.FetchTimeout <= 0 {
		r.FetchTimeout = DefaultFetchTimeout
	}
	if r.MinBackoff <= 0 {
		r.MinBackoff = DefaultMinBackoff
	}
	if r.MaxBackoff <= 0 {
		r.MaxBackoff = DefaultMaxBackoff
	}
	r.MaxBackoff = max(r.MaxBackoff, r.MinBackoff)
	if r.InvalidateInterval == 0 {
		r.InvalidateInterval = DefaultInvalidateInterval
	}
	if r.MaxSessions <= 0 {
		r.MaxSessions = DefaultMaxSessions
	}
	if r.IdleTimeout <= 0 {
		r.IdleTimeout = DefaultIdleTimeout
	}
	return r
}

// windows returns the early expiry and the refresh window, before jitter,
// of a token with lifetime l.
func (o *CacheOptions) windows(l time.Duration) (early, refresh time.Duration) {
	if o.EarlyExpiry > 0 {
		early = min(o.EarlyExpiry, l/2)
	} else {
		early = min(clamp(l/12, time.Second, time.Minute), l/4)
	}
	if o.RefreshWindow > 0 {
		refresh = min(o.RefreshWindow, (l-early)/2)
	} else {
		refresh = min(clamp(l/5, time.Second, 5*time.Minute), l/3)
	}
	return early, refresh
}

// jittered shortens a refresh window by a random part of RefreshJitter.
func (o *CacheOptions) jittered(refresh time.Duration) time.Duration {
	if o.RefreshJitter <= 0 || refresh <= 0 {
		return refresh
	}
	return refresh - time.Duration(o.RefreshJitter*rand.Float64()*float64(refresh))
}

// backoff returns the wait after the failures-th failure in a row.
func (o *CacheOptions) backoff(failures int32, err error) time.Duration {
	var b time.Duration
	if permanent(err) {
		b = o.MaxBackoff
	} else {
		b = jitteredBackoff(o.MinBackoff, o.MaxBackoff, int(failures))
	}
	return max(b, retryAfter(err))
}

// jitteredBackoff returns the wait after the n-th failure in a row, n ≥ 1:
// lo doubled n−1 times and capped at hi, then drawn at random from its
// upper half.
func jitteredBackoff(lo, hi time.Duration, n int) time.Duration {
	b := lo
	for i := 1; i < n && b < hi; i++ {
		b *= 2
	}
	b = min(b, hi)
	return b - time.Duration(rand.Int64N(int64(b/2)+1))
}

func clamp(d, lo, hi time.Duration) time.Duration { return min(max(d, lo), hi) }
