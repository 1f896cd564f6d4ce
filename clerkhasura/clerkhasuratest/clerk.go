package clerkhasuratest

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
)

// Clerk is a fake Clerk: an [httptest.Server] that answers the Clerk
// Backend API routes the SDK uses and serves the instance's JWKS. It is
// safe for concurrent use.
//
// Routes, all under [Clerk.URL]:
//
//	POST /v1/sessions                           create a session ({"user_id": ...})
//	GET  /v1/sessions/{id}                      read a session
//	POST /v1/sessions/{id}/revoke               revoke a session
//	POST /v1/sessions/{id}/tokens/{template}    mint a token from a template
//	POST /v1/sessions/{id}/tokens               mint a session token
//	GET  /v1/jwt_templates                      list the JWT templates
//	GET  /v1/jwks                               the JWKS (secret key required)
//	GET  /.well-known/jwks.json                 the JWKS (public, cacheable)
//
// The templates come in name order, a page at a time: limit (1 to 500,
// default 10) and offset as query parameters, an invalid one answered with
// 422. With paginated=true the answer is {"data": [...], "total_count": n},
// what clerk-sdk-go's jwttemplate.List reads; without it, a bare array.
//
// Every /v1 route needs "Authorization: Bearer <secret key>" and answers
// 401 without it. With [ClerkOptions.RateLimit] set, the /v1 routes but
// GET /v1/jwks answer 429 past the limit, as Clerk does. Unknown routes,
// sessions and templates, and revoked or expired sessions, answer 404.
// Errors carry Clerk's ClerkErrors body and a Clerk-Trace-Id header, so
// clerk-sdk-go returns *clerk.APIErrorResponse.
type Clerk struct {
	t      Tester
	srv    *httptest.Server
	engine *fakeclerk.Server
	key    string
	issuer string
	hooks  *webhooks
	once   sync.Once
}

// NewClerk starts a fake Clerk configured by opts (nil means the defaults)
// and registers [Clerk.Close] with t.Cleanup. It calls t.Fatalf when opts
// hold an invalid template.
//
// The fake's RSA signing keys come in turn from a small pool generated once
// per process, each under a fresh random kid, so starting many fakes stays
// fast and fakes started one after another sign with different keys.
func NewClerk(t Tester, opts *ClerkOptions) *Clerk {
	t.Helper()
	templates := make(map[string]fakeclerk.Template)
	for name, tpl := range opts.templates() {
		templates[name] = tpl.engine()
	}
	rateLimit, err := opts.rateLimit()
	if err != nil {
		fatal(t, "NewClerk", err)
		return nil
	}
	engine, err := fakeclerk.New(fakeclerk.Config{
		SecretKey:       opts.secretKey(),
		Issuer:          opts.issuer(),
		AuthorizedParty: opts.authorizedParty(),
		Now:             opts.now(),
		Templates:       templates,
		JWKSMaxAge:      opts.jwksMaxAge(),
		RateLimit:       rateLimit,
	})
	if err != nil {
		fatal(t, "NewClerk", err)
		return nil
	}
	c := &Clerk{
		t:      t,
		srv:    httptest.NewServer(engine),
		engine: engine,
		key:    opts.secretKey(),
		issuer: opts.issuer(),
		hooks:  newWebhooks(),
	}
	t.Cleanup(c.Close)
	return c
}

// URL is the server's root, "http://127.0.0.1:port". The Backend API base
// URL, as clerk.BackendConfig.URL wants it, is [Clerk.APIURL].
func (c *Clerk) URL() string { return c.srv.URL }

// APIURL is the Backend API base URL: [Clerk.URL] + "/v1".
func (c *Clerk) APIURL() string { return c.srv.URL + "/v1" }

// JWKSURL is the public JWKS endpoint, [Clerk.URL] +
// "/.well-known/jwks.json": what the jwk_url of HASURA_GRAPHQL_JWT_SECRET
// names for a real Clerk instance's Frontend API.
func (c *Clerk) JWKSURL() string { return c.srv.URL + "/.well-known/jwks.json" }

// SecretKey is the key the fake accepts.
func (c *Clerk) SecretKey() string { return c.key }

// HTTPClient is an *http.Client that reaches the fake.
func (c *Clerk) HTTPClient() *http.Client { return c.srv.Client() }

// BackendConfig returns a fresh clerk-sdk-go configuration for the fake:
// its HTTP client, [Clerk.APIURL] and [Clerk.SecretKey].
func (c *Clerk) BackendConfig() clerk.BackendConfig {
	return clerk.BackendConfig{
		HTTPClient: c.srv.Client(),
		URL:        clerk.String(c.APIURL()),
		Key:        clerk.String(c.key),
	}
}

// Backend returns a clerk-sdk-go backend for the fake, for building any
// resource client, as in &user.Client{Backend: c.Backend()}.
func (c *Clerk) Backend() clerk.Backend {
	cfg := c.BackendConfig()
	return clerk.NewBackend(&cfg)
}

// SessionClient returns a clerk-sdk-go sessions client for the fake.
func (c *Clerk) SessionClient() *session.Client {
	return session.NewClient(&clerk.ClientConfig{BackendConfig: c.BackendConfig()})
}

// JWKSClient returns a clerk-sdk-go JWKS client for the fake, as
// jwt.VerifyParams.JWKSClient wants it.
func (c *Clerk) JWKSClient() *jwks.Client {
	return jwks.NewClient(&clerk.ClientConfig{BackendConfig: c.BackendConfig()})
}

// Close shuts the server down; requests delayed by a [Fault] end at once.
// Close is idempotent, and [NewClerk] registers it with t.Cleanup.
func (c *Clerk) Close() {
	c.once.Do(func() {
		c.engine.Close()
		c.srv.Close()
	})
}

// fatal reports err from the engine as the failure of the method op.
func fatal(t Tester, op string, err error) {
	t.Helper()
	t.Fatalf("clerkhasuratest: %s: %s", op, strings.TrimPrefix(err.Error(), "fakeclerk: "))
}
