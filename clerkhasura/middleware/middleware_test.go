package middleware_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	josejwt "github.com/go-jose/go-jose/v3/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestMiddlewareGivesHandlersAClientForTheSession(t *testing.T) {
	w := newMWWorld(t, nil)
	sid := w.clerk.CreateSession("user_alice")

	for range 3 {
		resp := w.get(t, "/me", bearer(w.clerk.SessionToken(sid)))
		require.Equal(t, http.StatusOK, resp.status, resp.raw)
		assert.Equal(t, map[string]any{"id": "user_alice", "name": "Alice"}, resp.body)
	}
	tok := w.clerk.SessionToken(sid)
	resp := w.get(t, "/claims", func(r *http.Request) { r.Header.Set("Authorization", "  bearer   "+tok) })
	require.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, map[string]any{"sid": sid, "sub": "user_alice", "azp": clerkhasuratest.DefaultAuthorizedParty}, resp.body)

	assert.Equal(t, uint64(1), w.tokens.Stats().Mints, "one Hasura token served the three requests")
	assert.Equal(t, int64(1), w.clerk.Stats().TokensMinted)
	assert.Equal(t, int64(1), w.middlewareJWKS(), "the JWKS was fetched once")
	assert.Equal(t, middleware.Stats{Authenticated: 4, JWKSFetches: 1}, w.mw.Stats())
}

func TestMiddlewareKeepsSessionsApart(t *testing.T) {
	w := newMWWorld(t, nil)
	bob := "Bob"
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_bob", Name: &bob})
	alice, bobSession := w.clerk.CreateSession("user_alice"), w.clerk.CreateSession("user_bob")

	assert.Equal(t, "Bob", w.get(t, "/me", bearer(w.clerk.SessionToken(bobSession))).body["name"])
	assert.Equal(t, "Alice", w.get(t, "/me", bearer(w.clerk.SessionToken(alice))).body["name"])
	assert.Equal(t, uint64(2), w.tokens.Stats().Mints)
	assert.Equal(t, 2, w.tokens.Stats().Sessions)
}

// tamper returns token with its payload's claim set to value, the
// signature left as it was.
func tamper(t *testing.T, token, claim string, value any) string {
	t.Helper()
	parts := strings.Split(token, ".")
	require.Len(t, parts, 3)
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(payload, &claims))
	claims[claim] = value
	payload, err = json.Marshal(claims)
	require.NoError(t, err)
	parts[1] = base64.RawURLEncoding.EncodeToString(payload)
	return strings.Join(parts, ".")
}

func TestMiddlewareRejects(t *testing.T) {
	// Each case returns the request's preparation, and the token it sends
	// if any, given a world with a session of Alice.
	cases := []struct {
		name    string
		opts    *middleware.Options
		request func(t *testing.T, w *mwWorld, sid string) (func(*http.Request), string)
		reason  string
	}{
		{"no Authorization header", nil, func(*testing.T, *mwWorld, string) (func(*http.Request), string) {
			return nil, ""
		}, "missing session token"},
		{"empty Bearer", nil, func(*testing.T, *mwWorld, string) (func(*http.Request), string) {
			return func(r *http.Request) { r.Header.Set("Authorization", "Bearer ") }, ""
		}, "missing session token"},
		{"Basic scheme", nil, func(_ *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
			tok := w.clerk.SessionToken(sid)
			return func(r *http.Request) { r.Header.Set("Authorization", "Basic "+tok) }, tok
		}, "Authorization header is not a Bearer token"},
		{"not a JWT", nil, func(*testing.T, *mwWorld, string) (func(*http.Request), string) {
			return bearer("not-a-jwt"), "not-a-jwt"
		}, "malformed session token"},
		{"cookie ignored unless enabled", nil, func(_ *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
			tok := w.clerk.SessionToken(sid)
			return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: "__session", Value: tok}) }, tok
		}, "missing session token"},
		{"expired", nil, func(_ *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
			tok := w.clerk.SessionToken(sid)
			w.clock.Advance(2 * time.Minute)
			return bearer(tok), tok
		}, "session token expired"},
		{"not valid yet", nil, func(_ *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
			tok := w.clerk.SessionToken(sid)
			w.clock.Advance(-time.Minute)
			return bearer(tok), tok
		}, "session token not valid yet"},
		{"tampered payload", nil, func(t *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
			tok := tamper(t, w.clerk.SessionToken(sid), "sub", "user_bob")
			return bearer(tok), tok
		}, "invalid session token signature"},
		{"another Clerk instance's key", nil, func(t *testing.T, _ *mwWorld, _ string) (func(*http.Request), string) {
			other := clerkhasuratest.NewClerk(t, nil)
			tok := other.SessionToken(other.CreateSession("user_alice"))
			return bearer(tok), tok
		}, "session token signed with an unknown key"},
		{"wrong azp", &middleware.Options{AuthorizedParties: []string{"https://app.example.com"}},
			func(_ *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
				tok := w.clerk.SessionToken(sid)
				return bearer(tok), tok
			}, "session token from an unauthorized party"},
		{"issuer is not the configured one", &middleware.Options{Issuer: "https://app.example.com/__clerk"},
			func(_ *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
				tok := w.clerk.SessionToken(sid)
				return bearer(tok), tok
			}, "session token from an unexpected issuer"},
		{"template token without sid", nil, func(_ *testing.T, w *mwWorld, sid string) (func(*http.Request), string) {
			tok := w.clerk.TemplateToken(sid, "hasura")
			return bearer(tok), tok
		}, "template tokens are not accepted here"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newMWWorld(t, tc.opts)
			sid := w.clerk.CreateSession("user_alice")
			prepare, token := tc.request(t, w, sid)
			mintedBefore := w.clerk.Stats().TokensMinted

			resp := w.get(t, "/me", prepare)

			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, "application/json", resp.header.Get("Content-Type"))
			assert.Contains(t, resp.header.Get("WWW-Authenticate"), "Bearer")
			assert.Equal(t, map[string]any{"error": "unauthenticated", "message": tc.reason}, resp.body)
			if token != "" {
				for _, part := range strings.Split(token, ".") {
					assert.NotContains(t, resp.raw, part, "the answer quotes the token")
				}
			}
			assert.Zero(t, w.reached.Load(), "the handler ran")
			assert.Zero(t, w.tokens.Stats().Mints, "a Hasura token was minted")
			assert.Zero(t, w.tokens.Stats().Sessions)
			assert.Equal(t, mintedBefore, w.clerk.Stats().TokensMinted, "Clerk minted a token")
			assert.Equal(t, middleware.Stats{Rejected: 1}, middleware.Stats{
				Authenticated: w.mw.Stats().Authenticated, Rejected: w.mw.Stats().Rejected,
			})
		})
	}
}

func TestMiddlewareAcceptsWithinLeewayAndKnownParties(t *testing.T) {
	w := newMWWorld(t, &middleware.Options{
		Leeway:            time.Minute,
		AuthorizedParties: []string{"https://app.example.com", clerkhasuratest.DefaultAuthorizedParty},
	})
	sid := w.clerk.CreateSession("user_alice")
	tok := w.clerk.SessionToken(sid)
	w.clock.Advance(90 * time.Second) // 30 s past exp

	resp := w.get(t, "/claims", bearer(tok))
	assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, sid, resp.body["sid"])
}

func TestMiddlewareSessionCookie(t *testing.T) {
	w := newMWWorld(t, &middleware.Options{
		SessionCookie:     true,
		AuthorizedParties: []string{clerkhasuratest.DefaultAuthorizedParty},
	})
	alice := w.clerk.CreateSession("user_alice")
	bob := w.clerk.CreateSession("user_bob")
	cookie := func(tok string) func(*http.Request) {
		return func(r *http.Request) { r.AddCookie(&http.Cookie{Name: middleware.SessionCookieName, Value: tok}) }
	}

	resp := w.get(t, "/claims", cookie(w.clerk.SessionToken(alice)))
	require.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, alice, resp.body["sid"])

	both := func(r *http.Request) {
		cookie(w.clerk.SessionToken(alice))(r)
		bearer(w.clerk.SessionToken(bob))(r)
	}
	assert.Equal(t, bob, w.get(t, "/claims", both).body["sid"], "the Authorization header wins")

	resp = w.get(t, "/claims", cookie("garbage"))
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, "malformed session token", resp.body["message"])
}

func TestNewRefuses(t *testing.T) {
	tokens := sources.SessionTokens(t, nil, "hasura", nil)
	t.Cleanup(func() { tokens.Close() })
	cases := []struct {
		name     string
		endpoint string
		tokens   *clerkhasura.SessionTokens
		opts     *middleware.Options
		want     string
	}{
		{"empty endpoint", "", tokens, nil, "invalid endpoint: is empty"},
		{"relative endpoint", "/v1/graphql", tokens, nil, "scheme is not http or https"},
		{"nil SessionTokens", "https://h.example/v1/graphql", nil, nil, "invalid SessionTokens: is nil"},
		{"cookie without parties", "https://h.example/v1/graphql", tokens,
			&middleware.Options{SessionCookie: true}, "SessionCookie: requires AuthorizedParties"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m, err := middleware.New(tc.endpoint, tc.tokens, tc.opts)
			assert.Nil(t, m)
			require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
			assert.Contains(t, err.Error(), tc.want)
			assert.True(t, strings.HasPrefix(err.Error(), "clerkhasura: "), err.Error())
		})
	}
	_, err := middleware.New("ftp://h.example", tokens, nil)
	assert.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
}

func TestClientFromContextOutsideTheMiddleware(t *testing.T) {
	c, ok := middleware.ClientFromContext(context.Background())
	assert.False(t, ok)
	assert.Nil(t, c)
}

func TestMiddlewareErrorHandlerGetsTheCause(t *testing.T) {
	var got []*middleware.AuthError
	w := newMWWorld(t, &middleware.Options{
		ErrorHandler: func(rw http.ResponseWriter, r *http.Request, err *middleware.AuthError) {
			got = append(got, err)
			http.Error(rw, "go away", http.StatusTeapot)
		},
	})
	tok := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
	w.clock.Advance(2 * time.Minute)

	resp := w.get(t, "/me", bearer(tok))
	assert.Equal(t, http.StatusTeapot, resp.status)
	require.Len(t, got, 1)
	err := got[0]
	assert.ErrorIs(t, err, middleware.ErrUnauthenticated)
	assert.ErrorIs(t, err, josejwt.ErrExpired)
	assert.Equal(t, http.StatusUnauthorized, err.StatusCode())
	assert.Equal(t, "clerkhasura: session token expired", err.Error())
	var aerr *middleware.AuthError
	assert.True(t, errors.As(error(err), &aerr))
}

func TestAuthErrorRevealsNoToken(t *testing.T) {
	w := newMWWorld(t, &middleware.Options{
		AuthorizedParties: []string{"https://app.example.com"},
		ErrorHandler: func(rw http.ResponseWriter, r *http.Request, err *middleware.AuthError) {
			rw.Header().Set("X-Error", err.Error())
			err.ServeHTTP(rw, r)
		},
	})
	sid := w.clerk.CreateSession("user_alice")
	for _, tok := range []string{
		w.clerk.SessionToken(sid),                                  // wrong azp
		tamper(t, w.clerk.SessionToken(sid), "iss", "https://x.y"), // bad signature
		w.clerk.TemplateToken(sid, "hasura"),                       // no sid
	} {
		resp := w.get(t, "/me", bearer(tok))
		require.Equal(t, http.StatusUnauthorized, resp.status)
		for _, part := range strings.Split(tok, ".") {
			assert.NotContains(t, resp.header.Get("X-Error"), part)
			assert.NotContains(t, resp.raw, part)
		}
		assert.NotContains(t, resp.raw, "app.example.com")
		assert.NotContains(t, resp.raw, clerkhasuratest.DefaultAuthorizedParty, "the rejected azp is quoted")
	}
}
