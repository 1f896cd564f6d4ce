package clerkhasura

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"time"
)

// engine is what the slots of one cache share: options, clock, counters,
// and the lifetime of background work. A [CachedTokenSource] has one slot;
// a [SessionTokens] has one per session.
type engine struct {
	closed atomic.Bool
	clock  monoClock
	opts   CacheOptions
	fetch  func(ctx context.Context, id string) (*Token, error)
	// template names the JWT template in the errors the cache makes
	// itself; empty when the wrapped source is not known to mint one.
	template string
	// owner is the SessionTokens the slots belong to; nil for a
	// CachedTokenSource.
	owner *SessionTokens
	// hold is the back-off the slots share; nil for a CachedTokenSource,
	// whose one slot backs off on its own.
	hold *instanceHold

	// life orders starting a fetch (wg.Add) before Close's wg.Wait.
	life   sync.RWMutex
	wg     sync.WaitGroup
	done   context.Context
	cancel context.CancelFunc

	stats counters
}

func newEngine(opts *CacheOptions, fetch func(ctx context.Context, id string) (*Token, error)) *engine {
	e := &engine{opts: opts.resolved(), fetch: fetch}
	e.clock = newMonoClock(e.opts.Clock)
	e.done, e.cancel = context.WithCancel(context.Background())
	return e
}

// close stops new fetches, cancels those under way and waits for them.
func (e *engine) close() {
	e.life.Lock()
	e.closed.Store(true)
	e.life.Unlock()
	e.cancel()
	e.wg.Wait()
}

// entry is one cached token with its state boundaries, in nanoseconds since
// the clock's epoch: fresh before staleAt, stale before expireAt, expired
// after; before midlife, Invalidate drops it only once per
// InvalidateInterval. It is immutable once published.
type entry struct {
	tok      Token
	staleAt  int64
	expireAt int64
	midlife  int64
}

// The source's token cannot be cached. These errors are temporary, as a
// [*ClerkError] of kind [ErrMalformedToken] is.
var (
	errEmptyToken   = fmt.Errorf("%w: the source returned an empty token", ErrMalformedToken)
	errNoExpiryTime = fmt.Errorf("%w: the source returned a token without expiry", ErrMalformedToken)
)

// fetchTimeoutError is why a fetch that ran past FetchTimeout failed. It
// does not wrap [context.DeadlineExceeded]: the caller's context did not
// end, and must not look as if it had.
type fetchTimeoutError time.Duration

func (d fetchTimeoutError) Error() string {
	return "the token fetch timed out after " + time.Duration(d).String() + " (CacheOptions.FetchTimeout)"
}

// Timeout reports true, as a network timeout does.
func (fetchTimeoutError) Timeout() bool { return true }

// newEntry places tok's states on the clock. start is when its fetch
// began, which makes Expiry − start the token's lifetime.
func (e *engine) newEntry(tok *Token, start int64) (*entry, error) {
	if tok == nil || tok.Value == "" {
		return nil, errEmptyToken
	}
	if tok.Expiry.IsZero() {
		return nil, errNoExpiryTime
	}
	exp := e.clock.at(tok.Expiry)
	if exp <= start {
		return nil, fmt.Errorf("%w: the source returned a token that expired %s before it was asked for",
			ErrMalformedToken, time.Duration(start-exp))
	}
	lifetime := time.Duration(exp - start)
	early, refresh := e.opts.windows(lifetime)
	expireAt := exp - int64(early)
	return &entry{
		tok:      *tok,
		expireAt: expireAt,
		staleAt:  expireAt - int64(e.opts.jittered(refresh)),
		midlife:  start + (expireAt-start)/2,
	}, nil
}

// fetchCall is one fetch under way; every caller waiting for the slot's
// token shares it.
type fetchCall struct {
	done chan struct{}
	ent  *entry
	err  error
}

// run performs c for slot s on a context detached from the caller that
// started it, bounded by FetchTimeout and cancelled by Close. The token's
// lifetime is measured from the moment the fetch began, so a slow fetch
// makes the token's windows err on the early side.
func (e *engine) run(parent context.Context, s *slot, c *fetchCall) {
	defer e.wg.Done()
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), e.opts.FetchTimeout)
	stop := context.AfterFunc(e.done, cancel)
	start := e.clock.nanos()
	tok, err := e.fetch(ctx, s.id)
	stop()
	if err != nil && ctx.Err() != nil {
		switch {
		case e.closed.Load():
			err = ErrClosed
		case errors.Is(ctx.Err(), context.DeadlineExceeded):
			err = &ClerkError{SessionID: s.id, Template: e.template, Kind: ErrClerkUnavailable,
				Err: fetchTimeoutError(e.opts.FetchTimeout)}
		}
	}
	cancel()
	var ent *entry
	if err == nil {
		ent, err = e.newEntry(tok, start)
	}
	s.finish(c, start, ent, err)
}

// heldBack returns the error a fetch for session id fails with at now
// while the instance-wide back-off lasts, else nil.
func (e *engine) heldBack(now int64, id string) error {
	if e.hold == nil {
		return nil
	}
	return e.hold.check(now, id)
}
