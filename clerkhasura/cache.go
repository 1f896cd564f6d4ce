package clerkhasura

import (
	"container/list"
	"context"
	"math"
	"sync"
	"sync/atomic"
)

// CachedTokenSource caches the tokens of another [TokenSource] and
// refreshes them before they expire. Make one with [NewCachedTokenSource].
//
// A fresh token costs an atomic load and a clock read; a stale one is
// served while one background fetch replaces it; without a valid token,
// callers wait for one shared fetch, and a caller whose context ends
// returns at once while the fetch goes on. After a failed fetch the cache
// backs off ([CacheOptions.MinBackoff]), serving the valid token until it
// expires; only [ErrSessionGone] drops it at once.
//
// Every caller gets the same *Token until it is replaced: treat it as
// read-only. All methods are safe for concurrent use.
type CachedTokenSource struct {
	// cur is the cached token. The hit path reads it, used and the engine
	// without a lock; every change is made under mu.
	cur  atomic.Pointer[cached]
	used atomic.Int64 // when a SessionTokens last moved it up its LRU list
	eng  *engine
	id   string // the session of a SessionTokens entry

	mu       sync.Mutex
	call     *fetchCall // the fetch under way, if any
	err      error      // the last fetch's error, returned until retryAt while no token is valid
	retryAt  int64
	failures int32
	nextDrop int64 // before it, Invalidate drops no token younger than its midlife
	// dead marks an entry its SessionTokens dropped: its callers are
	// served by the session's current entry.
	dead bool
	elem *list.Element // in the SessionTokens' LRU list, under its mu
}

// cached is one token with its state boundaries, in nanoseconds on the
// engine's clock: fresh before staleAt, stale before expireAt, expired
// after. It is immutable once published.
type cached struct {
	tok                        Token
	staleAt, expireAt, midlife int64
}

func newEntry(eng *engine, id string) *CachedTokenSource {
	return &CachedTokenSource{eng: eng, id: id, nextDrop: math.MinInt64}
}

// NewCachedTokenSource returns a cache around src. A nil opts means the
// defaults. A nil src gives an [*InputError].
//
// Caches do not stack: a *CachedTokenSource src, such as a source from
// [SessionTokens.Source], is returned as it is, and opts is ignored. When
// src comes from [NewSessionTokenSource], the cache and the source read
// one clock, the one either of them was given (set both to the same, or
// neither). A cache around any other source expects its Token.Expiry on
// [CacheOptions.Clock].
func NewCachedTokenSource(src TokenSource, opts *CacheOptions) (*CachedTokenSource, error) {
	var id, template string
	o := opts.resolved()
	switch v := src.(type) {
	case *CachedTokenSource:
		return v, nil
	case *sessionSource:
		// The cache and the source read one clock, the one set on either;
		// when both are set, each keeps its own.
		if o.Clock == nil {
			o.Clock = v.clock
		} else if v.clock == nil {
			cp := *v
			cp.clock = o.Clock
			v = &cp
		}
		src, id, template = v, v.sessionID, v.template
	case nil:
		return nil, &InputError{Field: "token source", Reason: "is nil"}
	}
	fetch := func(ctx context.Context, _ string) (*Token, error) { return src.Token(ctx) }
	// id only names the session in the errors the cache makes.
	return newEntry(newEngine(&o, template, fetch), id), nil
}

// Token returns a valid token: the cached one while it is fresh or stale,
// else one from a fetch shared with concurrent callers. It fails with
// ctx.Err(), the wrapped source's error, [ErrClerkUnavailable] for a fetch
// past [CacheOptions.FetchTimeout], or [ErrClosed] after Close.
func (c *CachedTokenSource) Token(ctx context.Context) (*Token, error) {
	if c.eng.closed.Load() {
		return nil, ErrClosed
	}
	now := c.eng.clock.nanos()
	if e := c.cur.Load(); e != nil && now < e.staleAt {
		c.touch(now)
		return &e.tok, nil
	}
	return c.slow(ctx, now, true)
}

// touch tells the SessionTokens, at most once per touchEvery, that c is
// in use.
func (c *CachedTokenSource) touch(now int64) {
	if st := c.eng.owner; st != nil && now-c.used.Load() >= touchEvery {
		st.touch(c, now)
	}
}

// slow serves a call the lock-free hit path could not. A dead entry asks
// its SessionTokens for the session's current entry if follow is set,
// else serves the call itself, without keeping the token.
func (c *CachedTokenSource) slow(ctx context.Context, now int64, follow bool) (*Token, error) {
	eng := c.eng
	c.touch(now)
	c.mu.Lock()
	if c.dead && follow {
		c.mu.Unlock()
		cur, err := eng.owner.entry(c.id)
		if err != nil {
			return nil, err
		}
		return cur.slow(ctx, eng.clock.nanos(), false)
	}
	if e := c.cur.Load(); e != nil && now < e.expireAt {
		fresh := now < e.staleAt
		if !fresh && c.call == nil && now >= c.retryAt && eng.hold.check(now, c.id) == nil {
			_, _ = c.start(ctx, true) // fails only once closed
		}
		c.mu.Unlock()
		if !fresh {
			eng.stats.staleServes.Add(1)
		}
		return &e.tok, nil
	}
	eng.stats.waits.Add(1)
	call, err := c.call, error(nil)
	switch {
	case call != nil:
	case c.err != nil && now < c.retryAt:
		err = c.err
	case ctx.Err() != nil:
		err = ctx.Err()
	default:
		if err = eng.hold.check(now, c.id); err != nil {
			eng.stats.heldBack.Add(1)
		} else {
			call, err = c.start(ctx, false)
		}
	}
	c.mu.Unlock()
	if err != nil {
		return nil, err
	}
	select {
	case <-call.done:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	if call.err != nil {
		return nil, call.err
	}
	return &call.ent.tok, nil
}

// Invalidate drops the cached token if it is still rejected (the same
// pointer or value; nil drops any), so that the next Token call fetches a
// new one; a newer token is kept. It drops at most one token per
// [CacheOptions.InvalidateInterval] before the token's midlife: within it
// the next Token call returns the same token, and a caller comparing it
// with the refused one, as [Transport] does, reports the refusal.
func (c *CachedTokenSource) Invalidate(rejected *Token) {
	// A dead entry's callers got their tokens from the session's current
	// entry, if there is one.
	if c.invalidate(rejected) {
		if cur := c.eng.owner.lookup(c.id); cur != nil && cur != c {
			cur.invalidate(rejected)
		}
	}
}

// invalidate is Invalidate on c alone; it reports whether c is dead.
func (c *CachedTokenSource) invalidate(rejected *Token) (dead bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	e := c.cur.Load()
	if c.dead || e == nil || rejected != nil && rejected != &e.tok && rejected.Value != e.tok.Value {
		return c.dead
	}
	now, eng := c.eng.clock.nanos(), c.eng
	if interval := eng.opts.InvalidateInterval; interval > 0 {
		if now < e.midlife && now < c.nextDrop {
			eng.stats.refusedInvalidations.Add(1)
			return false
		}
		c.nextDrop = now + int64(interval)
	}
	c.cur.Store(nil)
	eng.stats.invalidations.Add(1)
	return false
}

// Stats returns the cache's counters; for a source from
// [SessionTokens.Source], the SessionTokens' counters.
func (c *CachedTokenSource) Stats() Stats {
	if c.eng.owner != nil {
		return c.eng.owner.Stats()
	}
	s := c.eng.stats.snapshot()
	s.Sessions = 1
	return s
}

// Close stops background refreshes, cancels the fetch under way and waits
// for it to return. Token fails with [ErrClosed] afterwards. Close is
// idempotent; on a source from [SessionTokens.Source] it does nothing.
func (c *CachedTokenSource) Close() {
	if c.eng.owner == nil {
		c.eng.close()
	}
}
