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
// It holds at most [SessionTokensOptions.MaxSessions] sessions, dropping
// the least recently used, and drops a session idle for
// [SessionTokensOptions.IdleTimeout] when another is added or when a
// janitor goroutine, which wakes on real time and Close stops, finds it.
// A session costs about 250 bytes beside its JWT.
//
// Clerk's rate limit is per instance, and so is an outage: after one
// session's fetch meets [ErrRateLimited] or [ErrClerkUnavailable], no
// session starts a fetch until the wait is over (Clerk's Retry-After, else
// the growing back-off). Valid tokens are still served, and a Token call
// without one fails at once with the cause's kind and the wait that
// remains ([Stats].HeldBack counts them).
//
// A source held from [SessionTokens.Source] outlives its session's
// eviction. All methods are safe for concurrent use.
type SessionTokens struct {
	eng *engine
	// index finds a session's slot without a lock; mu orders its writers
	// and the LRU list, from head (most recently used) to tail.
	index      sessionIndex
	mu         sync.Mutex
	head, tail *slot

	maxSessions int
	idleTimeout time.Duration

	janitor  chan struct{}
	finished chan struct{}
	stopOnce sync.Once
}

// NewSessionTokens returns a cache minting tokens of template for any
// session through sessions (nil: clerk-sdk-go's package-level
// configuration), as [NewSessionTokenSource] mints; see there for
// [LimitResponseBodies]. A nil opts means the defaults. A template
// [NewSessionTokenSource] would refuse gives an [*InputError]. Close it
// when done.
func NewSessionTokens(sessions *session.Client, template string, opts *SessionTokensOptions) (*SessionTokens, error) {
	if err := validateTemplate(template); err != nil {
		return nil, err
	}
	o := opts.resolved()
	m := &minter{sessions: sessions, template: template, clock: o.Clock, expiresIn: expiresIn(o.Lifetime),
		templates: &templateCheck{}}
	return newSessionTokens(template, &o, m.mint), nil
}

func newSessionTokens(template string, opts *SessionTokensOptions, fetch func(ctx context.Context, id string) (*Token, error)) *SessionTokens {
	o := opts.resolved()
	st := &SessionTokens{
		eng:         newEngine(&o.CacheOptions, fetch),
		maxSessions: o.MaxSessions,
		idleTimeout: o.IdleTimeout,
		janitor:     make(chan struct{}),
		finished:    make(chan struct{}),
	}
	st.eng.owner = st
	st.eng.hold = &instanceHold{}
	st.eng.template = template
	st.index.init()
	go st.runJanitor(clamp(st.idleTimeout/4, time.Second, time.Minute))
	return st
}

// Source returns the token source of sessionID. It is cheap enough to call
// on every request: for a cached session it allocates nothing. The source
// is also an [Invalidator], which drops the session's token only while it
// is still the rejected one, and at most once per
// [CacheOptions.InvalidateInterval] per session, as
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

// EndSession drops everything cached for sessionID: its token, its error
// and back-off. Call it when a session ends. A fetch under way completes
// for those waiting on it but is not kept. Unlike the Invalidate of a
// session's source, which drops one refused token, it is not limited by
// [CacheOptions.InvalidateInterval].
func (st *SessionTokens) EndSession(sessionID string) {
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
// Close is idempotent.
func (st *SessionTokens) Close() {
	st.stopOnce.Do(func() { close(st.janitor) })
	<-st.finished
	st.eng.close()
	st.mu.Lock()
	for st.tail != nil {
		st.remove(st.tail)
	}
	st.index.clear()
	st.mu.Unlock()
}

// errSource is the source of a session that cannot have one.
type errSource struct{ err error }

func (e errSource) Token(context.Context) (*Token, error) { return nil, e.err }

func (errSource) Invalidate(*Token) {}
