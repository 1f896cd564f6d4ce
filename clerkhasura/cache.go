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
// (see [CacheOptions.MinBackoff]), serving the still valid token until it
// expires, and then the last error until the back-off is over. Only
// [ErrSessionGone] drops the cached token at once: Clerk has said the
// session is no more. Other permanent errors ([ErrTemplateNotFound],
// [ErrInvalidSecretKey], [ErrClerkRejected]) back off for MaxBackoff, so
// they are not retried in a tight loop, but leave a valid token served.
//
// Every caller gets the same *Token until it is replaced: treat it as
// read-only. [CachedTokenSource.Invalidate] recognises the token by its
// pointer (or its value), so a changed copy may not be dropped.
//
// All methods are safe for concurrent use.
type CachedTokenSource struct {
	s *slot
	// shared is set when the slot belongs to a [SessionTokens], which
	// alone closes it.
	shared bool
}

// NewCachedTokenSource returns a cache around src. A nil opts means the
// defaults; of them, MaxSessions, IdleTimeout and Lifetime concern only
// [SessionTokens] and are ignored here.
//
// Caches do not stack: when src is a *CachedTokenSource, src itself is
// returned and opts is ignored; when src came from
// [SessionTokens.Source], the result shares that session's cache entry,
// and its Close does nothing (the SessionTokens owns the entry). So an
// Invalidate through any of them reaches the one cache that holds the
// token.
//
// When src comes from [NewSessionTokenSource] or
// [NewSessionTokenSourceWithOptions], the cache and the source read one
// clock: the one set in opts or in [SessionSourceOptions], whichever is
// set (src itself is left as it is; the cache uses a copy). Set both to
// the same clock, or leave both unset. A cache around any other source
// expects its Token.Expiry on [CacheOptions.Clock].
func NewCachedTokenSource(src TokenSource, opts *CacheOptions) *CachedTokenSource {
	var id, template string
	switch v := src.(type) {
	case *CachedTokenSource:
		return v
	case *slot:
		return &CachedTokenSource{s: v, shared: true}
	case *sessionSource:
		v, opts = v.shareClock(opts)
		src, id, template = v, v.sessionID, v.template
	case nil:
		err := &InputError{Field: "token source", Reason: "is nil"}
		src = errSource{err}
	}
	eng := newEngine(opts, func(ctx context.Context, _ string) (*Token, error) { return src.Token(ctx) })
	eng.template = template
	// The slot's id only names the session in the errors the cache makes.
	return &CachedTokenSource{s: newSlot(eng, id)}
}

// Token returns a valid token: the cached one while it is fresh or stale,
// else one from a fetch shared with concurrent callers. The *Token is
// shared with every other caller: do not modify it. Token fails with
// ctx.Err() when ctx ends first; with the wrapped source's error; with a
// [*ClerkError] of kind [ErrClerkUnavailable] when the fetch ran past
// [CacheOptions.FetchTimeout]; or with [ErrClosed] after Close.
func (c *CachedTokenSource) Token(ctx context.Context) (*Token, error) {
	return c.s.Token(ctx)
}

// Invalidate drops the cached token if it is still rejected, compared by
// pointer and by value, so that the next Token call fetches a new one. A
// newer token, fetched since rejected was handed out, is kept. A nil
// rejected drops whatever is cached. Use it when the token's audience
// (Hasura) refused it.
//
// It drops at most one token per [CacheOptions.InvalidateInterval]
// (default 10 s) before the token's midlife, so that an audience refusing
// every token cannot turn each request into a Clerk mint. Within the
// interval the token is kept, and the next Token call returns it again
// at once: a caller that compares it with the refused one (as [Transport]
// does) reports the refusal instead of retrying.
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
