package fakehasura

import (
	"crypto/ecdsa"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/sha512"
	"encoding/base64"
	"net/http"
	"strings"
	"testing"

	jose "github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const (
	clerkIss = "https://clerk.example.test"
	apiIss   = "https://api.example.test"
	aliceOK  = `{"data":{"users":[{"id":"user_alice"}]}}`
)

// secretsFixture is a fake whose HASURA_GRAPHQL_JWT_SECRETS is secrets,
// with $JWKS standing for the URL of the fixture's JWKS server.
func secretsFixture(t *testing.T, secrets string, mutate ...func(*Config)) *fixture {
	t.Helper()
	js := newJWKSServer(t)
	list, err := ParseJWTSecrets(strings.ReplaceAll(secrets, "$JWKS", js.url()))
	require.NoError(t, err)
	f := newFixtureWith(t, js, append([]func(*Config){func(c *Config) { c.JWTSecrets = list }}, mutate...)...)
	f.jwks = js
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	return f
}

func bearer(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }

func TestSecretsResolution(t *testing.T) {
	ed := newEd25519(t)
	f := secretsFixture(t, `[{"jwk_url":"$JWKS","issuer":"`+clerkIss+`"},`+staticSecret("Ed25519", pkixPEM(t, ed.Public()), `"issuer":"`+apiIss+`"`)+`]`)
	clerkKey := testKeys(t)[0]
	expired := issued("https://evil.test")
	expired["exp"] = epoch.Unix() - 60
	ambiguous := errBody("Could not verify JWT: Multiple JWTs found", "$", "invalid-headers")
	for _, tt := range []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"Clerk's token", bearer(sign(t, clerkKey, "kid-1", issued(clerkIss))), aliceOK},
		{"a locally signed token", bearer(signAlg(t, jose.EdDSA, ed, "local", issued(apiIss))), aliceOK},
		{"the local issuer with Clerk's key", bearer(sign(t, clerkKey, "kid-1", issued(apiIss))), errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt")},
		{"Clerk's issuer with the local key", bearer(signAlg(t, jose.EdDSA, ed, "kid-1", issued(clerkIss))), errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt")},
		{"an unknown issuer", bearer(sign(t, clerkKey, "kid-1", issued("https://evil.test"))), errBody("Could not verify JWT: JWTNotInIssuer", "$", "invalid-jwt")},
		{"the issuer is checked before exp", bearer(sign(t, clerkKey, "kid-1", expired)), errBody("Could not verify JWT: JWTNotInIssuer", "$", "invalid-jwt")},
		{"no issuer matches both", bearer(sign(t, clerkKey, "kid-1", issued(""))), ambiguous},
		{"an undecodable token matches both", bearer("abc"), ambiguous},
		{"malformed", map[string]string{"Authorization": "Basic abc"}, errBody("Malformed Authorization header", "$", "invalid-headers")},
		{"no token", nil, errBody("Missing 'Authorization' or 'Cookie' header in JWT authentication mode", "$", "invalid-headers")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := f.post(usersQuery, tt.headers)
			assert.Equal(t, tt.want, body)
		})
	}
	tok := sign(t, clerkKey, "kid-1", issued(clerkIss))
	body := f.postHeaders(usersQuery, http.Header{"Authorization": {"Bearer " + tok, "Bearer " + tok}})
	assert.Equal(t, ambiguous, body, "every Authorization header is a token")
}

func TestTwoAuthorizationHeaders(t *testing.T) {
	f := newFixture(t)
	tok := f.token("user_alice")
	body := f.postHeaders(usersQuery, http.Header{"Authorization": {"Bearer " + tok, "Bearer " + tok}})
	assert.Equal(t, errBody("Could not verify JWT: Multiple JWTs found", "$", "invalid-headers"), body,
		"one secret, two tokens: ambiguous too")
}

func TestSecretsUnauthorizedRole(t *testing.T) {
	f := secretsFixture(t, `[{"jwk_url":"$JWKS","issuer":"`+clerkIss+`"},`+staticSecret("HS256", hmacSecret, `"issuer":"`+apiIss+`"`)+`]`,
		func(c *Config) { c.UnauthorizedRole = "anonymous" })
	_, body := f.post(`{"query":"{ __typename }"}`, nil)
	assert.Equal(t, `{"data":{"__typename":"query_root"}}`, body, "no token: the unauthorized role")
	_, body = f.post(`{"query":"{ __typename }"}`, bearer(sign(t, testKeys(t)[0], "kid-1", issued("https://evil.test"))))
	assert.Equal(t, errBody("Could not verify JWT: JWTNotInIssuer", "$", "invalid-jwt"), body,
		"a token no secret's issuer matches is refused, not run as the unauthorized role")
}

func TestSecretWithoutIssuer(t *testing.T) {
	f := secretsFixture(t, `[{"jwk_url":"$JWKS"},`+staticSecret("HS256", hmacSecret, `"issuer":"`+apiIss+`"`)+`]`)
	ambiguous := errBody("Could not verify JWT: Multiple JWTs found", "$", "invalid-headers")
	_, body := f.post(usersQuery, bearer(signAlg(t, jose.HS256, []byte(hmacSecret), "", issued(apiIss))))
	assert.Equal(t, ambiguous, body, "a secret without an issuer matches every token")
	_, body = f.post(usersQuery, bearer(sign(t, testKeys(t)[0], "kid-1", issued(clerkIss))))
	assert.Equal(t, aliceOK, body, "only the secret without an issuer matches")
	_, body = f.post(usersQuery, bearer(sign(t, testKeys(t)[0], "kid-1", issued(""))))
	assert.Equal(t, ambiguous, body)
}

func TestRepeatedSecretsCountOnce(t *testing.T) {
	f := secretsFixture(t, `[{"jwk_url":"$JWKS"},{"jwk_url":"$JWKS"}]`)
	_, body := f.post(usersQuery, bearer(f.token("user_alice")))
	assert.Equal(t, aliceOK, body)
	assert.Equal(t, int64(1), f.jwks.hits.Load())
	assert.Equal(t, int64(1), f.eng.Stats().JWKSFetches)
}

func TestSecretsTokenLocations(t *testing.T) {
	f := secretsFixture(t, `[{"jwk_url":"$JWKS","issuer":"`+clerkIss+`","header":{"type":"Cookie","name":"__session"}},`+
		staticSecret("HS256", hmacSecret, `"issuer":"`+apiIss+`","header":{"type":"CustomHeader","name":"x-api-token"}`)+`]`)
	clerkTok := sign(t, testKeys(t)[0], "kid-1", issued(clerkIss))
	apiTok := signAlg(t, jose.HS256, []byte(hmacSecret), "", issued(apiIss))
	missing := errBody("Missing 'Authorization' or 'Cookie' header in JWT authentication mode", "$", "invalid-headers")
	for _, tt := range []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"cookie", map[string]string{"Cookie": "a=b; __session=" + clerkTok}, aliceOK},
		{"custom header", map[string]string{"X-Api-Token": apiTok}, aliceOK},
		{"both", map[string]string{"Cookie": "__session=" + clerkTok, "X-Api-Token": apiTok}, errBody("Could not verify JWT: Multiple JWTs found", "$", "invalid-headers")},
		{"Authorization is read by no secret", bearer(clerkTok), missing},
		{"another cookie", map[string]string{"Cookie": "a=b"}, missing},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := f.post(usersQuery, tt.headers)
			assert.Equal(t, tt.want, body)
		})
	}
	_, body := f.post(usersQuery, map[string]string{"X-Api-Token": "Bearer " + apiTok})
	e := decodeError(t, body)
	assert.Equal(t, "invalid-jwt", e.Code, "a custom header's value is the token, with no Bearer")
}

func TestCookieHeader(t *testing.T) {
	js := newJWKSServer(t)
	cfg, err := ParseJWTSecret(`{"jwk_url":"` + js.url() + `","header":{"type":"Cookie","name":"__session"}}`)
	require.NoError(t, err)
	f := newFixture(t, func(c *Config) { c.JWT = cfg })
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	tok := f.token("user_alice")
	missing := errBody("Missing 'Authorization' or 'Cookie' header in JWT authentication mode", "$", "invalid-headers")
	for _, tt := range []struct {
		headers map[string]string
		want    string
	}{
		{map[string]string{"Cookie": "a=b; __session=" + tok}, aliceOK},
		{map[string]string{"Cookie": "a=b"}, missing},
		{map[string]string{"Authorization": "Bearer " + tok}, missing},
	} {
		_, body := f.post(usersQuery, tt.headers)
		assert.Equal(t, tt.want, body)
	}
}

func TestStaticKeys(t *testing.T) {
	rsaKey := testKeys(t)[2]
	p256, p384, ed := newEC(t, elliptic.P256()), newEC(t, elliptic.P384()), newEd25519(t)
	invalidSig := errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt")
	for _, tt := range []struct {
		name, secret string
		alg          jose.SignatureAlgorithm
		key          any
		want         string
	}{
		{"HS256", staticSecret("HS256", hmacSecret, ""), jose.HS256, []byte(hmacSecret), aliceOK},
		{"HS512 token, HS256 key", staticSecret("HS256", hmacSecret, ""), jose.HS512, []byte(hmacSecret), aliceOK},
		{"HS256, another secret", staticSecret("HS256", hmacSecret, ""), jose.HS256, []byte(strings.ToUpper(hmacSecret)), invalidSig},
		{"HS256 key, RS256 token", staticSecret("HS256", hmacSecret, ""), jose.RS256, rsaKey, invalidSig},
		{"RS256", staticSecret("RS256", pkixPEM(t, &rsaKey.PublicKey), ""), jose.RS256, rsaKey, aliceOK},
		{"RS256 certificate", staticSecret("RS256", certPEM(t, rsaKey), ""), jose.RS256, rsaKey, aliceOK},
		{"ES256", staticSecret("ES256", pkixPEM(t, &p256.PublicKey), ""), jose.ES256, p256, aliceOK},
		{"ES384", staticSecret("ES384", pkixPEM(t, &p384.PublicKey), ""), jose.ES384, p384, aliceOK},
		{"Ed25519", staticSecret("Ed25519", pkixPEM(t, ed.Public()), ""), jose.EdDSA, ed, aliceOK},
		{"Ed25519, another key", staticSecret("Ed25519", pkixPEM(t, ed.Public()), ""), jose.EdDSA, newEd25519(t), invalidSig},
	} {
		t.Run(tt.name, func(t *testing.T) {
			f := secretsFixture(t, "["+tt.secret+"]")
			_, body := f.post(usersQuery, bearer(signAlg(t, tt.alg, tt.key, "", issued(""))))
			assert.Equal(t, tt.want, body)
			assert.Zero(t, f.jwks.hits.Load(), "a static key fetches nothing")
			assert.Zero(t, f.eng.Stats().JWKSFetches)
		})
	}
}

// TestECAlgorithmNeedsItsCurve signs an ES384 token with a P-256 key:
// Go's ecdsa.Verify would accept it (it truncates the hash), jose does
// not, for it pairs ES384 with P-384 only.
func TestECAlgorithmNeedsItsCurve(t *testing.T) {
	p256 := newEC(t, elliptic.P256())
	js := newJWKSServer(t)
	js.add("ec", p256)
	f := newFixtureWith(t, js)
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	enc := base64.RawURLEncoding
	signing := enc.EncodeToString([]byte(`{"alg":"ES384","kid":"ec"}`)) + "." + enc.EncodeToString(must(jsonBytes(issued(""))))
	sum := sha512.Sum384([]byte(signing))
	r, s, err := ecdsa.Sign(rand.Reader, p256, sum[:])
	require.NoError(t, err)
	sig := make([]byte, 64)
	r.FillBytes(sig[:32])
	s.FillBytes(sig[32:])
	_, body := f.post(usersQuery, bearer(signing+"."+enc.EncodeToString(sig)))
	assert.Equal(t, errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt"), body)
	assert.True(t, ecdsa.Verify(&p256.PublicKey, sum[:], r, s), "Go alone accepts the signature")
}

func TestJWKSKeyTypes(t *testing.T) {
	p256, ed := newEC(t, elliptic.P256()), newEd25519(t)
	js := newJWKSServer(t)
	js.add("ec", p256)
	js.add("okp", ed)
	f := newFixtureWith(t, js)
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	for _, tok := range []string{
		signAlg(t, jose.ES256, p256, "ec", issued("")),
		signAlg(t, jose.EdDSA, ed, "okp", issued("")),
		signAlg(t, jose.EdDSA, ed, "", issued("")),
	} {
		_, body := f.post(usersQuery, bearer(tok))
		assert.Equal(t, aliceOK, body)
	}
}

// FuzzResolveHeaders sends arbitrary token headers to several secrets: the
// engine must never panic, and answers with data or one error with
// Hasura's code.
func FuzzResolveHeaders(f *testing.F) {
	clerkTok := sign(f, testKeys(f)[0], "kid-1", issued(clerkIss))
	apiTok := signAlg(f, jose.HS256, []byte(hmacSecret), "", issued(apiIss))
	for _, seed := range [][3]string{
		{"Bearer " + clerkTok, "", ""},
		{"Bearer " + apiTok, "__session=" + clerkTok, ""},
		{"", "", apiTok},
		{"Bearer a.eyJpc3MiOjF9.c", "__session=a.b.c; __session=d", "x.e30.y"},
		{"Bearer \xa0 x", "", "Bearer " + apiTok},
	} {
		f.Add(seed[0], seed[1], seed[2])
	}
	js := newJWKSServer(f)
	list := must(ParseJWTSecrets(`[{"jwk_url":"` + js.url() + `","issuer":"` + clerkIss + `"},` +
		staticSecret("HS256", hmacSecret, `"issuer":"`+apiIss+`","header":{"type":"CustomHeader","name":"X-Api-Token"}`) + `,` +
		`{"jwk_url":"` + js.url() + `","header":{"type":"Cookie","name":"__session"}}]`))
	fx := newFixtureWith(f, js, func(c *Config) { c.JWTSecrets = list })
	codes := map[string]bool{CodeInvalidJWT: true, CodeInvalidHeaders: true, CodeJWTInvalidClaims: true, CodeJWTMissingRoleClaim: true, CodeAccessDenied: true}
	f.Fuzz(func(t *testing.T, authorization, cookie, custom string) {
		h := http.Header{}
		for name, v := range map[string]string{"Authorization": authorization, "Cookie": cookie, "X-Api-Token": custom} {
			if v != "" {
				h.Set(name, v)
			}
		}
		sess, err := fx.eng.authenticate(h)
		if err != nil {
			assert.True(t, codes[err.Code], "code %q: %s", err.Code, err.Message)
			assert.Equal(t, "$", err.Path)
			return
		}
		assert.Equal(t, "user", sess.Role)
	})
}
