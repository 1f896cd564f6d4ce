package fakehasura

import (
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// longClaims are valid for a day, so the clock can move past JWKS expiries.
func longClaims(user string) map[string]any {
	c := userClaims(user)
	c["exp"] = epoch.Add(24 * time.Hour).Unix()
	return c
}

func TestJWKSCaching(t *testing.T) {
	ok := `{"data":{"users":[]}}`
	tests := []struct {
		name    string
		headers func(js *jwksServer)
		// fetches after a request at epoch, at epoch+29s, at epoch+31s
		// and at epoch+2h (the startup fetch is the first).
		want [4]int64
	}{
		{"max-age", func(js *jwksServer) { js.cacheControl = "public, max-age=30" }, [4]int64{1, 1, 2, 3}},
		{"s-maxage", func(js *jwksServer) { js.cacheControl = "s-maxage=30" }, [4]int64{1, 1, 2, 3}},
		{"no-cache", func(js *jwksServer) { js.cacheControl = "no-cache" }, [4]int64{2, 3, 4, 5}},
		{"no-store", func(js *jwksServer) { js.cacheControl = "no-store, max-age=30" }, [4]int64{2, 3, 4, 5}},
		{"must-revalidate with max-age", func(js *jwksServer) { js.cacheControl = "must-revalidate, max-age=30" }, [4]int64{1, 1, 2, 3}},
		{"must-revalidate alone", func(js *jwksServer) { js.cacheControl = "must-revalidate" }, [4]int64{2, 3, 4, 5}},
		{"expires", func(js *jwksServer) {
			js.cacheControl = ""
			js.expires = epoch.Add(30 * time.Second).Format(http.TimeFormat)
		}, [4]int64{1, 1, 2, 3}},
		{"no headers", func(js *jwksServer) { js.cacheControl = "" }, [4]int64{1, 1, 1, 1}},
		{"unparsable max-age", func(js *jwksServer) { js.cacheControl = "max-age=soon" }, [4]int64{1, 1, 1, 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			js := newJWKSServer(t)
			js.set(tt.headers)
			f := newFixtureWith(t, js)
			tok := sign(t, testKeys(t)[0], "kid-1", longClaims("user_alice"))
			for i, at := range []time.Duration{0, 29 * time.Second, 31 * time.Second, 2 * time.Hour} {
				f.setNow(epoch.Add(at))
				_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + tok})
				require.Equal(t, ok, body)
				assert.Equal(t, tt.want[i], js.hits.Load(), "JWKS fetches after the request at +%v", at)
			}
			assert.Equal(t, js.hits.Load(), f.eng.Stats().JWKSFetches)
		})
	}
}

// newFixtureWith is newFixture over a given JWKS server.
func newFixtureWith(t *testing.T, js *jwksServer, mutate ...func(*Config)) *fixture {
	t.Helper()
	return newFixture(t, append([]func(*Config){func(c *Config) { c.JWT.JWKURL = js.url() }}, mutate...)...)
}

func TestJWKSUnknownKIDRefetch(t *testing.T) {
	js := newJWKSServer(t)
	f := newFixtureWith(t, js)
	require.Equal(t, int64(1), js.hits.Load())
	rotated := sign(t, testKeys(t)[1], "kid-2", longClaims("user_alice"))
	js.add("kid-2", testKeys(t)[1])
	_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + rotated})
	assert.Equal(t, `{"data":{"users":[]}}`, body)
	assert.Equal(t, int64(2), js.hits.Load(), "one refetch for the new kid")

	_, body = f.post(usersQuery, map[string]string{"Authorization": "Bearer " + rotated})
	assert.Equal(t, `{"data":{"users":[]}}`, body)
	assert.Equal(t, int64(2), js.hits.Load(), "the new key is cached")

	bogus := sign(t, testKeys(t)[2], "kid-404", longClaims("user_alice"))
	for i := 0; i < 3; i++ {
		_, body = f.post(usersQuery, map[string]string{"Authorization": "Bearer " + bogus})
		assert.Equal(t, errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt"), body)
	}
	assert.Equal(t, int64(3), js.hits.Load(), "an unknown kid refetches once per key set")
}

func TestJWKSStrictRefresh(t *testing.T) {
	js := newJWKSServer(t)
	f := newFixtureWith(t, js, func(c *Config) { c.RefetchOnUnknownKID = false })
	rotated := sign(t, testKeys(t)[1], "kid-2", longClaims("user_alice"))
	js.add("kid-2", testKeys(t)[1])
	_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + rotated})
	assert.Equal(t, errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt"), body)
	assert.Equal(t, int64(1), js.hits.Load())
	f.setNow(epoch.Add(61 * time.Second))
	_, body = f.post(usersQuery, map[string]string{"Authorization": "Bearer " + rotated})
	assert.Equal(t, `{"data":{"users":[]}}`, body, "the key set expired after max-age=60")
	assert.Equal(t, int64(2), js.hits.Load())
}

func TestJWKSFailures(t *testing.T) {
	js := newJWKSServer(t)
	js.set(func(js *jwksServer) { js.status = http.StatusServiceUnavailable })
	_, err := New(Config{JWT: &JWTConfig{JWKURL: js.url()}})
	require.Error(t, err)
	assert.True(t, strings.HasPrefix(err.Error(), "Non-2xx response on fetching JWK from: "+js.url()), err.Error())

	js.set(func(js *jwksServer) { js.status, js.cacheControl = 0, "no-cache" })
	f := newFixtureWith(t, js)
	js.set(func(js *jwksServer) { js.status = http.StatusInternalServerError })
	_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + f.token("user_alice")})
	assert.Equal(t, `{"data":{"users":[]}}`, body, "a failed refresh keeps the keys")
}

func TestParseJWTSecret(t *testing.T) {
	for _, tt := range []struct {
		secret string
		want   string
	}{
		{`{}`, "Error in $: key and jwk_url both cannot be empty"},
		{`{"jwk_url":"http://x","key":"k","type":"RS256"}`, "Error in $: key, jwk_url both cannot be present"},
		{`{"jwk_url":"http://x","claims_namespace":"a","claims_namespace_path":"$.a"}`, "Error in $: claims_namespace and claims_namespace_path both cannot be set"},
		{`"x"`, "Error in $: parsing JWTConfig failed, expected Object, but encountered String"},
		{`{"type":"RS256","key":"k"}`, "a static key: not emulated by the fake Hasura; use jwk_url"},
		{`{"jwk_url":"http://x","claims_map":{}}`, "claims_map: not emulated by the fake Hasura"},
		{`{"jwk_url":"http://x","header":{"type":"CustomHeader","name":"X-Token"}}`, "header type CustomHeader: not emulated by the fake Hasura"},
	} {
		_, err := ParseJWTSecret(tt.secret)
		require.Error(t, err, tt.secret)
		assert.Equal(t, tt.want, err.Error(), tt.secret)
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

func TestCookieHeader(t *testing.T) {
	js := newJWKSServer(t)
	cfg, err := ParseJWTSecret(`{"jwk_url":"` + js.url() + `","header":{"type":"Cookie","name":"__session"}}`)
	require.NoError(t, err)
	f := newFixture(t, func(c *Config) { c.JWT = cfg })
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	tok := f.token("user_alice")
	for _, tt := range []struct {
		headers map[string]string
		want    string
	}{
		{map[string]string{"Cookie": "a=b; __session=" + tok}, `{"data":{"users":[{"id":"user_alice"}]}}`},
		{map[string]string{"Cookie": "a=b"}, errBody("Could not find __session in Cookie header", "$", "invalid-headers")},
		{map[string]string{"Authorization": "Bearer " + tok}, errBody("Missing 'Authorization' or 'Cookie' header in JWT authentication mode", "$", "invalid-headers")},
	} {
		_, body := f.post(usersQuery, tt.headers)
		assert.Equal(t, tt.want, body)
	}
}
