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
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// mwWorld is a fake Clerk, a fake Hasura trusting it, and an HTTP server
// whose handlers sit behind the middleware under test.
type mwWorld struct {
	clerk  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
	tokens *clerkhasura.SessionTokens
	clock  *testkit.Clock
	mw     *middleware.Middleware
	// signer and signerJWKS are the Signer of rung 3 and its JWKS.
	signer     *localjwt.Signer
	signerJWKS *httptest.Server
	server     *httptest.Server
	reached    atomic.Int64 // requests that reached a handler
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
	return newWorld(t, worldConfig{opts: opts, clerkClock: clerkClock, tokens: true})
}

// worldConfig says how newWorld builds a world.
type worldConfig struct {
	opts       *middleware.Options
	clerkClock clerkhasura.Clock
	// tokens gives the middleware the world's SessionTokens: rung 1.
	tokens bool
	// signer gives the middleware a Signer, and Hasura trusts its JWKS
	// beside Clerk's, each by issuer: rung 3.
	signer bool
	// keys are the Signer's keys; nil means one that signs from now.
	keys []localjwt.ScheduledKey
	// signerOpts are further options of the Signer. Optional.
	signerOpts localjwt.Options
	// sharedClock puts the fake Clerk on the world's clock.
	sharedClock bool
	// jwks makes the handler of the JWKS Hasura trusts for the Signer's
	// issuer, in place of the Signer's own. Optional.
	jwks func(*localjwt.Signer) http.Handler
}

// newWorld starts a world as cfg says.
func newWorld(t *testing.T, cfg worldConfig) *mwWorld {
	t.Helper()
	testkit.CheckLeaks(t)

	w := &mwWorld{clock: testkit.NewClock()}
	w.clock.Set(time.Now())
	if cfg.sharedClock {
		cfg.clerkClock = w.clock
	}
	w.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: cfg.clerkClock})
	o := middleware.Options{}
	if cfg.opts != nil {
		o = *cfg.opts
	}
	hopts := &clerkhasuratest.HasuraOptions{JWKURL: w.clerk.JWKSURL(), HTTPClient: w.clerk.HTTPClient()}
	if cfg.signer {
		keys := cfg.keys
		if keys == nil {
			keys = []localjwt.ScheduledKey{{Key: signingKey(t), SignFrom: w.clock.Now().Add(-time.Hour)}}
		}
		so := cfg.signerOpts
		so.Issuer, so.Keys, so.Clock = serviceIssuer, keys, w.clock
		var err error
		w.signer, err = localjwt.New(&so)
		require.NoError(t, err)
		jwks := w.signer.JWKSHandler(nil)
		if cfg.jwks != nil {
			jwks = cfg.jwks(w.signer)
		}
		w.signerJWKS = httptest.NewServer(jwks)
		t.Cleanup(w.signerJWKS.Close)
		hopts = &clerkhasuratest.HasuraOptions{JWTSecrets: `[{"jwk_url":"` + w.clerk.JWKSURL() + `","issuer":"` +
			clerkhasuratest.DefaultIssuer + `"},{"jwk_url":"` + w.signerJWKS.URL + `","issuer":"` + serviceIssuer + `"}]`,
			Clock: w.clock, StrictJWKSRefresh: true}
		o.Signer = w.signer
	}
	w.hasura = clerkhasuratest.NewHasura(t, hopts)
	w.hasuraJWKS = w.clerk.Stats().JWKSRequests
	alice := "Alice"
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_alice", Name: &alice})
	w.tokens = sources.SessionTokens(t, w.clerk.SessionClient(), "hasura", nil)
	t.Cleanup(w.tokens.Close)

	if o.JWKSClient == nil {
		o.JWKSClient = w.clerk.JWKSClient()
	}
	if o.Clock == nil {
		o.Clock = w.clock
	}
	var tokens *clerkhasura.SessionTokens
	if cfg.tokens {
		tokens = w.tokens
	}
	mw, err := middleware.New(w.hasura.Endpoint(), tokens, &o)
	require.NoError(t, err)
	w.mw = mw

	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", w.me)
	mux.HandleFunc("GET /claims", w.claims)
	w.server = httptest.NewServer(mw.Handler(mux))
	t.Cleanup(w.server.Close)
	return w
}

// serviceIssuer is the iss of the Signer's tokens.
const serviceIssuer = "https://api.service.test"

// signingKey is a new Ed25519 key for a Signer.
func signingKey(t *testing.T) *localjwt.Key {
	t.Helper()
	k, err := localjwt.GenerateKey()
	require.NoError(t, err)
	return k
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
