package clerkhasura_test

import (
	"encoding/base64"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestMiddlewareRequiresExpiry(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	signer := newMWSigner(t)
	w := newMWWorld(t, &clerkhasura.MiddlewareOptions{JWKSClient: signer.JWKSClient})
	w.clock.Set(now)

	resp := w.get(t, "/claims", bearer(signer.sign(t, sessionClaims(now))))
	require.Equal(t, http.StatusOK, resp.status, resp.raw)

	resp = w.get(t, "/claims", bearer(signer.sign(t, claimsWith(sessionClaims(now), map[string]any{"exp": nil}))))
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, "session token has no expiry", resp.body["message"])
	assert.Equal(t, int64(1), w.reached.Load(), "the handler ran for the token without exp")
}

func pk(prefix, decoded string) string {
	return prefix + base64.StdEncoding.EncodeToString([]byte(decoded))
}

func TestMiddlewareIssuer(t *testing.T) {
	const proxy = "https://app.example.com/__clerk"
	cases := []struct {
		name   string
		issuer string // the option
		iss    string // the token's claim; empty: the fake Clerk's
		reason string // empty: accepted
	}{
		{"Frontend API URL", clerkhasuratest.DefaultIssuer, "", ""},
		{"Frontend API URL with a trailing slash", clerkhasuratest.DefaultIssuer + "/", "", ""},
		{"publishable key", clerkhasuratest.NewClerk(t, nil).PublishableKey(), "", ""},
		{"live publishable key", pk("pk_live_", "clerk.clerkhasura.test$"), "", ""},
		{"unpadded publishable key", "pk_test_" + base64.RawStdEncoding.EncodeToString([]byte("clerk.clerkhasura.test$")), "", ""},
		{"another instance's URL", "https://clerk.other.test", "", "session token from an unexpected issuer"},
		{"another instance's key", pk("pk_test_", "clerk.other.test$"), "", "session token from an unexpected issuer"},
		{"a lookalike issuer", clerkhasuratest.DefaultIssuer, clerkhasuratest.DefaultIssuer + ".evil.example", "session token from an unexpected issuer"},
		{"a prefix of the issuer", clerkhasuratest.DefaultIssuer, "https://clerk.clerkhasura.tes", "session token from an unexpected issuer"},
		{"proxy URL", proxy, proxy, ""},
		{"not set: any Clerk-looking issuer", "", "https://clerk.other.test", ""},
		{"not set: a proxy's issuer", "", proxy, "session token from an unexpected issuer"},
	}
	now := time.Unix(1_800_000_000, 0)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			signer := newMWSigner(t)
			w := newMWWorld(t, &clerkhasura.MiddlewareOptions{JWKSClient: signer.JWKSClient, Issuer: tc.issuer})
			w.clock.Set(now)
			iss := tc.iss
			if iss == "" {
				iss = clerkhasuratest.DefaultIssuer
			}
			tok := signer.sign(t, claimsWith(sessionClaims(now), map[string]any{"iss": iss}))

			resp := w.get(t, "/claims", bearer(tok))
			if tc.reason == "" {
				assert.Equal(t, http.StatusOK, resp.status, resp.raw)
				return
			}
			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, tc.reason, resp.body["message"])
		})
	}
}

func TestClerkPublishableKeyNamesItsIssuer(t *testing.T) {
	assert.Equal(t, pk("pk_test_", "clerk.clerkhasura.test$"), clerkhasuratest.NewClerk(t, nil).PublishableKey())
	other := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Issuer: "https://clerk.other.test"})
	assert.Equal(t, pk("pk_test_", "clerk.other.test$"), other.PublishableKey())
}

func TestNewMiddlewareRefusesABadIssuer(t *testing.T) {
	tokens := clerkhasura.NewSessionTokens(nil, "hasura", nil)
	t.Cleanup(func() { tokens.Close() })
	for _, issuer := range []string{
		"clerk.example.com",                 // no scheme
		"ftp://clerk.example.com",           // not http(s)
		"https://user:pw@clerk.example.com", // user info
		"https://clerk.example.com?x=1",     // query
		"pk_test_%%%",                       // not base64
		pk("pk_test_", "clerk.example.com"), // no "$"
		pk("pk_live_", "$"),                 // no host
		pk("pk_test_", "evil.example/path?$"),
		pk("pk_test_", "user@evil.example$"),
	} {
		t.Run(issuer, func(t *testing.T) {
			m, err := clerkhasura.NewMiddleware("https://h.example/v1/graphql", tokens,
				&clerkhasura.MiddlewareOptions{Issuer: issuer})
			assert.Nil(t, m)
			require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
			var ie *clerkhasura.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "MiddlewareOptions.Issuer", ie.Field)
			assert.NotContains(t, err.Error(), issuer, "the value is quoted")
		})
	}
}
