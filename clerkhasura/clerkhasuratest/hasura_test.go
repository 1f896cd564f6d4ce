package clerkhasuratest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// hasuraPair is a fake Clerk and a fake Hasura that trusts its JWKS, on
// one clock.
type hasuraPair struct {
	clock *clerkhasuratest.Clock
	clerk *clerkhasuratest.Clerk
	fh    *clerkhasuratest.Hasura
}

// newHasuraPair starts the fakes. A JWTSecret in opts may hold %s where
// the fake Clerk's JWKS URL goes; without one, JWKURL is set to it.
func newHasuraPair(t *testing.T, opts *clerkhasuratest.HasuraOptions) *hasuraPair {
	t.Helper()
	p := &hasuraPair{clock: clerkhasuratest.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))}
	p.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: p.clock})
	if opts == nil {
		opts = &clerkhasuratest.HasuraOptions{}
	}
	if opts.JWTSecret == "" {
		opts.JWKURL = p.clerk.JWKSURL()
	} else {
		opts.JWTSecret = fmt.Sprintf(opts.JWTSecret, p.clerk.JWKSURL())
	}
	opts.Clock = p.clock
	p.fh = clerkhasuratest.NewHasura(t, opts)
	return p
}

// post sends a GraphQL request with plain net/http and returns the status
// and body.
func hasuraPost(t *testing.T, endpoint, body string, headers map[string]string) (int, string) {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, endpoint, strings.NewReader(body))
	require.NoError(t, err)
	req.Header.Set("Content-Type", "application/json")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func (p *hasuraPair) as(t *testing.T, user, body string) string {
	t.Helper()
	tok := p.clerk.TemplateToken(p.clerk.CreateSession(user), "hasura")
	status, got := hasuraPost(t, p.fh.Endpoint(), body, map[string]string{"Authorization": "Bearer " + tok})
	require.Equal(t, http.StatusOK, status)
	return got
}

func hasuraErr(message, path, code string) string {
	return fmt.Sprintf(`{"errors":[{"message":%q,"extensions":{"path":%q,"code":%q}}]}`, message, path, code)
}

func TestHasuraWithClerkTokens(t *testing.T) {
	p := newHasuraPair(t, nil)
	alice, bob := "Alice", "Bob"
	p.fh.Seed(
		clerkhasuratest.UserRow{ID: "user_alice", Name: &alice, LastSeenText: "2024-05-01T10:20:30.5"},
		clerkhasuratest.UserRow{ID: "user_bob", Name: &bob},
	)
	q := `{"query":"{ users { id name last_seen } }"}`
	assert.Equal(t, `{"data":{"users":[{"id":"user_alice","name":"Alice","last_seen":"2024-05-01T10:20:30.5"}]}}`, p.as(t, "user_alice", q))
	assert.Equal(t, `{"data":{"users":[{"id":"user_bob","name":"Bob","last_seen":null}]}}`, p.as(t, "user_bob", q))
	assert.Equal(t, `{"data":{"users_by_pk":null}}`, p.as(t, "user_alice", `{"query":"{ users_by_pk(id: \"user_bob\") { id } }"}`))
	assert.Equal(t, hasuraErr("check constraint of an insert/update permission has failed", "$.selectionSet.insert_users_one.args.object", "permission-error"),
		p.as(t, "user_alice", `{"query":"mutation { insert_users_one(object: {id: \"user_mallory\"}) { id } }"}`))
	assert.Equal(t, `{"data":{"update_users":{"affected_rows" : 1, "returning" : [{"id":"user_alice","last_seen":"2026-11-26T12:00:00"}]}}}`,
		p.as(t, "user_alice", `{"query":"mutation { update_users(where: {}, _set: {last_seen: \"now()\"}) { affected_rows returning { id last_seen } } }"}`))
	row, ok := p.fh.Row("user_alice")
	require.True(t, ok)
	assert.Equal(t, "2026-11-26T12:00:00", row.LastSeenText)
	assert.Equal(t, p.clock.Now(), *row.LastSeen)
}

func TestHasuraTokenExpiry(t *testing.T) {
	p := newHasuraPair(t, nil)
	tok := p.clerk.TemplateToken(p.clerk.CreateSession("user_alice"), "hasura")
	q := `{"query":"{ users { id } }"}`
	p.clock.Advance(59 * time.Second)
	_, body := hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
	assert.Equal(t, `{"data":{"users":[]}}`, body)
	p.clock.Advance(time.Second)
	_, body = hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
	assert.Equal(t, hasuraErr("Could not verify JWT: JWTExpired", "$", "invalid-jwt"), body)
	assert.NotContains(t, body, tok)
}

func TestHasuraJWTSecret(t *testing.T) {
	p := newHasuraPair(t, &clerkhasuratest.HasuraOptions{JWTSecret: `{"jwk_url":%q,"allowed_skew":30,"issuer":"` + clerkhasuratest.DefaultIssuer + `"}`})
	tok := p.clerk.TemplateToken(p.clerk.CreateSession("user_alice"), "hasura")
	q := `{"query":"{ users { id } }"}`
	p.clock.Advance(89 * time.Second)
	_, body := hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
	assert.Equal(t, `{"data":{"users":[]}}`, body, "60 s lifetime plus 30 s of allowed skew")
	p.clock.Advance(time.Second)
	_, body = hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
	assert.Equal(t, hasuraErr("Could not verify JWT: JWTExpired", "$", "invalid-jwt"), body)

	other := newHasuraPair(t, &clerkhasuratest.HasuraOptions{JWTSecret: `{"jwk_url":%q,"issuer":"https://clerk.elsewhere.test"}`})
	_, body = hasuraPost(t, other.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + other.clerk.TemplateToken(other.clerk.CreateSession("u"), "hasura")})
	assert.Equal(t, hasuraErr("Could not verify JWT: JWTNotInIssuer", "$", "invalid-jwt"), body)
}

// longTemplate is the Hasura template with a ten-minute lifetime, so that
// tokens outlive the JWKS cache.
func longTemplate() clerkhasuratest.Template {
	tpl := clerkhasuratest.HasuraTemplate()
	tpl.Lifetime = 10 * time.Minute
	return tpl
}

func TestHasuraKeyRotation(t *testing.T) {
	p := newHasuraPair(t, nil)
	p.clerk.SetTemplate("long", longTemplate())
	q := `{"query":"{ users { id } }"}`
	auth := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	before := p.clerk.Stats().JWKSRequests
	oldKID := p.clerk.KeyIDs()[0]
	oldTok := p.clerk.TemplateToken(p.clerk.CreateSession("user_alice"), "long")
	p.clerk.RotateKey()
	newTok := p.clerk.TemplateToken(p.clerk.CreateSession("user_alice"), "long")
	for i := 0; i < 3; i++ {
		_, body := hasuraPost(t, p.fh.Endpoint(), q, auth(newTok))
		assert.Equal(t, `{"data":{"users":[]}}`, body)
	}
	assert.Equal(t, before+1, p.clerk.Stats().JWKSRequests, "one refetch for the new kid")
	assert.Equal(t, p.clerk.Stats().JWKSRequests, p.fh.Stats().JWKSFetches)

	p.clerk.DropKey(oldKID)
	_, body := hasuraPost(t, p.fh.Endpoint(), q, auth(oldTok))
	assert.Equal(t, `{"data":{"users":[]}}`, body, "the cached set still holds the dropped key")
	p.clock.Advance(jwksMaxAge)
	_, body = hasuraPost(t, p.fh.Endpoint(), q, auth(oldTok))
	assert.Equal(t, hasuraErr("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt"), body, "the set fetched after max-age lacks it")
	_, body = hasuraPost(t, p.fh.Endpoint(), q, auth(newTok))
	assert.Equal(t, `{"data":{"users":[]}}`, body)
}

// jwksMaxAge is the max-age of the fake Clerk's public JWKS.
const jwksMaxAge = 60 * time.Second

func TestHasuraStrictJWKSRefresh(t *testing.T) {
	p := newHasuraPair(t, &clerkhasuratest.HasuraOptions{StrictJWKSRefresh: true})
	q := `{"query":"{ users { id } }"}`
	p.clerk.RotateKey()
	tok := p.clerk.TemplateToken(p.clerk.CreateSession("user_alice"), "hasura")
	_, body := hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
	assert.Equal(t, hasuraErr("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt"), body)
	p.clock.Advance(jwksMaxAge - time.Second)
	tok = p.clerk.TemplateToken(p.clerk.CreateSession("user_alice"), "hasura")
	_, body = hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
	assert.Equal(t, hasuraErr("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt"), body)
	p.clock.Advance(time.Second)
	tok = p.clerk.TemplateToken(p.clerk.CreateSession("user_alice"), "hasura")
	_, body = hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
	assert.Equal(t, `{"data":{"users":[]}}`, body, "the set expired after max-age and was fetched again")
}
