package middleware_test

import (
	"net/http"
	"sync/atomic"
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

// wantAlice asserts that the request reached the handler and read
// Alice's row through Hasura.
func wantAlice(t *testing.T, resp mwResponse) {
	t.Helper()
	require.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, map[string]any{"id": "user_alice", "name": "Alice"}, resp.body)
}

// wantRefused asserts a 401 with reason, before the handler ran.
func wantRefused(t *testing.T, w *mwWorld, resp mwResponse, reason string) {
	t.Helper()
	assert.Equal(t, http.StatusUnauthorized, resp.status, resp.raw)
	assert.Equal(t, map[string]any{"error": "unauthenticated", "message": reason}, resp.body)
	assert.Zero(t, w.reached.Load(), "the handler ran")
}

// TestRungTwoForwardsTemplateTokens: with template tokens alone, the
// browser's template token reaches Hasura as it is, and nothing is
// minted; a session token is refused.
func TestRungTwoForwardsTemplateTokens(t *testing.T) {
	w := newWorld(t, worldConfig{opts: &middleware.Options{TemplateTokens: true}})
	sid := w.clerk.CreateSession("user_alice")
	tpl := w.clerk.TemplateToken(sid, "hasura")
	minted := w.clerk.Stats().TokensMinted

	wantAlice(t, w.get(t, "/me", bearer(tpl)))
	wantAlice(t, w.get(t, "/me", bearer(tpl)))
	assert.Equal(t, minted, w.clerk.Stats().TokensMinted, "no call to Clerk")
	assert.Zero(t, w.tokens.Stats().Mints)

	claims := w.get(t, "/claims", bearer(tpl))
	require.Equal(t, http.StatusOK, claims.status)
	assert.Equal(t, map[string]any{"sid": "", "sub": "user_alice", "azp": clerkhasuratest.DefaultAuthorizedParty}, claims.body)

	w.reached.Store(0)
	wantRefused(t, w, w.get(t, "/me", bearer(w.clerk.SessionToken(sid))), "session tokens are not accepted here")
}

// TestRungsOneAndTwoTogether: a middleware accepting both types sends
// each where it belongs.
func TestRungsOneAndTwoTogether(t *testing.T) {
	w := newWorld(t, worldConfig{tokens: true, opts: &middleware.Options{TemplateTokens: true}})
	sid := w.clerk.CreateSession("user_alice")
	wantAlice(t, w.get(t, "/me", bearer(w.clerk.TemplateToken(sid, "hasura"))))
	assert.Zero(t, w.tokens.Stats().Mints, "the template token was forwarded")
	wantAlice(t, w.get(t, "/me", bearer(w.clerk.SessionToken(sid))))
	assert.Equal(t, uint64(1), w.tokens.Stats().Mints, "the session token's Hasura token was minted")
}

// TestTemplateTokenRefusals covers the template tokens the middleware
// refuses end to end.
func TestTemplateTokenRefusals(t *testing.T) {
	long := clerkhasuratest.HasuraTemplate()
	long.Lifetime = time.Hour
	both := clerkhasuratest.HasuraTemplate()
	both.Claims["sid"] = "{{session.id}}"
	for _, tc := range []struct {
		name   string
		opts   middleware.Options
		token  func(t *testing.T, w *mwWorld, sid string) string
		reason string
	}{
		{"past the maximum lifetime", middleware.Options{},
			func(_ *testing.T, w *mwWorld, sid string) string {
				w.clerk.SetTemplate("long", long)
				return w.clerk.TemplateToken(sid, "long")
			}, "template token lives longer than accepted"},
		{"carrying a sid too", middleware.Options{},
			func(_ *testing.T, w *mwWorld, sid string) string {
				w.clerk.SetTemplate("both", both)
				return w.clerk.TemplateToken(sid, "both")
			}, "token is both a session token and a Hasura template token"},
		{"from another instance", middleware.Options{},
			func(t *testing.T, _ *mwWorld, _ string) string {
				other := clerkhasuratest.NewClerk(t, nil)
				return other.TemplateToken(other.CreateSession("user_alice"), "hasura")
			}, "session token signed with an unknown key"},
		{"from another issuer", middleware.Options{Issuer: "https://clerk.example.com"},
			func(_ *testing.T, w *mwWorld, sid string) string {
				return w.clerk.TemplateToken(sid, "hasura")
			}, "session token from an unexpected issuer"},
		{"expired", middleware.Options{},
			func(_ *testing.T, w *mwWorld, sid string) string {
				tok := w.clerk.TemplateToken(sid, "hasura")
				w.clock.Advance(2 * time.Minute)
				return tok
			}, "session token expired"},
		{"nbf in the future", middleware.Options{},
			func(_ *testing.T, w *mwWorld, sid string) string {
				tok := w.clerk.TemplateToken(sid, "hasura")
				w.clock.Advance(-time.Minute)
				return tok
			}, "session token not valid yet"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tc.opts.TemplateTokens = true
			w := newWorld(t, worldConfig{tokens: true, opts: &tc.opts})
			tok := tc.token(t, w, w.clerk.CreateSession("user_alice"))
			requests := w.hasura.Stats().Requests
			wantRefused(t, w, w.get(t, "/me", bearer(tok)), tc.reason)
			assert.Equal(t, requests, w.hasura.Stats().Requests, "Hasura was called")
		})
	}
}

// TestTemplateLifetimeAllowed: a longer MaxTemplateLifetime lets a long
// template token through.
func TestTemplateLifetimeAllowed(t *testing.T) {
	w := newWorld(t, worldConfig{opts: &middleware.Options{TemplateTokens: true, MaxTemplateLifetime: 2 * time.Hour}})
	long := clerkhasuratest.HasuraTemplate()
	long.Lifetime = time.Hour
	w.clerk.SetTemplate("long", long)
	wantAlice(t, w.get(t, "/me", bearer(w.clerk.TemplateToken(w.clerk.CreateSession("user_alice"), "long"))))
}

// TestTokenMarks signs tokens with every mix of sid, v and Hasura's
// namespace: only a clean session token or a clean template token passes.
func TestTokenMarks(t *testing.T) {
	s := newMWSigner(t)
	ns := map[string]any{"x-hasura-user-id": "user_alice", "x-hasura-default-role": "user", "x-hasura-allowed-roles": []string{"user"}}
	for _, tc := range []struct {
		name    string
		changes map[string]any
		reason  string // empty: accepted
	}{
		{"session token", nil, ""},
		{"session token with the namespace", map[string]any{testkit.ClaimsNamespace: ns}, "token is both a session token and a Hasura template token"},
		{"template token", map[string]any{"sid": nil, testkit.ClaimsNamespace: ns}, ""},
		{"template token with v", map[string]any{"sid": nil, "v": 2, testkit.ClaimsNamespace: ns}, "neither a session token nor a Hasura template token"},
		{"no mark", map[string]any{"sid": nil}, "neither a session token nor a Hasura template token"},
		{"empty sid", map[string]any{"sid": ""}, "not a session token: no sid claim"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, worldConfig{tokens: true, opts: &middleware.Options{
				TemplateTokens: true, JWKSClient: s.JWKSClient, Issuer: signerIssuer,
			}})
			tok := s.sign(t, claimsWith(sessionClaims(w.clock.Now()), tc.changes))
			resp := w.get(t, "/claims", bearer(tok))
			if tc.reason == "" {
				assert.Equal(t, http.StatusOK, resp.status, resp.raw)
				return
			}
			wantRefused(t, w, resp, tc.reason)
		})
	}
}

// TestRungThreeSignsLocally: with a Signer, a session token gets a
// locally signed Hasura token, which Hasura trusts by its issuer, and
// nothing is minted.
func TestRungThreeSignsLocally(t *testing.T) {
	w := newWorld(t, worldConfig{signer: true})
	sid := w.clerk.CreateSession("user_alice")
	tok := w.clerk.SessionToken(sid)
	minted := w.clerk.Stats().TokensMinted
	wantAlice(t, w.get(t, "/me", bearer(tok)))
	wantAlice(t, w.get(t, "/me", bearer(tok)))
	assert.Equal(t, minted, w.clerk.Stats().TokensMinted, "no call to Clerk")
	assert.Zero(t, w.tokens.Stats().Mints)

	w.reached.Store(0)
	wantRefused(t, w, w.get(t, "/me", bearer(w.clerk.TemplateToken(sid, "hasura"))), "template tokens are not accepted here")
}

// TestRungThreeRefusals: the service's own tokens are never sessions, and
// a claims hook asking for admin gets a 403 before the handler runs.
func TestRungThreeRefusals(t *testing.T) {
	t.Run("own token", func(t *testing.T) {
		w := newWorld(t, worldConfig{signer: true})
		src, err := w.signer.Impersonate(localjwt.HasuraClaims{UserID: "user_alice"})
		require.NoError(t, err)
		own, err := src.Token(t.Context())
		require.NoError(t, err)
		wantRefused(t, w, w.get(t, "/me", bearer(own.Value)), "token of this service's own issuer, not a Clerk token")
		assert.Zero(t, w.middlewareJWKS(), "the service's own token made the middleware fetch Clerk's keys")
	})
	t.Run("claims hook asks for admin", func(t *testing.T) {
		var refusal atomic.Pointer[middleware.AuthError]
		w := newWorld(t, worldConfig{signer: true,
			signerOpts: localjwt.Options{Claims: func(s *clerk.SessionClaims) (localjwt.HasuraClaims, error) {
				return localjwt.HasuraClaims{UserID: s.Subject, DefaultRole: "admin"}, nil
			}},
			opts: &middleware.Options{ErrorHandler: func(rw http.ResponseWriter, r *http.Request, err *middleware.AuthError) {
				refusal.Store(err)
				err.ServeHTTP(rw, r)
			}}})
		resp := w.get(t, "/me", bearer(w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))))
		assert.Equal(t, http.StatusForbidden, resp.status)
		assert.Equal(t, map[string]any{"error": "forbidden", "message": "session claims refused for a Hasura token"}, resp.body)
		assert.Zero(t, w.reached.Load())
		err := refusal.Load()
		require.NotNil(t, err)
		assert.ErrorIs(t, err, middleware.ErrForbidden)
		assert.ErrorIs(t, err, localjwt.ErrRoleNotAllowed)
		assert.Zero(t, w.hasura.Stats().Requests)
	})
}

// swappable is an http.Handler whose handler a test replaces.
type swappable struct{ h atomic.Pointer[http.Handler] }

func (s *swappable) set(h http.Handler) { s.h.Store(&h) }

func (s *swappable) ServeHTTP(w http.ResponseWriter, r *http.Request) { (*s.h.Load()).ServeHTTP(w, r) }

// TestRungThreeKeysHasuraLacks: Hasura refuses a locally signed token
// whose key it has not fetched (a replica signing with a key published
// too late) and one whose key was rotated out of the JWKS it fetched;
// the refusal is returned, not retried in a loop, and once Hasura's copy
// of the JWKS expires it fetches the one that fits.
func TestRungThreeKeysHasuraLacks(t *testing.T) {
	for _, unfetched := range []bool{true, false} {
		name := "key rotated out"
		if unfetched {
			name = "kid Hasura has not fetched"
		}
		t.Run(name, func(t *testing.T) {
			jwks := &swappable{}
			var own, other http.Handler
			w := newWorld(t, worldConfig{signer: true, sharedClock: true, jwks: func(s *localjwt.Signer) http.Handler {
				o, err := localjwt.New(&localjwt.Options{Issuer: serviceIssuer,
					Keys: []localjwt.ScheduledKey{{Key: signingKey(t), SignFrom: time.Now().Add(-time.Hour)}}})
				require.NoError(t, err)
				own, other = s.JWKSHandler(nil), o.JWKSHandler(nil)
				if unfetched {
					jwks.set(other)
				} else {
					jwks.set(own)
				}
				return jwks
			}})
			request := func() mwResponse {
				return w.get(t, "/me", bearer(w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))))
			}
			refused := func() {
				t.Helper()
				before := w.hasura.Stats()
				resp := request()
				assert.Equal(t, http.StatusBadGateway, resp.status, resp.raw)
				after := w.hasura.Stats()
				assert.Equal(t, before.Errors["invalid-jwt"]+1, after.Errors["invalid-jwt"], "Hasura refused the token")
				assert.Equal(t, int64(1), after.Requests-before.Requests, "sent once, never resent")
			}
			if unfetched {
				refused()
				jwks.set(own)
				w.clock.Advance(5*time.Minute + time.Second) // past the JWKS max-age, localjwt's default
				wantAlice(t, request())
				return
			}
			wantAlice(t, request())
			jwks.set(other)
			w.clock.Advance(5*time.Minute + time.Second) // past the JWKS max-age, localjwt's default
			refused()
		})
	}
}
