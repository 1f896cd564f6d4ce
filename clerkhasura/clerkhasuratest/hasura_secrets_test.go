package clerkhasuratest_test

import (
	"crypto/ed25519"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"testing"
	"time"

	"github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// TestHasuraJWTSecrets is the third rung of the scale ladder: Hasura
// trusts Clerk's JWKS and a service's own Ed25519 key at once, telling
// them apart by issuer.
func TestHasuraJWTSecrets(t *testing.T) {
	const serviceIss = "https://api.example.test"
	clock := clerkhasuratest.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	keyPEM, err := json.Marshal(string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der})))
	require.NoError(t, err)
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWTSecrets: `[{"jwk_url":"` + fc.JWKSURL() + `","issuer":"` + clerkhasuratest.DefaultIssuer + `"},` +
			`{"type":"Ed25519","key":` + string(keyPEM) + `,"issuer":"` + serviceIss + `"}]`,
		// Ignored, as Hasura ignores HASURA_GRAPHQL_JWT_SECRET beside the
		// list: with it, no token here would carry its claims.
		JWTSecret: `{"jwk_url":"` + fc.JWKSURL() + `","claims_namespace":"elsewhere"}`,
		Clock:     clock,
	})
	fh.Seed(clerkhasuratest.UserRow{ID: "user_alice"})
	local := func(iss string) string {
		signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.EdDSA, Key: priv}, (&jose.SignerOptions{}).WithType("JWT"))
		require.NoError(t, err)
		claims, err := json.Marshal(map[string]any{
			"iss": iss, "sub": "user_alice", "exp": clock.Now().Add(time.Minute).Unix(),
			"https://hasura.io/jwt/claims": map[string]any{
				"x-hasura-user-id": "user_alice", "x-hasura-default-role": "user", "x-hasura-allowed-roles": []string{"user"},
			},
		})
		require.NoError(t, err)
		obj, err := signer.Sign(claims)
		require.NoError(t, err)
		tok, err := obj.CompactSerialize()
		require.NoError(t, err)
		return tok
	}
	q := `{"query":"{ users { id } }"}`
	ok := `{"data":{"users":[{"id":"user_alice"}]}}`
	for _, tt := range []struct {
		name, token, want string
	}{
		{"Clerk's template token", fc.TemplateToken(fc.CreateSession("user_alice"), "hasura"), ok},
		{"the service's token", local(serviceIss), ok},
		{"the service's key under Clerk's issuer", local(clerkhasuratest.DefaultIssuer), hasuraErr("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt")},
		{"an issuer no secret names", local("https://elsewhere.test"), hasuraErr("Could not verify JWT: JWTNotInIssuer", "$", "invalid-jwt")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := hasuraPost(t, fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tt.token})
			assert.Equal(t, tt.want, body)
		})
	}
	assert.Equal(t, int64(1), fh.Stats().JWKSFetches, "the static key is never fetched")
}
