package clerkhasura

import (
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

// CacheOptions configures [NewCachedTokenSource], and the caching of
// [NewSessionTokens] within [SessionTokensOptions]. A nil *CacheOptions,
// and every zero field, means the default.
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
	// together do not refresh together. Optional: 0 means 0.5; a negative
	// value turns jitter off.
	RefreshJitter float64

	// FetchTimeout bounds one fetch from the wrapped source. The fetch
	// runs on a context detached from the callers' (it keeps their
	// values), so a caller that gives up does not end it for the others;
	// Close ends it. Optional: 10 s.
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
	// session's fetch as well (see there). Optional: 1 s and 1 min.
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
	// before the token expires must get a new one. Optional: 10 s; a
	// negative value means no limit.
	InvalidateInterval time.Duration

	// Logger receives a warning, with the error, for every background
	// refresh that fails: callers, served the stale token meanwhile, see
	// nothing of such a failure until the token expires. Tokens never
	// appear in it. Optional: nothing is logged.
	Logger *slog.Logger
}

// SessionTokensOptions configures [NewSessionTokens]. A nil
// *SessionTokensOptions, and every zero field, means the default.
type SessionTokensOptions struct {
	// CacheOptions configures the cache entry of each session, as it
	// configures a [CachedTokenSource]. Its Clock is also the one the
	// sessions' tokens are minted on. Optional.
	CacheOptions

	// Lifetime is the [SessionSourceOptions.Lifetime] of the tokens
	// minted for the sessions: Clerk's expires_in_seconds, 30 s or more.
	// Optional: the template's lifetime.
	Lifetime time.Duration

	// MaxSessions is how many sessions a [SessionTokens] holds; adding one
	// more drops the least recently used. Optional: 10,000.
	MaxSessions int

	// IdleTimeout is how long a [SessionTokens] keeps a session that
	// nobody asked a token for. Optional: 10 min.
	IdleTimeout time.Duration
}

// resolved returns a copy of o with every default filled in.
func (o *CacheOptions) resolved() CacheOptions {
	var r CacheOptions
	if o != nil {
		r = *o
	}
	r.Clock = orSystem(r.Clock)
	if r.RefreshJitter == 0 {
		r.RefreshJitter = defaultRefreshJitter
	}
	// A negative value stays, so that resolving twice changes nothing.
	r.RefreshJitter = min(r.RefreshJitter, 1)
	if r.FetchTimeout <= 0 {
		r.FetchTimeout = defaultFetchTimeout
	}
	if r.MinBackoff <= 0 {
		r.MinBackoff = defaultMinBackoff
	}
	if r.MaxBackoff <= 0 {
		r.MaxBackoff = defaultMaxBackoff
	}
	r.MaxBackoff = max(r.MaxBackoff, r.MinBackoff)
	if r.InvalidateInterval == 0 {
		r.InvalidateInterval = defaultInvalidateInterval
	}
	if r.Logger == nil {
		r.Logger = slog.New(slog.DiscardHandler)
	}
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
	if r.MaxSessions <= 0 {
		r.MaxSessions = defaultMaxSessions
	}
	if r.IdleTimeout <= 0 {
		r.IdleTimeout = defaultIdleTimeout
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
		b = backoff.Jittered(o.MinBackoff, o.MaxBackoff, int(failures))
	}
	return max(b, retryAfter(err))
}

func clamp(d, lo, hi time.Duration) time.Duration { return min(max(d, lo), hi) }
