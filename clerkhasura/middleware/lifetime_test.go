package middleware_test

import (
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// TestLongLivedSidTemplateIsNoSession: another JWT template of the
// instance that carries a sid and lives a year is not taken for a session
// token, neither at once nor after EndSession's mark has lapsed, so the
// Signer never signs for it.
func TestLongLivedSidTemplateIsNoSession(t *testing.T) {
	w := newWorld(t, worldConfig{signer: true, sharedClock: true})
	w.clerk.SetTemplate("other", clerkhasuratest.Template{
		Claims:   map[string]any{"sid": "{{session.id}}", "aud": "some-other-backend"},
		Lifetime: 365 * 24 * time.Hour,
	})
	sid := w.clerk.CreateSession("user_alice")
	tok := w.clerk.TemplateToken(sid, "other")

	first := w.get(t, "/me", bearer(tok))
	assert.Equal(t, http.StatusUnauthorized, first.status, first.raw)
	assert.Contains(t, first.raw, "session token lives longer than a Clerk session token")

	w.clerk.RevokeSession(sid)
	w.mw.EndSession(sid)
	w.signer.EndSession(sid)
	w.clock.Advance(11 * time.Minute)
	later := w.get(t, "/me", bearer(tok))
	assert.Equal(t, http.StatusUnauthorized, later.status, later.raw)
}

// TestTemplateLifetimeBoundsRevocation: MaxTemplateLifetime bounds a
// template token's whole lifetime, so a long-lived one is refused when it
// arrives and still refused once little of it is left.
func TestTemplateLifetimeBoundsRevocation(t *testing.T) {
	w := newWorld(t, worldConfig{sharedClock: true, opts: &middleware.Options{TemplateTokens: true}})
	long := clerkhasuratest.HasuraTemplate()
	long.Lifetime = time.Hour
	w.clerk.SetTemplate("long", long)
	sid := w.clerk.CreateSession("user_alice")
	tok := w.clerk.TemplateToken(sid, "long")
	w.clerk.RevokeSession(sid)
	w.mw.EndSession(sid)

	first := w.get(t, "/me", bearer(tok))
	assert.Equal(t, http.StatusUnauthorized, first.status, first.raw)

	w.clock.Advance(56 * time.Minute)
	later := w.get(t, "/me", bearer(tok))
	assert.Equal(t, http.StatusUnauthorized, later.status, later.raw)
	assert.Contains(t, later.raw, "template token lives longer than accepted")
}

// TestTemplateWithCaseVariantSid: clerk-sdk-go reads claim names whatever
// their case, so a template token whose claims hold "SID" carries both
// marks and is refused, rather than reaching its handler with a session ID.
func TestTemplateWithCaseVariantSid(t *testing.T) {
	w := newWorld(t, worldConfig{opts: &middleware.Options{TemplateTokens: true}})
	tpl := clerkhasuratest.HasuraTemplate()
	tpl.Claims["SID"] = "{{session.id}}"
	w.clerk.SetTemplate("odd", tpl)
	resp := w.get(t, "/claims", bearer(w.clerk.TemplateToken(w.clerk.CreateSession("user_alice"), "odd")))
	assert.Equal(t, http.StatusUnauthorized, resp.status, resp.raw)
	assert.Contains(t, resp.raw, "token is both a session token and a Hasura template token")
}

// TestTemplateFromASkewedClerk: a 60 s template token from a Clerk whose
// clock runs 250 s ahead is accepted: its lifetime is exp − iat, which no
// skew changes.
func TestTemplateFromASkewedClerk(t *testing.T) {
	s := newMWSigner(t)
	ns := map[string]any{"x-hasura-user-id": "user_alice", "x-hasura-default-role": "user", "x-hasura-allowed-roles": []string{"user"}}
	w := newWorld(t, worldConfig{opts: &middleware.Options{TemplateTokens: true, JWKSClient: s.JWKSClient, Issuer: signerIssuer}})
	iat := w.clock.Now().Add(250 * time.Second)
	tok := s.sign(t, claimsWith(sessionClaims(iat), map[string]any{"sid": nil, testkit.ClaimsNamespace: ns,
		"nbf": iat.Add(-300 * time.Second).Unix(), "exp": iat.Add(time.Minute).Unix()}))
	r := w.get(t, "/claims", bearer(tok))
	assert.Equal(t, http.StatusOK, r.status, r.raw)
}

// TestTokenWithoutIssuedAt: without iat a token's lifetime cannot be
// bounded; Clerk's tokens of both kinds carry it.
func TestTokenWithoutIssuedAt(t *testing.T) {
	s := newMWSigner(t)
	w := newWorld(t, worldConfig{tokens: true, opts: &middleware.Options{JWKSClient: s.JWKSClient, Issuer: signerIssuer}})
	tok := s.sign(t, claimsWith(sessionClaims(w.clock.Now()), map[string]any{"iat": nil}))
	r := w.get(t, "/claims", bearer(tok))
	assert.Equal(t, http.StatusUnauthorized, r.status, r.raw)
	assert.Contains(t, r.raw, "token has no iat")
}

// TestClaimsHookGetsItsOwnCopy: the Signer's claims hook may not write
// into the claims the verified-token cache shares between requests; under
// -race a shared copy is a data race.
func TestClaimsHookGetsItsOwnCopy(t *testing.T) {
	var seen sync.Map
	w := newWorld(t, worldConfig{signer: true, signerOpts: localjwt.Options{
		Claims: func(s *clerk.SessionClaims) (localjwt.HasuraClaims, error) {
			seen.Store(s, true)
			user := s.Subject
			s.Subject = "user_mallory"
			return localjwt.HasuraClaims{UserID: user}, nil
		}}})
	tok := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
	var wg sync.WaitGroup
	for range 8 {
		wg.Go(func() {
			for range 5 {
				assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(tok)).status)
			}
		})
	}
	wg.Wait()
	n := 0
	seen.Range(func(any, any) bool { n++; return true })
	require.Equal(t, 40, n, "one copy per request")
	r := w.get(t, "/claims", bearer(tok))
	assert.Equal(t, "user_alice", r.body["sub"], "the hook's write stays in its copy")
}
