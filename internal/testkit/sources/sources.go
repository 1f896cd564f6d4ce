// Package sources holds the token sources that the tests of the module
// share: a static source, a counting one, a function adapter, and the
// token layer's constructors failing the test on error.
//
// It imports the token layer, so the token layer's internal tests (package
// clerkhasura itself) cannot use it: Go refuses the import cycle. Those
// tests keep their own two, in cache_helpers_test.go.
package sources

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// Forged is a well-formed JWT that no verifier accepts.
const Forged = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJmb3JnZWQifQ.Zm9yZ2Vk"

// Static is a TokenSource that always returns Tok, and cannot invalidate
// it.
type Static struct{ Tok *clerkhasura.Token }

// Token returns s.Tok.
func (s Static) Token(context.Context) (*clerkhasura.Token, error) { return s.Tok, nil }

// Value is a Static source of the token value, valid for an hour.
func Value(value string) Static {
	return Static{Tok: &clerkhasura.Token{Value: value, Expiry: time.Now().Add(time.Hour)}}
}

// FromClaims is a Static source of an unsigned token with claims, valid
// for an hour.
func FromClaims(t testing.TB, claims map[string]any) Static {
	return Value(testkit.UnsignedJWT(t, claims))
}

// Func is a TokenSource made of a function.
type Func func(ctx context.Context) (*clerkhasura.Token, error)

// Token calls f.
func (f Func) Token(ctx context.Context) (*clerkhasura.Token, error) { return f(ctx) }

// Counting is a TokenSource that counts the calls to Token and keeps the
// tokens it handed out and those Invalidate was given. Without Src it
// mints "tok-1", "tok-2", … valid for an hour and hands out the current
// one until Invalidate drops it, as a cache does; with Src it asks Src on
// every call and passes Invalidate on when Src has it. Its zero value is
// ready to use, and it is safe for concurrent use.
type Counting struct {
	// Src, when set, supplies the tokens.
	Src clerkhasura.TokenSource
	// Err, when set, is what Token returns from call number ErrAfter+1 on.
	Err      error
	ErrAfter int
	// KeepRejected makes Invalidate record the token but keep handing it
	// out, as a cache that will not mint again so soon.
	KeepRejected bool

	mu          sync.Mutex
	calls       int
	minted      int
	forge       int
	cur         *clerkhasura.Token
	handedOut   []*clerkhasura.Token
	invalidated []*clerkhasura.Token
}

// Token returns the next token, or Err.
func (s *Counting) Token(ctx context.Context) (*clerkhasura.Token, error) {
	s.mu.Lock()
	s.calls++
	var tok *clerkhasura.Token
	switch {
	case s.Err != nil && s.calls > s.ErrAfter:
		s.mu.Unlock()
		return nil, s.Err
	case s.forge > 0:
		s.forge--
		tok = &clerkhasura.Token{Value: Forged, Expiry: time.Now().Add(time.Minute)}
	case s.Src == nil:
		if s.cur == nil {
			s.minted++
			s.cur = &clerkhasura.Token{Value: fmt.Sprintf("tok-%d", s.minted), Expiry: time.Now().Add(time.Hour)}
		}
		tok = s.cur
	}
	s.mu.Unlock()
	if tok == nil {
		var err error
		if tok, err = s.Src.Token(ctx); err != nil {
			return nil, err
		}
	}
	s.mu.Lock()
	s.handedOut = append(s.handedOut, tok)
	s.mu.Unlock()
	return tok, nil
}

// Invalidate records rejected, and drops or passes it on.
func (s *Counting) Invalidate(rejected *clerkhasura.Token) {
	s.mu.Lock()
	s.invalidated = append(s.invalidated, rejected)
	if s.cur == rejected && !s.KeepRejected {
		s.cur = nil
	}
	s.mu.Unlock()
	if inv, ok := s.Src.(clerkhasura.Invalidator); ok {
		inv.Invalidate(rejected)
	}
}

// ForgeNext makes the next n calls hand out [Forged].
func (s *Counting) ForgeNext(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.forge = n
}

// Calls is how many times Token was called.
func (s *Counting) Calls() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls
}

// Minted is how many tokens the source minted itself.
func (s *Counting) Minted() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.minted
}

// HandedOut returns the values of the tokens Token returned, in order.
func (s *Counting) HandedOut() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return values(s.handedOut)
}

// Invalidated returns the values of the tokens Invalidate was given, in
// order.
func (s *Counting) Invalidated() []string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return values(s.invalidated)
}

func values(toks []*clerkhasura.Token) []string {
	out := make([]string, len(toks))
	for i, t := range toks {
		out[i] = t.Value
	}
	return out
}

// Cached is clerkhasura.NewCachedTokenSource, failing t on error.
func Cached(t testing.TB, src clerkhasura.TokenSource, opts *clerkhasura.CacheOptions) *clerkhasura.CachedTokenSource {
	t.Helper()
	c, err := clerkhasura.NewCachedTokenSource(src, opts)
	if err != nil {
		t.Fatalf("NewCachedTokenSource: %v", err)
	}
	return c
}

// Session is clerkhasura.NewSessionTokenSource, failing t on error.
func Session(t testing.TB, sessions *session.Client, sessionID, template string, opts *clerkhasura.SessionSourceOptions) clerkhasura.TokenSource {
	t.Helper()
	src, err := clerkhasura.NewSessionTokenSource(sessions, sessionID, template, opts)
	if err != nil {
		t.Fatalf("NewSessionTokenSource: %v", err)
	}
	return src
}

// SessionTokens is clerkhasura.NewSessionTokens, failing t on error; the
// cache is closed when t ends.
func SessionTokens(t testing.TB, sessions *session.Client, template string, opts *clerkhasura.SessionTokensOptions) *clerkhasura.SessionTokens {
	t.Helper()
	st, err := clerkhasura.NewSessionTokens(sessions, template, opts)
	if err != nil {
		t.Fatalf("NewSessionTokens: %v", err)
	}
	t.Cleanup(st.Close)
	return st
}
