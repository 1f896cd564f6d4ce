package clerkhasura

import "context"

// CachedTokenSource caches the tokens of another [TokenSource] and
// refreshes them before they expire. Make one with [NewCachedTokenSource].
//
// A cached token is fresh, then stale, then expired (see [CacheOptions]
// for when). A fresh token is returned at the cost of an atomic load and a
// clock read. A stale one is returned too, while exactly one background
// fetch replaces it. Without a valid token, callers wait for one shared
// fetch; a caller whose context ends returns ctx.Err() at once while the
// fetch goes on for the others. After a failed fetch the cache backs off
// (see [CacheOptions.MinBackoff]), serving the still valid token, or the
// last error when there is none. A permanent error ([ErrSessionGone],
// [ErrInvalidSecretKey], …) drops the cached token at once: Clerk has said
// its session or key is no more.
//
// All methods are safe for concurrent use.
type CachedTokenSource struct {
	s *slot
	// shared is set when the slot belongs to a [SessionTokens], which
	// alone closes it.
	shared bool
}

// NewCachedTokenSource returns a cache around src. A nil opts means the
// defaults.
//
// Caches do not stack: when src is a *CachedTokenSource, src itself is
// returned and opts is ignored; when src came from
// [SessionTokens.Source], the result shares that session's cache entry,
// and its Close does nothing (the SessionTokens owns the entry). So an
// Invalidate through any of them reaches the one cache that holds the
// token.
func NewCachedTokenSource(src TokenSource, opts *CacheOptions) *CachedTokenSource {
	switch v := src.(type) {
	case *CachedTokenSource:
		return v
	case *slot:
		return &CachedTokenSource{s: v, shared: true}
	case nil:
		err := &InputError{Field: "token source", Reason: "is nil"}
		src = errSource{err}
	}
	eng := newEngine(opts, func(ctx context.Context, _ string) (*Token, error) { return src.Token(ctx) })
	return &CachedTokenSource{s: newSlot(eng, "")}
}

// Token returns a valid token: the cached one while it is fresh or stale,
// else one from a fetch shared with concurrent callers. It fails with
// ctx.Err() when ctx ends first, with the wrapped source's error, or with
// [ErrClosed] after Close.
func (c *CachedTokenSource) Token(ctx context.Context) (*Token, error) {
	return c.s.Token(ctx)
}

// Invalidate drops the cached token if it is still rejected, compared by
// pointer and by value, so that the next Token call fetches a new one. A
// newer token, fetched since rejected was handed out, is kept. A nil
// rejected drops whatever is cached. Use it when the token's audience
// (Hasura) refused it.
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
// for it to return (a wrapped source that ignores its context's
// cancellation delays Close until it returns). Token fails with
// [ErrClosed] afterwards. Close is idempotent and always returns nil.
func (c *CachedTokenSource) Close() error {
	if !c.shared {
		c.s.eng.close()
	}
	return nil
}
