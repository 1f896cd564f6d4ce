package clerkhasura

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"
)

// testClock is a Clock that moves only when told to.
type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func newTestClock() *testClock {
	return &testClock{t: time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)}
}

func (c *testClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

func (c *testClock) Set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

// fakeJWT builds an unsigned-looking but well-formed compact JWS with iat and
// exp, padded with a claim so the whole is about size bytes (at least the
// minimal length), the shape of a Clerk RS256 template token.
func fakeJWT(iat time.Time, lifetime time.Duration, sub string, size int) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"RS256","kid":"ins_2fakeKey","typ":"JWT"}`))
	sig := strings.Repeat("s", 342) // the length of an RS256 signature
	claims := map[string]any{
		"azp": "http://localhost:3000", "iss": "https://clerk.clerkhasura.test",
		"sub": sub, "jti": sub + fmt.Sprint(iat.UnixNano()),
		"iat": iat.Unix(), "nbf": iat.Unix() - 5, "exp": iat.Add(lifetime).Unix(),
		"https://hasura.io/jwt/claims": map[string]any{
			"x-hasura-user-id": sub, "x-hasura-default-role": "user",
			"x-hasura-allowed-roles": []string{"user"},
		},
	}
	body, _ := json.Marshal(claims)
	if pad := (size-len(head)-len(sig)-2)*3/4 - len(body) - 10; pad > 0 {
		claims["pad"] = strings.Repeat("p", pad)
		body, _ = json.Marshal(claims)
	}
	return head + "." + enc.EncodeToString(body) + "." + sig
}

// synthSource mints tokens locally on clock: each lives lifetime from the
// moment it is asked for. Tests queue errors and hold fetches at a gate.
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
	now := s.clock.Now()
	return &Token{Value: fakeJWT(now, s.lifetime, fmt.Sprint("user_", n), 0), Expiry: now.Add(s.lifetime)}, nil
}

// sourceFunc is a TokenSource made of a function.
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
func (s *slot) waitIdle() {
	s.mu.Lock()
	c := s.call
	s.mu.Unlock()
	if c != nil {
		<-c.done
	}
}

// waitFor waits until cond holds: synchronisation with goroutines that
// have no other signal, never a timing assertion.
func waitFor(t testing.TB, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("gave up waiting until %s", what)
		}
		runtime.Gosched()
		time.Sleep(50 * time.Microsecond)
	}
}

func noJitter() *CacheOptions { return &CacheOptions{RefreshJitter: -1} }

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
