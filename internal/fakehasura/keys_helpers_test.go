package fakehasura

import (
	"crypto"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"crypto/x509"
	"crypto/x509/pkix"
	"encoding/json"
	"encoding/pem"
	"io"
	"math/big"
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/require"
)

// hmacSecret is 32 characters: the least Hasura accepts for HS256.
const hmacSecret = "0123456789abcdef0123456789abcdef"

// algFor is the JWS algorithm a key signs with in these tests.
func algFor(k any) jose.SignatureAlgorithm {
	switch k := k.(type) {
	case *rsa.PrivateKey:
		return jose.RS256
	case *ecdsa.PrivateKey:
		return map[int]jose.SignatureAlgorithm{256: jose.ES256, 384: jose.ES384, 521: jose.ES512}[k.Curve.Params().BitSize]
	case ed25519.PrivateKey:
		return jose.EdDSA
	case []byte:
		return jose.HS256
	}
	panic("no algorithm for the key")
}

// signAlg makes a token with alg, key and kid ("" for none).
func signAlg(t testing.TB, alg jose.SignatureAlgorithm, key any, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT")
	if kid != "" {
		opts = opts.WithHeader("kid", kid)
	}
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: alg, Key: key}, opts)
	require.NoError(t, err)
	obj, err := signer.Sign(must(json.Marshal(claims)))
	require.NoError(t, err)
	return must(obj.CompactSerialize())
}

// issued are userClaims with an iss ("" for none).
func issued(iss string) map[string]any {
	c := longClaims("user_alice")
	delete(c, "iss")
	if iss != "" {
		c["iss"] = iss
	}
	return c
}

func newEC(t testing.TB, c elliptic.Curve) *ecdsa.PrivateKey {
	k, err := ecdsa.GenerateKey(c, rand.Reader)
	require.NoError(t, err)
	return k
}

func newEd25519(t testing.TB) ed25519.PrivateKey {
	_, k, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	return k
}

// pkixPEM is pub as a PEM "PUBLIC KEY" (SubjectPublicKeyInfo).
func pkixPEM(t testing.TB, pub any) string {
	der, err := x509.MarshalPKIXPublicKey(pub)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "PUBLIC KEY", Bytes: der}))
}

// certPEM is a self-signed certificate for k, as PEM.
func certPEM(t testing.TB, k crypto.Signer) string {
	tpl := &x509.Certificate{
		SerialNumber: big.NewInt(1),
		Subject:      pkix.Name{CommonName: "hasura-test"},
		NotBefore:    epoch,
		NotAfter:     epoch.Add(time.Hour),
	}
	der, err := x509.CreateCertificate(rand.Reader, tpl, tpl, k.Public(), k)
	require.NoError(t, err)
	return string(pem.EncodeToMemory(&pem.Block{Type: "CERTIFICATE", Bytes: der}))
}

// staticSecret is a HASURA_GRAPHQL_JWT_SECRET object with a static key.
func staticSecret(typ, key string, extra string) string {
	s := `{"type":` + string(must(json.Marshal(typ))) + `,"key":` + string(must(json.Marshal(key)))
	if extra != "" {
		s += "," + extra
	}
	return s + "}"
}

// postHeaders is fixture.post with headers that may repeat.
func (f *fixture) postHeaders(body string, h http.Header) string {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/v1/graphql", strings.NewReader(body))
	require.NoError(f.t, err)
	req.Header = h
	resp, err := f.srv.Client().Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	return string(must(io.ReadAll(resp.Body)))
}

func jsonBytes(v any) ([]byte, error) { return json.Marshal(v) }
