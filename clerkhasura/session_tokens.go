package clerkhasura

import (
	"context"
	"sync"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/session"
)

// SessionTokens is the process-wide token cache for many Clerk sessions:
// make one per template and share it. Each session gets its own cache
// entry, with the states, shared fetches and back-off of a
// [CachedTokenSource], minted as [NewSessionTokenSource] mints.
//
// It holds at most [CacheOptions.MaxSessions] sessions (default
// [DefaultMaxSessions]); adding one more drops the least recently used,
// where "used" is counted to the second.
// A session nobody asked a token for during [CacheOptions.IdleTimeout]
// (default [DefaultIdleTimeout]) is dropped when a session is added beside
// it (up to four idle ones per addition), or by a janitor goroutine that
// Close stops. The janitor wakes on real time, every quarter of
// IdleTimeout held within [1 s, 1 min], and judges idleness by
// [CacheOptions.Clock]: with a clock that tests move by hand, idle
// sessions go when a session is added, or at the janitor's next real-time
// round. Per session it keeps the token, a few words of state and the
// session ID: about 250 bytes beside the JWT, some 1.2 KiB in all with
// Clerk's usual 900-byte tokens.
//
// Clerk's rate limit is per instance (keyed by the secret key), and so is
// an outage, so the back-off is too: when one session's fetch meets a 429
// ([ErrRateLimited]) or Clerk unavailable ([ErrClerkUnavailable]: 5xx,
// network error, a proxy's page, FetchTimeout), no session starts a fetch
// until the wait is over: the Retry-After Clerk sent (up to 10 min), else
// the back-off of [CacheOptions.MinBackoff], growing with each hold in a
// row. Meanwhile valid tokens are served, stale ones included (their
// refresh waits), and a Token call without one fails at once with a
// [*ClerkError] of the cause's kind and status whose RetryAfter is the wait
// that remains ([Stats].HeldBack counts them). Other errors, such as a
// session's 404, concern that session alone.
//
// A source held from [SessionTokens.Source] outlives its session's
// eviction: its Token and Invalidate reach the session's current entry.
//
// All methods are safe for concurrent use.
type SessionTokens struct {
	eng *engine
	// index finds a session's slot without a lock; mu orders its writers
	// and the LRU list, from head (most recently used) to tail.
	index      sessionIndex
	mu         sync.Mutex
	head, tail *slot

	janitor  chan struct{}
	finished chan struct{}
	stopOnce sync.Once
}

// NewSessionTokens returns a cache minting tokens of template for any
// session through sessions (nil: clerk-sdk-go's package-level
// configuration), as [NewSessionTokenSource] mints; see there for
// [LimitResponseBodies]. A nil opts means the defaults. Close it when
// done.
func NewSessionTokens(sessions *session.Client, template string, opts *CacheOptions) *SessionTokens {
	o := opts.resolved()
	clock := o.Clock
	if clock == nil {
		clock = systemClock{}
	}
	if err := validateTemplate(template); err != nil {
		return newSessionTokens(template, &o, func(context.Context, string) (*Token, error) { return nil, err })
	}
	m := &minter{sessions: sessions, template: template, clock: clock, expiresIn: expiresIn(o.Lifetime),
		templates: &templateCheck{}}
	return newSessionTokens(template, &o, m.mint)
}

func newSessionTokens(template string, opts *CacheOptions, fetch func(ctx context.Context, id string) (*Token, error)) *SessionTokens {
	st := &SessionTokens{
		eng:      newEngine(opts, fetch),
		janitor:  make(chan struct{}),
		finished: make(chan struct{}),
	}
	st.eng.owner = st
	st.eng.hold = &instanceHold{}
	st.eng.template = template
	st.index.init()
	go st.runJanitor(clamp(st.eng.opts.IdleTimeout/4, time.Second, time.Minute))
	return st
}

// Source returns the token source of sessionID. It is cheap enough to call
// on every request: for a cached session it allocates nothing. The source
// also has an Invalidate(rejected *Token) method, which drops the
// session's token only while it is still the rejected one, and at most
// once per [CacheOptions.InvalidateInterval] per session, as
// [CachedTokenSource.Invalidate] does. The tokens it returns are shared
// with every caller of the session: treat them as read-only.
//
// An invalid sessionID (see [NewSessionTokenSource]) gives a source whose
// Token fails with [*InputError]; after Close, Token fails with
// [ErrClosed].
func (st *SessionTokens) Source(sessionID string) TokenSource {
	if s := st.index.lookup(sessionID); s != nil {
		return s
	}
	return st.add(sessionID)
}

// Token is shorthand for st.Source(sessionID).Token(ctx).
func (st *SessionTokens) Token(ctx context.Context, sessionID string) (*Token, error) {
	return st.Source(sessionID).Token(ctx)
}

// Invalidate drops everything cached for sessionID: its token, its error
// and back-off. Call it when a session ends. A fetch under way completes
// for those waiting on it but is not kept. Unlike the Invalidate of a
// session's source, it is not limited by [CacheOptions.InvalidateInterval].
func (st *SessionTokens) Invalidate(sessionID string) {
	st.mu.Lock()
	if s := st.index.lookup(sessionID); s != nil {
		st.remove(s)
		st.eng.stats.invalidations.Add(1)
	}
	st.mu.Unlock()
}

// Stats returns the counters of all sessions.
func (st *SessionTokens) Stats() Stats {
	s := st.eng.stats.snapshot()
	st.mu.Lock()
	s.Sessions = st.index.live
	st.mu.Unlock()
	return s
}

// Close stops the janitor and the fetches under way, waits for them, and
// drops every session. Token calls fail with [ErrClosed] afterwards.
// Close is idempotent and always returns nil.
func (st *SessionTokens) Close() error {
	st.stopOnce.Do(func() { close(st.janitor) })
	<-st.finished
	st.eng.close()
	st.mu.Lock()
	for st.tail != nil {
		st.remove(st.tail)
	}
	st.index.clear()
	st.mu.Unlock()
	return nil
}

// errSource is the source of a session that cannot have one.
type errSource struct{ err error }

func (e errSource) Token(context.Context) (*Token, error) { return nil, e.err }

func (errSource) Invalidate(*Token) {}
