package middleware_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	jose "github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// signerKey is generated once: an RSA key takes a while to make, and
// nothing a test checks depends on which key it is.
var signerKey = sync.OnceValues(func() (*rsa.PrivateKey, error) { return rsa.GenerateKey(rand.Reader, 2048) })

const (
	signerKeyID  = "ins_signer_key"
	signerIssuer = "https://clerk.signer.test"
)

// mwSigner plays a Clerk instance that signs tokens with any claims a test
// needs, such as tokens without nbf or azp, which the fake Clerk never
// mints. Its JWKS is served to the middleware by JWKSClient.
type mwSigner struct {
	signer     jose.Signer
	JWKSClient *jwks.Client
}

func newMWSigner(t *testing.T) *mwSigner {
	t.Helper()
	key, err := signerKey()
	require.NoError(t, err)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key},
		(&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", signerKeyID))
	require.NoError(t, err)

	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{{Key: &key.PublicKey, KeyID: signerKeyID, Algorithm: "RS256", Use: "sig"}}}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/jwks" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(srv.Close)
	// No idle connections outlive a request, so the world's leak check
	// need not wait for this server to close.
	transport := &http.Transport{DisableKeepAlives: true}
	t.Cleanup(transport.CloseIdleConnections)
	return &mwSigner{signer: signer, JWKSClient: jwks.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		HTTPClient: &http.Client{Transport: transport},
		URL:        clerk.String(srv.URL + "/v1"),
		Key:        clerk.String("sk_test_signer"),
	}})}
}

// sign returns a compact JWT of claims.
func (s *mwSigner) sign(t *testing.T, claims map[string]any) string {
	t.Helper()
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	jws, err := s.signer.Sign(payload)
	require.NoError(t, err)
	token, err := jws.CompactSerialize()
	require.NoError(t, err)
	return token
}

// sessionClaims are the claims of a session token of Alice issued at iat
// for the fake Clerk's default frontend, as Clerk shapes them: nbf 10 s
// before iat, exp 60 s after.
func sessionClaims(iat time.Time) map[string]any {
	return map[string]any{
		"iss": signerIssuer,
		"sub": "user_alice",
		"sid": "sess_signer",
		"azp": clerkhasuratest.DefaultAuthorizedParty,
		"iat": iat.Unix(),
		"nbf": iat.Add(-10 * time.Second).Unix(),
		"exp": iat.Add(time.Minute).Unix(),
	}
}

// claimsWith returns claims with the changes applied; a nil value deletes a claim.
func claimsWith(claims map[string]any, changes map[string]any) map[string]any {
	out := make(map[string]any, len(claims))
	for k, v := range claims {
		out[k] = v
	}
	for k, v := range changes {
		if v == nil {
			delete(out, k)
			continue
		}
		out[k] = v
	}
	return out
}
