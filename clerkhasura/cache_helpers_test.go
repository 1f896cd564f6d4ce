package clerkhasura

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// synthSource mints tokens locally on clock (nil: the system clock): each
// lives lifetime from the moment it is asked for. Tests queue errors and hold fetches at a gate.
type synthSource struct {
	clock    Clock
	lifetime time.Duration

	mu      sync.Mutex
	calls   int
	errs    []error
	gate    chan struct{} // when set, each fetch waits for a value or close
	started chan int      // when set, gets the call number as a fetch begins
}

func newSynth(clock Clock, lifetime time.Duration) *synthSource {
	return &synthSource{clock: clock, lifetime: lifetime}
}

func (s *synthSource) Token(ctx context.Context) (*Token, error) {
	s.mu.Lock()
	s.calls++
	n, gate, started := s.calls, s.gate, s.started
	var err error
	if len(s.errs) > 0 {
		err, s.errs = s.errs[0], s.errs[1:]
	}
	s.mu.Unlock()
	if started != nil {
		started <- n
	}
	if gate != nil {
		select {
		case <-gate:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	if err != nil {
		return nil, err
	}
	t := orSystem(s.clock).Now()
	return &Token{Value: testkit.FakeJWT(t, s.lifetime, fmt.Sprint("user_", n), 0), Expiry: t.Add(s.lifetime)}, nil
}

// sourceFunc is a TokenSource made of a function. It and synthSource stand
// in here for internal/testkit/sources, which imports this package and so
// cannot serve its internal tests.
type sourceFunc func(ctx context.Context) (*Token, error)

func (f sourceFunc) Token(ctx context.Context) (*Token, error) { return f(ctx) }

func (s *synthSource) fail(errs ...error) {
	s.mu.Lock()
	s.errs = append(s.errs, errs...)
	s.mu.Unlock()
}

func (s *synthSource) hold() chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.gate = make(chan struct{})
	return s.gate
}

func (s *synthSource) count() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// waitIdle waits for the fetch under way, if any.
func (c *CachedTokenSource) waitIdle() {
	c.mu.Lock()
	call := c.call
	c.mu.Unlock()
	if call != nil {
		<-call.done
	}
}

// noJitter pins a 60 s token's windows to fixed values (stale from 43 s,
// expired from 55 s), whatever the fetches' latency.
func noJitter() *CacheOptions {
	return &CacheOptions{RefreshJitter: -1, EarlyExpiry: 5 * time.Second, RefreshWindow: 12 * time.Second}
}

func withClock(o *CacheOptions, c Clock) *CacheOptions {
	o.Clock = c
	return o
}

// unavailable is a temporary Clerk failure.
func unavailable(retryAfter time.Duration) error {
	return &ClerkError{SessionID: "sess_1", Template: "hasura", StatusCode: 503, Kind: ErrClerkUnavailable, RetryAfter: retryAfter}
}

// gone is a permanent Clerk failure.
func gone() error {
	return &ClerkError{SessionID: "sess_1", Template: "hasura", StatusCode: 404, Kind: ErrSessionGone}
}

// newCache is NewCachedTokenSource, failing t on error.
func newCache(t testing.TB, src TokenSource, opts *CacheOptions) *CachedTokenSource {
	t.Helper()
	c, err := NewCachedTokenSource(src, opts)
	require.NoError(t, err)
	return c
}
