package clerkhasura

import (
	"container/list"
	"context"
	"math"
	"strings"
	"sync"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/session"
)

const (
	// touchEvery is how often a session's place in the LRU list is renewed
	// while it is in use: renewing it on every hit would take the lock per
	// request, and a second of imprecision costs nothing.
	touchEvery = int64(time.Second)
	// idleDropsOnAdd bounds the idle sessions dropped when adding one.
	idleDropsOnAdd = 4
)

// SessionTokens is the process-wide token cache for many Clerk sessions:
// make one per template and share it. Each session has its own
// [CachedTokenSource], minted as [NewSessionTokenSource] mints.
//
// It holds at most [SessionTokensOptions.MaxSessions] sessions, dropping
// the least recently used, and drops those idle for
// [SessionTokensOptions.IdleTimeout]. A session costs about 370 bytes
// beside its JWT.
//
// Clerk's rate limit is per instance, and so is an outage: after one
// session's fetch meets [ErrRateLimited] or [ErrClerkUnavailable], no
// session starts a fetch until the wait is over (Clerk's Retry-After, else
// the growing back-off). Valid tokens are still served, and a Token call
// without one fails at once with the cause's kind and the wait that
// remains ([Stats].HeldBack counts them).
//
// All methods are safe for concurrent use.
type SessionTokens struct {
	eng     *engine
	entries sync.Map // session ID → *CachedTokenSource, written under mu

	mu          sync.Mutex
	lru         list.List   // of *CachedTokenSource, the most recently used first
	stopSweep   func() bool // stops the next idle sweep; nil once closed
	maxSessions int
	idleTimeout time.Duration
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
	return newSessionTokens(template, &o, newMinter(sessions, template, o.Clock, o.Lifetime).mint), nil
}

func newSessionTokens(template string, opts *SessionTokensOptions, fetch func(ctx context.Context, id string) (*Token, error)) *SessionTokens {
	o := opts.resolved()
	st := &SessionTokens{eng: newEngine(&o.CacheOptions, template, fetch), maxSessions: o.MaxSessions, idleTimeout: o.IdleTimeout}
	st.eng.owner, st.eng.hold = st, &instanceHold{}
	st.mu.Lock()
	st.scheduleSweep()
	st.mu.Unlock()
	return st
}

// Source returns the token source of sessionID: cheap enough to call on
// every request, it allocates nothing for a cached session. It is a
// [*CachedTokenSource], which outlives the session's eviction, and whose
// Invalidate drops one refused token. Its tokens are shared with every
// caller of the session: treat them as read-only.
//
// An invalid sessionID (see [NewSessionTokenSource]) gives a source whose
// Token fails with [*InputError]; after Close, Token fails with
// [ErrClosed].
func (st *SessionTokens) Source(sessionID string) TokenSource {
	c, err := st.entry(sessionID)
	if err != nil {
		return &CachedTokenSource{eng: st.eng, err: err, retryAt: math.MaxInt64}
	}
	return c
}

// EndSession drops everything cached for sessionID: its token, its error
// and back-off. Call it when a session ends. A fetch under way completes
// for those waiting on it but is not kept. Unlike the Invalidate of a
// session's source, it is not limited by [CacheOptions.InvalidateInterval].
func (st *SessionTokens) EndSession(sessionID string) {
	st.mu.Lock()
	defer st.mu.Unlock()
	if c := st.lookup(sessionID); c != nil {
		st.remove(c)
		st.eng.stats.invalidations.Add(1)
	}
}

// Stats returns the counters of all sessions.
func (st *SessionTokens) Stats() Stats {
	s := st.eng.stats.snapshot()
	st.mu.Lock()
	s.Sessions = st.lru.Len()
	st.mu.Unlock()
	return s
}

// Close stops the idle sweeps and the fetches under way, waits for them,
// and drops every session. Token calls fail with [ErrClosed] afterwards.
// Close is idempotent.
func (st *SessionTokens) Close() {
	st.mu.Lock()
	stop := st.stopSweep
	st.stopSweep = nil
	st.mu.Unlock()
	if stop != nil && stop() {
		st.eng.wg.Done()
	}
	st.eng.close()
	st.mu.Lock()
	for e := st.lru.Back(); e != nil; e = st.lru.Back() {
		st.remove(e.Value.(*CachedTokenSource))
	}
	st.mu.Unlock()
}

// lookup returns the entry of session id, or nil.
func (st *SessionTokens) lookup(id string) *CachedTokenSource {
	if v, ok := st.entries.Load(id); ok {
		return v.(*CachedTokenSource)
	}
	return nil
}

// entry returns the entry of session id, adding it if there is none.
func (st *SessionTokens) entry(id string) (*CachedTokenSource, error) {
	if c := st.lookup(id); c != nil {
		return c, nil
	}
	if err := validateSessionID(id); err != nil {
		return nil, err
	}
	now := st.eng.clock.nanos()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.eng.closed.Load() {
		return nil, ErrClosed
	}
	if c := st.lookup(id); c != nil {
		return c, nil
	}
	st.dropIdle(now, idleDropsOnAdd)
	for st.lru.Len() >= st.maxSessions {
		st.remove(st.lru.Back().Value.(*CachedTokenSource))
		st.eng.stats.evictions.Add(1)
	}
	c := newEntry(st.eng, strings.Clone(id)) // not to pin the caller's buffer
	c.used.Store(now)
	c.elem = st.lru.PushFront(c)
	st.entries.Store(c.id, c)
	return c, nil
}

// touch renews c's place in the LRU list. It never waits: when the lock is
// busy it does nothing, and the session's next request tries again.
func (st *SessionTokens) touch(c *CachedTokenSource, now int64) {
	if st.mu.TryLock() {
		c.used.Store(now)
		st.lru.MoveToFront(c.elem) // nothing once c is dropped
		st.mu.Unlock()
	}
}

// remove drops c, whose holders are then served by the session's next
// entry. st.mu must be held.
func (st *SessionTokens) remove(c *CachedTokenSource) {
	st.entries.CompareAndDelete(c.id, c)
	st.lru.Remove(c.elem)
	c.mu.Lock()
	c.dead = true
	c.cur.Store(nil)
	c.mu.Unlock()
}

// dropIdle evicts up to n sessions idle at now, all at the back of the
// list, which is in order of use. st.mu must be held.
func (st *SessionTokens) dropIdle(now int64, n int) {
	for e := st.lru.Back(); n > 0 && e != nil; e, n = st.lru.Back(), n-1 {
		c := e.Value.(*CachedTokenSource)
		if now-c.used.Load() < int64(st.idleTimeout) {
			return
		}
		st.remove(c)
		st.eng.stats.evictions.Add(1)
	}
}

// scheduleSweep has sweep run on the clock a quarter of IdleTimeout (held
// within [1 s, 1 min]) from now. st.mu must be held, and st open.
func (st *SessionTokens) scheduleSweep() {
	st.eng.wg.Add(1) // Close waits for the sweep, or stops it
	st.stopSweep = orSystem(st.eng.opts.Clock).AfterFunc(clamp(st.idleTimeout/4, time.Second, time.Minute), st.sweep)
}

// sweep drops every idle session, and schedules the next sweep.
func (st *SessionTokens) sweep() {
	defer st.eng.wg.Done()
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.stopSweep != nil {
		st.dropIdle(st.eng.clock.nanos(), math.MaxInt)
		st.scheduleSweep()
	}
}
