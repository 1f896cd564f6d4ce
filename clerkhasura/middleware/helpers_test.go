package middleware_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// mwWorld is a fake Clerk, a fake Hasura trusting it, and an HTTP server
// whose handlers sit behind the middleware under test.
type mwWorld struct {
	clerk   *clerkhasuratest.Clerk
	hasura  *clerkhasuratest.Hasura
	tokens  *clerkhasura.SessionTokens
	clock   *testkit.Clock
	mw      *middleware.Middleware
	server  *httptest.Server
	reached atomic.Int64 // requests that reached a handler
	// hasuraJWKS is how many JWKS requests the fake Hasura made at startup.
	hasuraJWKS int64
}

// middlewareJWKS is how many JWKS requests the middleware made.
func (w *mwWorld) middlewareJWKS() int64 { return w.clerk.Stats().JWKSRequests - w.hasuraJWKS }

// newMWWorld starts the world; opts.JWKSClient and opts.Clock are filled
// in unless set. Alice has a row in Hasura and a session in Clerk.
//
// The middleware's clock stands still at the world's start while the fake
// Clerk's runs on, so Clerk's clock is ahead by the time the test takes,
// and a token's iat, in whole seconds, may be ahead of the middleware's
// clock: a skew the middleware must bear, as with real clocks.
func newMWWorld(t *testing.T, opts *middleware.Options) *mwWorld {
	t.Helper()
	return newMWWorldClerkClock(t, opts, nil)
}

// newMWWorldClerkClock is newMWWorld with the fake Clerk on clerkClock,
// unless it is nil.
func newMWWorldClerkClock(t *testing.T, opts *middleware.Options, clerkClock clerkhasura.Clock) *mwWorld {
	t.Helper()
	testkit.CheckLeaks(t)

	w := &mwWorld{clock: testkit.NewClock()}
	w.clock.Set(time.Now())
	w.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clerkClock})
	w.hasura = clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:     w.clerk.JWKSURL(),
		HTTPClient: w.clerk.HTTPClient(),
	})
	w.hasuraJWKS = w.clerk.Stats().JWKSRequests
	alice := "Alice"
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_alice", Name: &alice})
	w.tokens = sources.SessionTokens(t, w.clerk.SessionClient(), "hasura", nil)
	t.Cleanup(w.tokens.Close)

	o := middleware.Options{}
	if opts != nil {
		o = *opts
	}
	if o.JWKSClient == nil {
		o.JWKSClient = w.clerk.JWKSClient()
	}
	if o.Clock == nil {
		o.Clock = w.clock
	}
	mw, err := middleware.New(w.hasura.Endpoint(), w.tokens, &o)
	require.NoError(t, err)
	w.mw = mw

	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", w.me)
	mux.HandleFunc("GET /claims", w.claims)
	w.server = httptest.NewServer(mw.Handler(mux))
	t.Cleanup(w.server.Close)
	return w
}

// me answers with the caller's row, read through the request's Client.
func (w *mwWorld) me(rw http.ResponseWriter, r *http.Request) {
	w.reached.Add(1)
	c, ok := middleware.ClientFromContext(r.Context())
	if !ok {
		http.Error(rw, "no client", http.StatusInternalServerError)
		return
	}
	again, _ := middleware.ClientFromContext(r.Context())
	if again != c {
		http.Error(rw, "a second client for the same request", http.StatusInternalServerError)
		return
	}
	u, err := c.Me(r.Context())
	if err != nil {
		http.Error(rw, err.Error(), http.StatusBadGateway)
		return
	}
	writeJSON(rw, map[string]any{"id": u.ID, "name": *u.Name})
}

// claims answers with the verified claims, without calling Hasura.
func (w *mwWorld) claims(rw http.ResponseWriter, r *http.Request) {
	w.reached.Add(1)
	claims, ok := clerk.SessionClaimsFromContext(r.Context())
	if !ok {
		http.Error(rw, "no claims", http.StatusInternalServerError)
		return
	}
	writeJSON(rw, map[string]any{"sid": claims.SessionID, "sub": claims.Subject, "azp": claims.AuthorizedParty})
}

func writeJSON(rw http.ResponseWriter, v any) {
	rw.Header().Set("Content-Type", "application/json")
	_ = json.NewEncoder(rw).Encode(v)
}

// mwResponse is an answer of the server, its body decoded as JSON.
type mwResponse struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// get sends GET path, after prepare (which may be nil) set its headers.
func (w *mwWorld) get(t *testing.T, path string, prepare func(*http.Request)) mwResponse {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, w.server.URL+path, nil)
	require.NoError(t, err)
	if prepare != nil {
		prepare(req)
	}
	resp, err := w.server.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	out := mwResponse{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &out.body)
	return out
}

func bearer(token string) func(*http.Request) {
	return func(r *http.Request) { r.Header.Set("Authorization", "Bearer "+token) }
}
