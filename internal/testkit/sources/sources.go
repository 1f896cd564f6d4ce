// Package sources holds the token sources that the tests of several
// packages of the module share. It imports the token layer, so the token
// layer's internal tests cannot use it; its external tests can.
package sources

import (
	"context"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// Static is a TokenSource that always returns Tok, and cannot invalidate
// it.
type Static struct{ Tok *clerkhasura.Token }

// Token returns s.Tok.
func (s Static) Token(context.Context) (*clerkhasura.Token, error) { return s.Tok, nil }

// FromClaims is a Static source of an unsigned token with claims, valid
// for an hour.
func FromClaims(t testing.TB, claims map[string]any) Static {
	return Static{Tok: &clerkhasura.Token{Value: testkit.UnsignedJWT(t, claims), Expiry: time.Now().Add(time.Hour)}}
}

// Failing is a TokenSource that always fails with Err.
type Failing struct{ Err error }

// Token returns s.Err.
func (s Failing) Token(context.Context) (*clerkhasura.Token, error) { return nil, s.Err }

// Func is a TokenSource made of a function.
type Func func(ctx context.Context) (*clerkhasura.Token, error)

// Token calls f.
func (f Func) Token(ctx context.Context) (*clerkhasura.Token, error) { return f(ctx) }

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
