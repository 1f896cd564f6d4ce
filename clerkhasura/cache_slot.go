package clerkhasura

import (
	"context"
	"errors"
	"math"
	"sync"
	"sync/atomic"
)

// maxRedirects bounds how often a call on a slot a [SessionTokens]
// dropped follows the session to its current slot. Only a cache far too
// small for its load evicts a session again between two hops; the call
// is then served by the dropped slot itself, uncached.
const maxRedirects = 4

// slot is the cache state machine for one token. The hit path reads only
// staleAt and cur, with no lock; every transition happens under mu.
type slot struct {
	// staleAt is cur's staleAt, kept here so that a hit reads one cache
	// line; math.MinInt64 when there is no token. It is stored after cur
	// when a token is published and before cur when one is dropped, so a
	// reader that finds now < staleAt finds a token at least that fresh.
	staleAt atomic.Int64
	cur     atomic.Pointer[entry]
	// used is when the token was last asked for (SessionTokens only).
	used atomic.Int64
	eng  *engine
	// id is the session ID a SessionTokens slot mints for.
	id string

	mu sync.Mutex
	// call is the fetch under way, if any: at most one per slot.
	call *fetchCall
	// err is the last fetch's error, returned without a new fetch until
	// retryAt while there is no valid token.
	err      error
	retryAt  int64
	failures int32
	// nextDrop is the earliest time Invalidate may drop a token before
	// its midlife.
	nextDrop int64
	// dead marks a slot a SessionTokens dropped; its users are sent to
	// the session's current slot.
	dead bool

	// Guarded by SessionTokens.mu: the LRU list. listed follows dead, so
	// that the two share a word and a slot takes 120 bytes.
	listed     bool
	prev, next *slot
}

func newSlot(eng *engine, id string) *slot {
	s := &slot{eng: eng, id: id, nextDrop: math.MinInt64}
	s.staleAt.Store(math.MinInt64)
	return s
}

// publish makes ent the cached token. s.mu must be held.
func (s *slot) publish(ent *entry) {
	s.cur.Store(ent)
	s.staleAt.Store(ent.staleAt)
}

// drop forgets the cached token, and with dead the slot itself. s.mu must
// be held, unless dead (then drop takes it).
func (s *slot) drop(dead bool) {
	if dead {
		s.mu.Lock()
		defer s.mu.Unlock()
		s.dead = true
	}
	s.staleAt.Store(math.MinInt64)
	s.cur.Store(nil)
}

// Token returns the cached token, refreshing it as its state requires.
func (s *slot) Token(ctx context.Context) (*Token, error) {
	eng := s.eng
	if eng.closed.Load() {
		return nil, ErrClosed
	}
	now := eng.clock.nanos()
	if now < s.staleAt.Load() {
		if e := s.cur.Load(); e != nil {
			eng.stats.hits.add()
			if eng.owner != nil && now-s.used.Load() >= touchEvery {
				eng.owner.touch(s, now)
			}
			return &e.tok, nil
		}
	}
	return s.slow(ctx, now)
}

// slow serves a call the lock-free hit path could not, following the
// session to its current slot while s is dead.
func (s *slot) slow(ctx context.Context, now int64) (*Token, error) {
	for hops := 0; ; hops++ {
		tok, next, err := s.serve(ctx, now, hops < maxRedirects)
		if next == nil {
			return tok, err
		}
		s, now = next, next.eng.clock.nanos()
	}
}

// serve returns the token under s.mu, or, when s is dead and redirect
// allows it, the session's current slot to ask instead.
func (s *slot) serve(ctx context.Context, now int64, redirect bool) (*Token, *slot, error) {
	eng := s.eng
	if eng.owner != nil && now-s.used.Load() >= touchEvery {
		eng.owner.touch(s, now)
	}
	s.mu.Lock()
	if s.dead && redirect {
		s.mu.Unlock()
		src := eng.owner.Source(s.id)
		if next, ok := src.(*slot); ok {
			return nil, next, nil
		}
		tok, err := src.Token(ctx) // the SessionTokens is closed
		return tok, nil, err
	}
	if e := s.cur.Load(); e != nil && now < e.expireAt {
		fresh := now < e.staleAt
		if !fresh && s.call == nil && now >= s.retryAt && eng.heldBack(now, s.id) == nil {
			// A failure here leaves the token served; Close is the only one.
			_, _ = s.start(ctx, true)
		}
		s.mu.Unlock()
		if fresh {
			eng.stats.hits.add()
		} else {
			eng.stats.staleServes.add()
		}
		return &e.tok, nil, nil
	}
	eng.stats.waits.Add(1)
	c := s.call
	if c == nil {
		if s.err != nil && now < s.retryAt {
			err := s.err
			s.mu.Unlock()
			return nil, nil, err
		}
		if err := ctx.Err(); err != nil {
			s.mu.Unlock()
			return nil, nil, err
		}
		if err := eng.heldBack(now, s.id); err != nil {
			s.mu.Unlock()
			eng.stats.heldBack.Add(1)
			return nil, nil, err
		}
		var err error
		if c, err = s.start(ctx, false); err != nil {
			s.mu.Unlock()
			return nil, nil, err
		}
	}
	s.mu.Unlock()
	select {
	case <-c.done:
	case <-ctx.Done():
		return nil, nil, ctx.Err()
	}
	if c.err != nil {
		return nil, nil, c.err
	}
	return &c.ent.tok, nil, nil
}

// start begins a fetch. s.mu must be held.
func (s *slot) start(ctx context.Context, background bool) (*fetchCall, error) {
	eng := s.eng
	eng.life.RLock()
	defer eng.life.RUnlock()
	if eng.closed.Load() {
		return nil, ErrClosed
	}
	eng.wg.Add(1)
	c := &fetchCall{done: make(chan struct{})}
	s.call = c
	if background {
		eng.stats.refreshes.Add(1)
	}
	go eng.run(ctx, s, c)
	return c, nil
}

// finish publishes the outcome of c, a fetch that began at start.
func (s *slot) finish(c *fetchCall, start int64, ent *entry, err error) {
	eng := s.eng
	now := eng.clock.nanos()
	s.mu.Lock()
	s.call = nil
	switch {
	case err == nil:
		if !s.dead {
			s.publish(ent)
		}
		s.err, s.failures, s.retryAt = nil, 0, 0
		if eng.hold != nil {
			eng.hold.succeeded()
		}
		eng.stats.mints.Add(1)
	case err == ErrClosed:
	default:
		if s.failures < 1<<20 {
			s.failures++
		}
		s.err = err
		s.retryAt = now + int64(eng.opts.backoff(s.failures, err))
		if eng.hold != nil {
			eng.hold.failed(start, now, err, &eng.opts)
		}
		if errors.Is(err, ErrSessionGone) {
			// Clerk says the session is no more: stop serving its token
			// rather than wait for its expiry. Any other error, even a
			// permanent one, leaves a valid token served.
			s.drop(false)
		}
		eng.stats.failures.Add(1)
	}
	c.ent, c.err = ent, err
	s.mu.Unlock()
	close(c.done)
}

// Invalidate drops the cached token if it is still rejected (the same
// pointer, or the same value); a nil rejected drops whatever is cached.
// A newer token is kept, and so is a token before its midlife within
// InvalidateInterval of the slot's last drop. On a dead slot it reaches
// the session's current slot, which is where the token a dead slot's
// caller got came from.
func (s *slot) Invalidate(rejected *Token) {
	for range maxRedirects + 1 {
		if !s.invalidate(rejected) {
			return
		}
		owner := s.eng.owner
		next := owner.index.lookup(s.id)
		if next == nil || next == s {
			return
		}
		s = next
	}
}

// invalidate is Invalidate on s alone; it reports whether s is dead.
func (s *slot) invalidate(rejected *Token) (dead bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.dead {
		return true
	}
	e := s.cur.Load()
	if e == nil || rejected != nil && rejected != &e.tok && rejected.Value != e.tok.Value {
		return false
	}
	now := s.eng.clock.nanos()
	if interval := s.eng.opts.InvalidateInterval; interval > 0 {
		if now < e.midlife && now < s.nextDrop {
			s.eng.stats.refusedInvalidations.Add(1)
			return false
		}
		s.nextDrop = now + int64(interval)
	}
	s.drop(false)
	s.eng.stats.invalidations.Add(1)
	return false
}
