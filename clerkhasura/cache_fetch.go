package clerkhasura

import (
	"context"
	"errors"
	"fmt"
	"os"
	"sync"
	"sync/atomic"
	"time"
)

// engine is what the entries of one cache share: options, clock, counters
// and the lifetime of background work. [NewCachedTokenSource] makes an
// engine with one entry; a [SessionTokens] has one entry per session.
type engine struct {
	closed atomic.Bool
	clock  monoClock
	opts   CacheOptions
	fetch  func(ctx context.Context, id string) (*Token, error)
	// template names the JWT template in the errors the cache makes
	// itself; empty when the source is not known to mint one.
	template string
	owner    *SessionTokens // nil for a CachedTokenSource of its own
	hold     *instanceHold  // likewise

	// life orders starting background work (wg.Add) before close's Wait.
	life   sync.RWMutex
	wg     sync.WaitGroup
	done   context.Context
	cancel context.CancelFunc

	stats counters
	// latency estimates how long a fetch takes, in nanoseconds; see
	// [CacheOptions.RefreshWindow].
	latency atomic.Int64
}

func newEngine(opts *CacheOptions, template string, fetch func(ctx context.Context, id string) (*Token, error)) *engine {
	e := &engine{opts: opts.resolved(), template: template, fetch: fetch}
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

// The source's token cannot be cached. These errors are temporary, as a
// [*ClerkError] of kind [ErrMalformedToken] is.
var (
	errEmptyToken   = fmt.Errorf("%w: the source returned an empty token", ErrMalformedToken)
	errNoExpiryTime = fmt.Errorf("%w: the source returned a token without expiry", ErrMalformedToken)
)

// place puts tok's states on the clock. start is when its fetch began,
// which makes Expiry − start the token's lifetime.
func (e *engine) place(tok *Token, start int64) (*cached, error) {
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
	early, refresh := e.opts.windows(time.Duration(exp-start), time.Duration(e.latency.Load()))
	expireAt := exp - int64(early)
	return &cached{tok: *tok, expireAt: expireAt, staleAt: expireAt - int64(e.opts.jittered(refresh)),
		midlife: start + (expireAt-start)/2}, nil
}

// learn adds a fetch that took d to the latency estimate. It follows a
// slower fetch at once, so that the next refresh starts earlier, and a
// faster one by an eighth of the difference, so that one fast fetch
// between slow ones does not undo it.
func (e *engine) learn(d int64) {
	d = max(d, 0)
	for {
		old := e.latency.Load()
		if e.latency.CompareAndSwap(old, max(d, old+(d-old)/8)) {
			return
		}
	}
}

// fetchTimedOut is why a fetch past FetchTimeout d failed: a timeout, as
// [os.ErrDeadlineExceeded] is, but not [context.DeadlineExceeded], since
// the caller's context did not end.
func fetchTimedOut(d time.Duration) error {
	return fmt.Errorf("the token fetch timed out after %s (CacheOptions.FetchTimeout): %w", d, os.ErrDeadlineExceeded)
}

// fetchCall is one fetch under way, shared by the callers waiting for the
// entry's token.
type fetchCall struct {
	done       chan struct{}
	ent        *cached
	err        error
	background bool // a refresh of a token still served
}

// start begins a fetch, unless the engine is closed. c.mu must be held.
func (c *CachedTokenSource) start(ctx context.Context, background bool) (*fetchCall, error) {
	eng := c.eng
	eng.life.RLock()
	defer eng.life.RUnlock()
	if eng.closed.Load() {
		return nil, ErrClosed
	}
	call := &fetchCall{done: make(chan struct{}), background: background}
	c.call = call
	if background {
		eng.stats.refreshes.Add(1)
	}
	eng.wg.Go(func() { c.run(ctx, call) })
	return call, nil
}

// run performs call on a context detached from the caller that started
// it, bounded by FetchTimeout and cancelled by close. The token's lifetime
// counts from when the fetch began, so a slow fetch makes the token's
// windows err on the early side.
func (c *CachedTokenSource) run(parent context.Context, call *fetchCall) {
	eng := c.eng
	ctx, cancel := context.WithTimeout(context.WithoutCancel(parent), eng.opts.FetchTimeout)
	defer cancel()
	stop := context.AfterFunc(eng.done, cancel)
	start := eng.clock.nanos()
	tok, err := eng.fetch(ctx, c.id)
	stop()
	switch {
	case err == nil:
		eng.learn(eng.clock.nanos() - start)
		call.ent, err = eng.place(tok, start)
	case ctx.Err() == nil:
	case eng.closed.Load():
		err = ErrClosed
	case errors.Is(ctx.Err(), context.DeadlineExceeded):
		err = &ClerkError{SessionID: c.id, Template: eng.template, Kind: ErrClerkUnavailable,
			Err: fetchTimedOut(eng.opts.FetchTimeout)}
	}
	call.err = err
	c.finish(call, start)
}

// finish publishes the outcome of call, a fetch that began at start.
func (c *CachedTokenSource) finish(call *fetchCall, start int64) {
	eng, err := c.eng, call.err
	now := eng.clock.nanos()
	var held time.Duration
	c.mu.Lock()
	c.call = nil
	switch {
	case err == nil:
		if !c.dead {
			c.cur.Store(call.ent)
		}
		c.err, c.failures, c.retryAt = nil, 0, 0
		eng.hold.succeeded()
		eng.stats.mints.Add(1)
	case err != ErrClosed:
		c.failures = min(c.failures+1, 1<<20)
		c.err, c.retryAt = err, now+int64(eng.opts.backoff(c.failures, err))
		held = eng.hold.failed(start, now, err, &eng.opts)
		if errors.Is(err, ErrSessionGone) {
			// Clerk says the session is no more: stop serving its token.
			// Any other error, even a permanent one, leaves it served.
			c.cur.Store(nil)
		}
		eng.stats.failures.Add(1)
	}
	c.mu.Unlock()
	// The log is where what no caller sees shows, written before the
	// waiters return.
	if call.background && err != nil && err != ErrClosed {
		eng.opts.Logger.Warn("clerkhasura: background token refresh failed", "error", err)
	}
	if held > 0 {
		eng.opts.Logger.Warn("clerkhasura: Clerk limits or fails the instance: every session's token fetch waits",
			"wait", held, "error", err)
	}
	close(call.done)
}
