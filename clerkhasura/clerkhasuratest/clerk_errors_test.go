package clerkhasuratest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestClerkNotFound(t *testing.T) {
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	clock := clerkhasuratest.NewClock(start)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	revoked := fc.CreateSession("user_1")
	fc.RevokeSession(revoked)
	active := fc.CreateSession("user_1")
	expired := fc.CreateSession("user_1")

	for _, tc := range []struct {
		name, session, template string
		later                   time.Duration
	}{
		{name: "unknown session", session: "sess_unknown", template: "hasura"},
		{name: "unknown session, session token", session: "sess_unknown"},
		{name: "revoked session", session: revoked, template: "hasura"},
		{name: "revoked session, session token", session: revoked},
		{name: "unknown template", session: active, template: "nope"},
		{name: "expired session", session: expired, template: "hasura", later: 7 * 24 * time.Hour},
	} {
		t.Run(tc.name, func(t *testing.T) {
			clock.Set(start.Add(tc.later))
			_, err := fc.SessionClient().CreateToken(context.Background(), &session.CreateTokenParams{
				ID: tc.session, TemplateName: tc.template,
			})
			apiErr := apiError(t, err)
			assert.Equal(t, http.StatusNotFound, apiErr.HTTPStatusCode)
			require.Len(t, apiErr.Errors, 1)
			assert.Equal(t, clerk.Error{Code: "resource_not_found", Message: "not found", LongMessage: "Resource not found"}, apiErr.Errors[0])
			assert.NotEmpty(t, apiErr.TraceID)
			assert.Equal(t, apiErr.TraceID, apiErr.Response.TraceID, "body and Clerk-Trace-Id header agree")
		})
	}

	clock.Set(start)
	_, err := fc.SessionClient().Get(context.Background(), "sess_unknown")
	assert.Equal(t, http.StatusNotFound, apiError(t, err).HTTPStatusCode)
	_, err = fc.SessionClient().Revoke(context.Background(), &session.RevokeParams{ID: "sess_unknown"})
	assert.Equal(t, http.StatusNotFound, apiError(t, err).HTTPStatusCode)
	got, err := fc.SessionClient().Get(context.Background(), active)
	require.NoError(t, err)
	assert.Equal(t, "active", got.Status)
}

func TestClerkUnauthorized(t *testing.T) {
	const key = "sk_test_theRightOne"
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{SecretKey: key})
	sid := fc.CreateSession("user_1")
	assert.Equal(t, key, fc.SecretKey())

	for _, tc := range []struct{ name, auth string }{
		{"no header", ""},
		{"wrong key", "Bearer sk_test_theWrongOne"},
		{"no scheme", key},
		{"lower-case scheme", "bearer " + key},
		{"key prefix", "Bearer " + key[:len(key)-1]},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cfg := fc.BackendConfig()
			cfg.HTTPClient = &http.Client{Transport: setAuth{tc.auth}}
			_, err := session.NewClient(&clerk.ClientConfig{BackendConfig: cfg}).CreateToken(
				context.Background(), &session.CreateTokenParams{ID: sid, TemplateName: "hasura"})
			apiErr := apiError(t, err)
			assert.Equal(t, http.StatusUnauthorized, apiErr.HTTPStatusCode)
			assert.Equal(t, "authentication_invalid", apiErr.Errors[0].Code)
			assert.Equal(t, "Unauthorized request", apiErr.Errors[0].Message)
			assert.NotContains(t, string(apiErr.Response.RawJSON), "sk_test_", "the key is never echoed")
			assert.NotContains(t, err.Error(), "sk_test_")
		})
	}
	assert.Equal(t, int64(0), fc.Stats().TokensMinted)

	resp := get(t, fc, fc.APIURL()+"/jwks", "")
	assert.Equal(t, http.StatusUnauthorized, resp.StatusCode, "the Backend API JWKS needs the key")
	resp = get(t, fc, fc.JWKSURL(), "")
	assert.Equal(t, http.StatusOK, resp.StatusCode, "the public JWKS does not")
}

// setAuth replaces the Authorization header the SDK sets.
type setAuth struct{ value string }

func (s setAuth) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Del("Authorization")
	if s.value != "" {
		r.Header.Set("Authorization", s.value)
	}
	return http.DefaultTransport.RoundTrip(r)
}

func TestClerkUnknownRoutes(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	for _, path := range []string{"/v1/users", "/v1", "/v1/sessions/x/tokens/hasura/extra", "/elsewhere"} {
		t.Run(path, func(t *testing.T) {
			resp := get(t, fc, fc.URL()+path, fc.SecretKey())
			assert.Equal(t, http.StatusNotFound, resp.StatusCode)
			body, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			assert.Contains(t, string(body), `"code":"resource_not_found"`)
		})
	}
	t.Run("wrong method", func(t *testing.T) {
		resp := get(t, fc, fc.APIURL()+"/sessions/x/tokens/hasura", fc.SecretKey())
		assert.Equal(t, http.StatusNotFound, resp.StatusCode)
	})
	t.Run("invalid body", func(t *testing.T) {
		req, err := http.NewRequest(http.MethodPost, fc.APIURL()+"/sessions", strings.NewReader("{not json"))
		require.NoError(t, err)
		req.Header.Set("Authorization", "Bearer "+fc.SecretKey())
		resp, err := fc.HTTPClient().Do(req)
		require.NoError(t, err)
		defer resp.Body.Close()
		assert.Equal(t, http.StatusBadRequest, resp.StatusCode)
		body, err := io.ReadAll(resp.Body)
		require.NoError(t, err)
		assert.Contains(t, string(body), `"code":"request_body_invalid"`)
	})
}

func TestClerkFatalfNeverRevealsTokensOrKeys(t *testing.T) {
	for _, tc := range []struct {
		name string
		call func(c *clerkhasuratest.Clerk, revoked string)
		want string
	}{
		{"SessionToken revoked", func(c *clerkhasuratest.Clerk, sid string) { c.SessionToken(sid) }, "not active"},
		{"TemplateToken revoked", func(c *clerkhasuratest.Clerk, sid string) { c.TemplateToken(sid, "hasura") }, "not active"},
		{"TemplateToken unknown template", func(c *clerkhasuratest.Clerk, _ string) {
			c.TemplateToken(c.CreateSession("user_2"), "nope")
		}, "unknown template"},
		{"RevokeSession unknown", func(c *clerkhasuratest.Clerk, _ string) { c.RevokeSession("sess_nope") }, "unknown session"},
		{"CreateSession empty", func(c *clerkhasuratest.Clerk, _ string) { c.CreateSession("") }, "empty user ID"},
		{"DropKey active", func(c *clerkhasuratest.Clerk, _ string) { c.DropKey(c.KeyIDs()[0]) }, "active signing key"},
		{"DropKey unknown", func(c *clerkhasuratest.Clerk, _ string) { c.DropKey("ins_nope") }, "unknown key"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := &fatalRecorder{TB: t}
			var tok, key string
			msg := fatalOf(rec, func() {
				c := clerkhasuratest.NewClerk(rec, nil)
				key = c.SecretKey()
				sid := c.CreateSession("user_1")
				tok = c.TemplateToken(sid, "hasura")
				c.RevokeSession(sid)
				tc.call(c, sid)
			})
			require.NotEmpty(t, tok)
			assert.Contains(t, msg, tc.want)
			assert.True(t, strings.HasPrefix(msg, "clerkhasuratest: "), msg)
			assert.NotContains(t, msg, tok)
			assert.NotContains(t, msg, key)
			assert.NotContains(t, msg, "eyJ", "no JWT in the message")
		})
	}
}
