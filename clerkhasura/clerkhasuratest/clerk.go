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

// Clerk is a fake Clerk: an [httptest.Server] that answers the Backend
// API routes the SDK uses and serves the instance's JWKS. It is safe for
// concurrent use. Routes, under [Clerk.URL]:
//
//	POST /v1/sessions                           create a session ({"user_id": ...})
//	GET  /v1/sessions/{id}                      read a session
//	POST /v1/sessions/{id}/revoke               revoke a session
//	POST /v1/sessions/{id}/tokens/{template}    mint a token from a template
//	POST /v1/sessions/{id}/tokens               mint a session token
//	GET  /v1/jwt_templates                      list the templates (by name; limit, offset, paginated)
//	GET  /v1/jwks                               the JWKS (secret key required)
//	GET  /.well-known/jwks.json                 the JWKS (public, max-age 60 s)
//
// Every /v1 route needs "Authorization: Bearer <secret key>". Unknown
// routes, sessions and templates, and revoked or expired sessions, answer
// 404. Errors carry Clerk's body and Clerk-Trace-Id header, so
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

// NewClerk starts a fake Clerk configured by opts (nil means the
// defaults) and registers [Clerk.Close] with t.Cleanup. It calls t.Fatalf
// when opts hold an invalid template.
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

// URL is the server's root, "http://127.0.0.1:port".
func (c *Clerk) URL() string { return c.srv.URL }

// APIURL is the Backend API base URL: [Clerk.URL] + "/v1".
func (c *Clerk) APIURL() string { return c.srv.URL + "/v1" }

// JWKSURL is the public JWKS endpoint, [Clerk.URL] +
// "/.well-known/jwks.json": the jwk_url of HASURA_GRAPHQL_JWT_SECRET.
func (c *Clerk) JWKSURL() string { return c.srv.URL + "/.well-known/jwks.json" }

// SecretKey is the key the fake accepts.
func (c *Clerk) SecretKey() string { return c.key }

// HTTPClient is an *http.Client that reaches the fake.
func (c *Clerk) HTTPClient() *http.Client { return c.srv.Client() }

// BackendConfig returns a fresh clerk-sdk-go configuration for the fake,
// for any resource client: its HTTP client, [Clerk.APIURL] and
// [Clerk.SecretKey].
func (c *Clerk) BackendConfig() clerk.BackendConfig {
	return clerk.BackendConfig{
		HTTPClient: c.srv.Client(),
		URL:        clerk.String(c.APIURL()),
		Key:        clerk.String(c.key),
	}
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
// It is idempotent.
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
