package clerkhasura

import "context"

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
	s *slot
	// shared is set when the slot belongs to a [SessionTokens], which
	// alone closes it.
	shared bool
}

// NewCachedTokenSource returns a cache around src. A nil opts means the
// defaults. A nil src gives an [*InputError].
//
// Caches do not stack: a *CachedTokenSource src is returned as it is, and
// a src from [SessionTokens.Source] gives a view of that session's entry,
// whose Close does nothing; opts is then ignored. When src comes from
// [NewSessionTokenSource], the cache and the source read one clock, the
// one either of them was given (set both to the same, or neither). A cache
// around any other source expects its Token.Expiry on
// [CacheOptions.Clock].
func NewCachedTokenSource(src TokenSource, opts *CacheOptions) (*CachedTokenSource, error) {
	var id, template string
	switch v := src.(type) {
	case *CachedTokenSource:
		return v, nil
	case *slot:
		return &CachedTokenSource{s: v, shared: true}, nil
	case *sessionSource:
		v, opts = v.shareClock(opts)
		src, id, template = v, v.sessionID, v.template
	case nil:
		return nil, &InputError{Field: "token source", Reason: "is nil"}
	}
	eng := newEngine(opts, func(ctx context.Context, _ string) (*Token, error) { return src.Token(ctx) })
	eng.template = template
	// The slot's id only names the session in the errors the cache makes.
	return &CachedTokenSource{s: newSlot(eng, id)}, nil
}

// Token returns a valid token: the cached one while it is fresh or stale,
// else one from a fetch shared with concurrent callers. It fails with
// ctx.Err(), the wrapped source's error, [ErrClerkUnavailable] for a fetch
// past [CacheOptions.FetchTimeout], or [ErrClosed] after Close.
func (c *CachedTokenSource) Token(ctx context.Context) (*Token, error) {
	return c.s.Token(ctx)
}

// Invalidate drops the cached token if it is still rejected (the same
// pointer or value; nil drops any), so that the next Token call fetches a
// new one; a newer token is kept. It drops at most one token per
// [CacheOptions.InvalidateInterval] before the token's midlife: within it
// the next Token call returns the same token, and a caller comparing it
// with the refused one, as [Transport] does, reports the refusal.
func (c *CachedTokenSource) Invalidate(rejected *Token) {
	c.s.Invalidate(rejected)
}

// Stats returns the cache's counters. For a cache sharing a
// [SessionTokens] entry, they are the SessionTokens' counters.
func (c *CachedTokenSource) Stats() Stats {
	if c.shared {
		return c.s.eng.owner.Stats()
	}
	s := c.s.eng.stats.snapshot()
	s.Sessions = 1
	return s
}

// Close stops background refreshes, cancels the fetch under way and waits
// for it to return. Token fails with
// [ErrClosed] afterwards. Close is idempotent.
func (c *CachedTokenSource) Close() {
	if !c.shared {
		c.s.eng.close()
	}
}
