package clerkhasuratest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestClerkTemplateTokenVerifies(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	ctx := context.Background()

	created, err := fc.SessionClient().Create(ctx, &session.CreateParams{UserID: "user_2abc"})
	require.NoError(t, err)
	require.True(t, strings.HasPrefix(created.ID, "sess_"), created.ID)
	assert.Equal(t, "user_2abc", created.UserID)
	assert.Equal(t, "active", created.Status)

	tok := mint(t, fc, created.ID, "hasura")
	assert.Greater(t, len(tok), 700, "a realistic Hasura token is 800-1000 bytes")
	assert.Less(t, len(tok), 1100)

	claims, err := verify(t, fc, tok)
	require.NoError(t, err)
	assert.Equal(t, "user_2abc", claims.Subject)
	assert.Equal(t, clerkhasuratest.DefaultIssuer, claims.Issuer)
	assert.Equal(t, clerkhasuratest.DefaultAuthorizedParty, claims.AuthorizedParty)
	assert.NotEmpty(t, claims.ID, "jti")
	assert.Empty(t, claims.SessionID, "template tokens carry no sid")
	assert.Equal(t, int64(60), *claims.Expiry-*claims.IssuedAt)
	assert.Equal(t, int64(5), *claims.IssuedAt-*claims.NotBefore)

	header, raw := rawClaims(t, tok)
	assert.Equal(t, "RS256", header.Algorithm)
	assert.Equal(t, "JWT", header.ExtraHeaders["typ"])
	assert.Equal(t, fc.KeyIDs()[0], header.KeyID)
	assert.True(t, strings.HasPrefix(header.KeyID, "ins_"), header.KeyID)
	assert.NotContains(t, raw, "sid")
	assert.NotContains(t, raw, "v")
	assert.ElementsMatch(t, []string{"azp", "exp", "iat", "iss", "jti", "nbf", "sub", "https://hasura.io/jwt/claims"}, keys(raw))
	assert.Equal(t, map[string]any{
		"x-hasura-user-id":       "user_2abc",
		"x-hasura-default-role":  "user",
		"x-hasura-allowed-roles": []any{"user"},
	}, raw["https://hasura.io/jwt/claims"])
}

func TestClerkWellKnownJWKS(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	tok := mint(t, fc, fc.CreateSession("user_1"), "hasura")

	resp := get(t, fc, fc.JWKSURL(), "")
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "public, max-age=60", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Regexp(t, `^\{"keys":\[\{"use":"sig","kty":"RSA","kid":"ins_[0-9A-Za-z]{27}","alg":"RS256","n":"[-_0-9A-Za-z]+","e":"AQAB"\}\]\}$`, string(body))

	var set clerk.JSONWebKeySet
	require.NoError(t, json.Unmarshal(body, &set))
	require.Len(t, set.Keys, 1)
	claims, err := jwt.Verify(context.Background(), &jwt.VerifyParams{Token: tok, JWK: set.Keys[0]})
	require.NoError(t, err)
	assert.Equal(t, "user_1", claims.Subject)

	resp = get(t, fc, fc.APIURL()+"/jwks", fc.SecretKey())
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Empty(t, resp.Header.Get("Cache-Control"), "the Backend API JWKS is not for caches")
	assert.Equal(t, int64(2), fc.Stats().JWKSRequests)
}

func TestClerkOwnClock(t *testing.T) {
	clerkNow := time.Date(2031, 3, 4, 5, 6, 7, 0, time.UTC)
	clock := clerkhasuratest.NewClock(clerkNow)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	sid := fc.CreateSession("user_1")
	_, raw := rawClaims(t, mint(t, fc, sid, "hasura"))
	assert.Equal(t, float64(clerkNow.Unix()), raw["iat"])
	assert.Equal(t, float64(clerkNow.Unix()+60), raw["exp"])

	clock.Advance(10 * time.Minute)
	assert.Equal(t, clerkNow.Add(10*time.Minute), fc.Now())
	_, raw = rawClaims(t, mint(t, fc, sid, "hasura"))
	assert.Equal(t, float64(clerkNow.Add(10*time.Minute).Unix()), raw["iat"])

	got, err := fc.SessionClient().Get(context.Background(), sid)
	require.NoError(t, err)
	assert.Equal(t, clerkNow.UnixMilli(), got.CreatedAt)
	assert.Equal(t, clerkNow.Add(7*24*time.Hour).UnixMilli(), got.ExpireAt)
	assert.Equal(t, clerkNow.Add(30*24*time.Hour).UnixMilli(), got.AbandonAt)

	assert.WithinDuration(t, time.Now(), clerkhasuratest.NewClerk(t, nil).Now(), time.Hour, "no Clock: the host's clock")
}

func TestClerkExpiresInSeconds(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	for _, tc := range []struct {
		name     string
		template string
		seconds  int64
	}{
		{"template", "hasura", 120},
		{"template shortest", "hasura", 30},
		{"session token", "", 300},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tok, err := fc.SessionClient().CreateToken(context.Background(), &session.CreateTokenParams{
				ID: sid, TemplateName: tc.template, ExpiresInSeconds: clerk.Int64(tc.seconds),
			})
			require.NoError(t, err)
			_, raw := rawClaims(t, tok.JWT)
			assert.Equal(t, float64(tc.seconds), raw["exp"].(float64)-raw["iat"].(float64))
		})
	}

	minted := fc.Stats().TokensMinted
	for _, seconds := range []int64{0, 29, 315360001} {
		t.Run(fmt.Sprintf("rejects %d", seconds), func(t *testing.T) {
			_, err := fc.SessionClient().CreateToken(context.Background(), &session.CreateTokenParams{
				ID: sid, TemplateName: "hasura", ExpiresInSeconds: clerk.Int64(seconds),
			})
			apiErr := apiError(t, err)
			assert.Equal(t, http.StatusUnprocessableEntity, apiErr.HTTPStatusCode)
			require.Len(t, apiErr.Errors, 1)
			assert.Equal(t, "form_param_value_invalid", apiErr.Errors[0].Code)
			assert.JSONEq(t, `{"param_name":"expires_in_seconds"}`, string(apiErr.Errors[0].Meta))
		})
	}
	assert.Equal(t, minted, fc.Stats().TokensMinted, "a rejected lifetime mints nothing")
	assert.Equal(t, int64(3), fc.Stats().BadRequests)
}

func TestClerkSessionTokens(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_9")

	for name, tok := range map[string]string{
		"over HTTP": mint(t, fc, sid, ""),
		"direct":    fc.SessionToken(sid),
	} {
		t.Run(name, func(t *testing.T) {
			claims, err := verify(t, fc, tok)
			require.NoError(t, err)
			assert.Equal(t, sid, claims.SessionID)
			assert.Equal(t, "user_9", claims.Subject)
			assert.Equal(t, clerkhasuratest.DefaultAuthorizedParty, claims.AuthorizedParty)
			_, raw := rawClaims(t, tok)
			assert.ElementsMatch(t, []string{"azp", "exp", "iat", "iss", "nbf", "sid", "sub", "v"}, keys(raw))
			assert.Equal(t, float64(2), raw["v"])
			assert.Equal(t, float64(60), raw["exp"].(float64)-raw["iat"].(float64))
		})
	}
	assert.Equal(t, int64(0), fc.Stats().TokensMinted, "session tokens are not template tokens")
}

func TestClerkSessionLifecycle(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	ctx := context.Background()
	client := fc.SessionClient()
	sid := fc.CreateSession("user_1")

	revoked, err := client.Revoke(ctx, &session.RevokeParams{ID: sid})
	require.NoError(t, err)
	assert.Equal(t, "revoked", revoked.Status)

	got, err := client.Get(ctx, sid)
	require.NoError(t, err)
	assert.Equal(t, "revoked", got.Status, "a revoked session stays readable")
	assert.Equal(t, sid, got.ID)
	assert.Equal(t, "session", got.Object)
	assert.True(t, strings.HasPrefix(got.ClientID, "client_"), got.ClientID)

	other := fc.CreateSession("user_2")
	fc.RevokeSession(other)
	got, err = client.Get(ctx, other)
	require.NoError(t, err)
	assert.Equal(t, "revoked", got.Status)
	assert.Equal(t, int64(2), fc.Stats().SessionsRevoked)
}

func TestClerkCreateSessionNeedsUserID(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	_, err := fc.SessionClient().Create(context.Background(), &session.CreateParams{})
	apiErr := apiError(t, err)
	assert.Equal(t, http.StatusUnprocessableEntity, apiErr.HTTPStatusCode)
	assert.Equal(t, "form_param_missing", apiErr.Errors[0].Code)
	assert.Equal(t, int64(1), fc.Stats().BadRequests)
}

func keys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}
