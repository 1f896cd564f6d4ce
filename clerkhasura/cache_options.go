package clerkhasura

import (
	"cmp"
	"errors"
	"log/slog"
	"math/rand/v2"
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/backoff"
)

// Defaults of [CacheOptions] and [SessionTokensOptions].
const (
	defaultFetchTimeout       = 10 * time.Second
	defaultMinBackoff         = time.Second
	defaultMaxBackoff         = time.Minute
	defaultRefreshJitter      = 0.5
	defaultMaxSessions        = 10_000
	defaultIdleTimeout        = 10 * time.Minute
	defaultInvalidateInterval = 10 * time.Second
)

// CacheOptions configures [NewCachedTokenSource], and each session of
// [NewSessionTokens]. A nil *CacheOptions, and every zero field, means the
// default.
//
// A cached token is fresh (served), then stale (served while one
// background fetch replaces it), then expired (callers wait for one shared
// fetch). With L the token's lifetime, it expires EarlyExpiry before its
// Expiry and turns stale RefreshWindow before that, which by default
// follows the fetches' latency: a 60 s token is used for about 53 s.
type CacheOptions struct {
	// Clock tells the local time. A [SessionTokens] mints on it too; see
	// [NewCachedTokenSource] for how it pairs with the wrapped source's.
	// Optional: the system clock, read through its monotonic reading.
	Clock Clock

	// EarlyExpiry is how long before its Expiry a token stops being used,
	// a margin for the trip to Hasura and for Hasura's clock; a token
	// refused at the edge is resent once by [Transport] with a new one.
	// Optional: L/30 held within [1 s, 30 s] and at most L/4 (2 s for a
	// 60 s token); a set value is held to L/2.
	EarlyExpiry time.Duration

	// RefreshWindow is how long before the early expiry a token turns
	// stale, so that a caller at least this often never waits. Optional:
	// L/15 held within [1 s, 1 min] (4 s for a 60 s token), plus three
	// times the latency of the cache's fetches, estimated across the
	// sessions of a [SessionTokens]: a slower fetch raises the estimate at
	// once, a faster one lowers it by an eighth of the difference. A
	// window, set or learned, is held to half of what remains of L after
	// the early expiry.
	RefreshWindow time.Duration

	// RefreshJitter is the fraction, in [0, 1], by which each refresh
	// window is lengthened at random, so that sessions minted together do
	// not refresh together. Optional: 0.5; negative turns jitter off.
	RefreshJitter float64

	// FetchTimeout bounds one fetch. The fetch runs on a context detached
	// from its callers', so a caller that gives up does not end it for
	// the others; Close does. Optional: 10 s.
	FetchTimeout time.Duration

	// MinBackoff and MaxBackoff bound the jittered, doubling wait after
	// failed fetches, which a Retry-After from Clerk (up to 10 min)
	// lengthens; after a permanent error ([ErrSessionGone],
	// [ErrTemplateNotFound], [ErrInvalidSecretKey], [ErrClerkRejected]) the
	// wait is MaxBackoff. Meanwhile a valid token is still served (except
	// after ErrSessionGone), else the last error. Optional: 1 s and 1 min.
	MinBackoff time.Duration
	MaxBackoff time.Duration

	// InvalidateInterval is the least time between two tokens Invalidate
	// drops for one session, so that an audience refusing every token
	// costs one mint per interval, not one per request. A refused
	// Invalidate keeps the token, which the next Token call returns at
	// once. A token past the middle of its usable life is dropped whenever
	// asked. Optional: 10 s; negative means no limit.
	InvalidateInterval time.Duration

	// Logger receives a warning, with the error and never a token, for
	// what callers do not see: each failed background refresh (the stale
	// token is still served), and each instance-wide hold of a
	// [SessionTokens] as it starts. Optional: nothing is logged.
	Logger *slog.Logger
}

// SessionTokensOptions configures [NewSessionTokens]. A nil
// *SessionTokensOptions, and every zero field, means the default.
type SessionTokensOptions struct {
	// CacheOptions configures each session's cache entry. Optional.
	CacheOptions

	// Lifetime is the [SessionSourceOptions.Lifetime] of the tokens
	// minted for the sessions: Clerk's expires_in_seconds, 30 s or more.
	// Optional: the template's lifetime.
	Lifetime time.Duration

	// MaxSessions is how many sessions a [SessionTokens] holds; adding one
	// more drops the least recently used. Optional: 10,000.
	MaxSessions int

	// IdleTimeout is how long a [SessionTokens] keeps a session that
	// nobody asked a token for; a sweep on [CacheOptions.Clock] drops it
	// within a quarter of that (at least 1 s, at most 1 min) more.
	// Optional: 10 min.
	IdleTimeout time.Duration
}

// resolved returns a copy of o with every default filled in. Resolving
// twice changes nothing.
func (o *CacheOptions) resolved() CacheOptions {
	var r CacheOptions
	if o != nil {
		r = *o
	}
	r.RefreshJitter = min(cmp.Or(r.RefreshJitter, defaultRefreshJitter), 1)
	r.FetchTimeout = orDefault(r.FetchTimeout, defaultFetchTimeout)
	r.MinBackoff = orDefault(r.MinBackoff, defaultMinBackoff)
	r.MaxBackoff = max(orDefault(r.MaxBackoff, defaultMaxBackoff), r.MinBackoff)
	r.InvalidateInterval = cmp.Or(r.InvalidateInterval, defaultInvalidateInterval)
	r.Logger = cmp.Or(r.Logger, slog.New(slog.DiscardHandler))
	return r
}

// resolved returns a copy of o with every default filled in, those of its
// CacheOptions included.
func (o *SessionTokensOptions) resolved() SessionTokensOptions {
	var r SessionTokensOptions
	if o != nil {
		r = *o
	}
	r.CacheOptions = r.CacheOptions.resolved()
	r.MaxSessions = orDefault(r.MaxSessions, defaultMaxSessions)
	r.IdleTimeout = orDefault(r.IdleTimeout, defaultIdleTimeout)
	return r
}

// orDefault returns v if it is positive, else d.
func orDefault[T int | time.Duration](v, d T) T {
	if v <= 0 {
		return d
	}
	return v
}

// windows returns the early expiry and the refresh window, before jitter,
// of a token with lifetime l when fetches take about lat.
func (o *CacheOptions) windows(l, lat time.Duration) (early, refresh time.Duration) {
	early = min(clamp(l/30, time.Second, 30*time.Second), l/4)
	if o.EarlyExpiry > 0 {
		early = min(o.EarlyExpiry, l/2)
	}
	refresh = clamp(l/15, time.Second, time.Minute) + 3*lat
	if o.RefreshWindow > 0 {
		refresh = o.RefreshWindow
	}
	return early, min(refresh, (l-early)/2)
}

// jittered lengthens a refresh window by a random part of RefreshJitter.
func (o *CacheOptions) jittered(refresh time.Duration) time.Duration {
	if o.RefreshJitter <= 0 {
		return refresh
	}
	return refresh + time.Duration(o.RefreshJitter*rand.Float64()*float64(refresh))
}

// backoff returns the wait after the failures-th failure in a row.
func (o *CacheOptions) backoff(failures int32, err error) time.Duration {
	b := o.MaxBackoff
	if !permanent(err) {
		b = backoff.Jittered(o.MinBackoff, o.MaxBackoff, int(failures))
	}
	if ce := (*ClerkError)(nil); errors.As(err, &ce) {
		b = max(b, ce.RetryAfter)
	}
	return b
}

func clamp(d, lo, hi time.Duration) time.Duration { return min(max(d, lo), hi) }
