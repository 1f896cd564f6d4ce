package fakehasura

import (
	"crypto/ecdh"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/x509"
	"encoding/json"
	"encoding/pem"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseJWTSecret(t *testing.T) {
	for _, tt := range []struct {
		secret string
		want   string
	}{
		{`{}`, "Error in $: key and jwk_url both cannot be empty"},
		{`{"key":null,"jwk_url":null}`, "Error in $: key and jwk_url both cannot be empty"},
		{`{"jwk_url":"http://x","key":"k","type":"RS256"}`, "Error in $: key, jwk_url both cannot be present"},
		{`{"jwk_url":"http://x","claims_namespace":"a","claims_namespace_path":"$.a"}`, "Error in $: claims_namespace and claims_namespace_path both cannot be set"},
		{`"x"`, "Error in $: parsing JWTConfig failed, expected Object, but encountered String"},
		{`{"key":7}`, "Error in $.key: parsing Text failed, expected String, but encountered Number"},
		{`{"key":"` + hmacSecret + `"}`, `Error in $: key "type" not found`},
		{`{"key":"` + hmacSecret + `","type":256}`, "Error in $.type: parsing Text failed, expected String, but encountered Number"},
		{`{"type":"PS256","key":"k"}`, "Error in $: Invalid JWK: Key type: PS256 is not supported"},
		{`{"type":"EdDSA","key":"k"}`, "Error in $: Invalid JWK: Key type: EdDSA is not supported"},
		{`{"type":"HS256","key":"0123456789abcdef0123456789abcde"}`, "Error in $: Invalid JWK: Key size too small; should be atleast 32 characters"},
		{`{"type":"HS512","key":"` + hmacSecret + `"}`, "Error in $: Invalid JWK: Key size too small; should be atleast 64 characters"},
		{`{"type":"RS256","key":"not a pem"}`, "Error in $: Invalid JWK: Could not decode PEM: No pem found"},
		{`{"jwk_url":"http://x","issuer":7}`, "Error in $.issuer: parsing StringOrURI failed, expected String, but encountered Number"},
		{`{"jwk_url":"http://x","issuer":"bad uri: yes"}`, "Error in $.issuer: failed to parse StringOrURI"},
		{`{"jwk_url":"http://x","claims_map":{}}`, "claims_map: not emulated by the fake Hasura"},
		{`{"jwk_url":"http://x","header":{"type":"Bearer"}}`, "Error in $.header: expected 'type' is 'Authorization' or 'Cookie' or 'CustomHeader'"},
		{`{"jwk_url":"http://x","header":{}}`, `Error in $.header: key "type" not found`},
		{`{"jwk_url":"http://x","header":{"type":"CustomHeader"}}`, `Error in $.header: key "name" not found`},
		// Hasura reads every field before it checks the combinations.
		{`{"header":{"type":"x"}}`, "Error in $.header: expected 'type' is 'Authorization' or 'Cookie' or 'CustomHeader'"},
	} {
		_, err := ParseJWTSecret(tt.secret)
		require.Error(t, err, tt.secret)
		assert.Equal(t, tt.want, err.Error(), tt.secret)
		assert.NotContains(t, err.Error(), hmacSecret[:31], "key material must not appear")
	}
	c, err := ParseJWTSecret(`{"jwk_url":"http://x/jwks","claims_namespace_path":"$.hasura['claims']","claims_format":"stringified_json","audience":["a","b"],"issuer":"https://i","allowed_skew":2.5,"header":{"type":"Cookie","name":"__session"}}`)
	require.NoError(t, err)
	assert.Equal(t, "http://x/jwks", c.JWKURL)
	assert.Equal(t, []string{"hasura", "claims"}, c.path)
	assert.True(t, c.StringifiedClaims)
	assert.Equal(t, []string{"a", "b"}, c.Audience)
	assert.Equal(t, "https://i", c.Issuer)
	assert.Equal(t, 2500*time.Millisecond, c.AllowedSkew)
	assert.Equal(t, "__session", c.CookieName)

	c, err = ParseJWTSecret(`{"jwk_url":"http://x","type":"ignored without a key","header":{"type":"customheader","name":"X-Token"}}`)
	require.NoError(t, err)
	assert.Equal(t, "X-Token", c.HeaderName, "the header type is compared without regard to case")

	c, err = ParseJWTSecret(`{"jwk_url":"http://x","key":null,"header":{"type":"AUTHORIZATION"}}`)
	require.NoError(t, err, "a null key is absent, and the header type ignores case")
	assert.Equal(t, "http://x", c.JWKURL)

	c, err = ParseJWTSecret(staticSecret("HS256", hmacSecret, `"issuer":"myapp"`))
	require.NoError(t, err)
	assert.Equal(t, []byte(hmacSecret), c.Key)
	assert.Empty(t, c.JWKURL)
	assert.Equal(t, "myapp", c.Issuer)
}

func TestParseJWTSecrets(t *testing.T) {
	for _, tt := range []struct {
		secrets string
		want    string
	}{
		{`{"jwk_url":"http://x"}`, "Error in $: parsing [] failed, expected Array, but encountered Object"},
		{`[{"jwk_url":"http://x"},{}]`, "Error in $[1]: key and jwk_url both cannot be empty"},
		{`[{"jwk_url":"http://x","key":"k"}]`, "Error in $[0]: key, jwk_url both cannot be present"},
		{`[{"jwk_url":"http://x"},{"jwk_url":"http://y","issuer":[]}]`, "Error in $[1].issuer: parsing StringOrURI failed, expected String, but encountered Array"},
		{`[{"jwk_url":"http://x"},"x"]`, "Error in $[1]: parsing JWTConfig failed, expected Object, but encountered String"},
		{`[{"jwk_url":"http://x"},{"type":"HS256","key":"short"}]`, "Error in $[1]: Invalid JWK: Key size too small; should be atleast 32 characters"},
	} {
		_, err := ParseJWTSecrets(tt.secrets)
		require.Error(t, err, tt.secrets)
		assert.Equal(t, tt.want, err.Error(), tt.secrets)
	}
	_, err := ParseJWTSecrets(`[]`)
	assert.True(t, errors.Is(err, ErrNotEmulated), "%v", err)

	list, err := ParseJWTSecrets(`[{"jwk_url":"https://clerk.example.test/.well-known/jwks.json","issuer":"https://clerk.example.test"},` + staticSecret("HS256", hmacSecret, `"issuer":"https://api.example.test"`) + `]`)
	require.NoError(t, err)
	require.Len(t, list, 2)
	assert.Equal(t, "https://clerk.example.test", list[0].Issuer)
	assert.Equal(t, []byte(hmacSecret), list[1].Key)
}

func TestParseStaticKeyTypes(t *testing.T) {
	rsaKey := testKeys(t)[0]
	p256, p384 := newEC(t, elliptic.P256()), newEC(t, elliptic.P384())
	ed := newEd25519(t)
	p224 := newEC(t, elliptic.P224())
	x25519, err := ecdh.X25519().GenerateKey(rand.Reader)
	require.NoError(t, err)
	pkcs1 := string(pem.EncodeToMemory(&pem.Block{Type: "RSA PUBLIC KEY", Bytes: x509.MarshalPKCS1PublicKey(&rsaKey.PublicKey)}))
	privateDER, err := x509.MarshalPKCS8PrivateKey(ed)
	require.NoError(t, err)
	private := string(pem.EncodeToMemory(&pem.Block{Type: "PRIVATE KEY", Bytes: privateDER}))
	for _, tt := range []struct {
		name, typ, key string
		want           any
		reason         string
	}{
		{"RSA PKCS#1", "RS256", pkcs1, &rsaKey.PublicKey, ""},
		{"RSA SPKI", "RS512", pkixPEM(t, &rsaKey.PublicKey), &rsaKey.PublicKey, ""},
		{"RSA certificate", "RS256", certPEM(t, rsaKey), &rsaKey.PublicKey, ""},
		{"P-256", "ES256", pkixPEM(t, &p256.PublicKey), &p256.PublicKey, ""},
		{"P-384 certificate", "ES384", certPEM(t, p384), &p384.PublicKey, ""},
		{"Ed25519", "Ed25519", pkixPEM(t, ed.Public()), ed.Public(), ""},
		{"Ed25519 certificate", "Ed25519", certPEM(t, ed), ed.Public(), ""},
		{"type not checked against the key", "RS256", pkixPEM(t, ed.Public()), ed.Public(), ""},
		{"HS384", "HS384", hmacSecret + "0123456789abcdef", []byte(hmacSecret + "0123456789abcdef"), ""},
		{"P-224", "ES256", pkixPEM(t, &p224.PublicKey), nil, "Could not decode PEM: Error getting EC parameters from the public key"},
		{"X25519", "Ed25519", pkixPEM(t, x25519.PublicKey()), nil, "Could not decode PEM: This key type is not supported"},
		{"a private key", "Ed25519", private, nil, "Could not decode PEM: neither a public key nor a certificate"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, reason := parseStaticKey(tt.typ, tt.key)
			assert.Equal(t, tt.reason, reason)
			assert.Equal(t, tt.want, got)
			c, err := ParseJWTSecret(staticSecret(tt.typ, tt.key, ""))
			if tt.reason == "" {
				require.NoError(t, err)
				assert.Equal(t, tt.want, c.Key)
			} else {
				assert.EqualError(t, err, "Error in $: Invalid JWK: "+tt.reason)
			}
		})
	}
}

func TestClaimsLocations(t *testing.T) {
	inner := map[string]any{"x-hasura-user-id": "user_alice", "x-hasura-default-role": "user", "x-hasura-allowed-roles": []string{"user"}}
	for _, tt := range []struct {
		name   string
		secret string
		claims func(c map[string]any)
		want   string
	}{
		{"namespace", `"claims_namespace":"hasura"`, func(c map[string]any) { c["hasura"] = inner }, `{"data":{"users":[{"id":"user_alice"}]}}`},
		{"path", `"claims_namespace_path":"$.app.hasura"`, func(c map[string]any) { c["app"] = map[string]any{"hasura": inner} }, `{"data":{"users":[{"id":"user_alice"}]}}`},
		{"path missing", `"claims_namespace_path":"$.app.hasura"`, func(c map[string]any) {}, errBody("claims not found at claims_namespace_path: '$.app.hasura'", "$", "jwt-invalid-claims")},
		{"stringified", `"claims_format":"stringified_json"`, func(c map[string]any) { c[DefaultClaimsNamespace] = string(must(json.Marshal(inner))) }, `{"data":{"users":[{"id":"user_alice"}]}}`},
		{"stringified not json", `"claims_format":"stringified_json"`, func(c map[string]any) { c[DefaultClaimsNamespace] = "{" }, errBody("expecting stringified json at: 'claims_namespace https://hasura.io/jwt/claims', but found: {", "$", "jwt-invalid-claims")},
		{"stringified not a string", `"claims_format":"stringified_json"`, func(c map[string]any) {}, errBody("expecting a string when claims_format is stringified_json", "$", "jwt-invalid-claims")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			js := newJWKSServer(t)
			cfg, err := ParseJWTSecret(`{"jwk_url":"` + js.url() + `",` + tt.secret + `}`)
			require.NoError(t, err)
			f := newFixture(t, func(c *Config) { c.JWT = cfg })
			require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
			c := userClaims("user_alice")
			tt.claims(c)
			_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + sign(t, testKeys(t)[0], "kid-1", c)})
			assert.Equal(t, tt.want, body)
		})
	}
}
