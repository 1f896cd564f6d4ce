package fakehasura

import (
	"net/http"
	"strings"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v3"
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
func newFixtureWith(t testing.TB, js *jwksServer, mutate ...func(*Config)) *fixture {
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

// TestJWKSNewKidWaitsForMaxAge plays a service that starts signing with a
// key it has just published: as in Hasura, each jwk_url's set is fetched
// again only once its own max-age has run out, so the new key is refused
// until then.
func TestJWKSNewKidWaitsForMaxAge(t *testing.T) {
	clerk, service := newJWKSServer(t), newJWKSServer(t)
	service.set(func(js *jwksServer) { js.cacheControl = "public, max-age=300" })
	list, err := ParseJWTSecrets(`[{"jwk_url":"` + clerk.url() + `","issuer":"` + clerkIss + `"},{"jwk_url":"` + service.url() + `","issuer":"` + apiIss + `"}]`)
	require.NoError(t, err)
	f := newFixtureWith(t, clerk, func(c *Config) { c.JWTSecrets, c.RefetchOnUnknownKID = list, false })
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	require.Equal(t, int64(1), service.hits.Load())

	ed := newEd25519(t)
	f.setNow(epoch.Add(10 * time.Second))
	service.add("service-2", ed)
	fresh := bearer(signAlg(t, jose.EdDSA, ed, "service-2", issued(apiIss)))
	refused := errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt")
	for _, tt := range []struct {
		at   time.Duration
		want string
		hits int64
	}{
		{10 * time.Second, refused, 1},
		{299 * time.Second, refused, 1},
		{300*time.Second - time.Nanosecond, refused, 1},
		{300 * time.Second, aliceOK, 2},
		{301 * time.Second, aliceOK, 2},
	} {
		f.setNow(epoch.Add(tt.at))
		_, body := f.post(usersQuery, fresh)
		assert.Equal(t, tt.want, body, "at +%v", tt.at)
		assert.Equal(t, tt.hits, service.hits.Load(), "service JWKS fetches at +%v", tt.at)
	}
	assert.Equal(t, int64(1), clerk.hits.Load(), "the fake refreshes a set when a request needs it")
	f.setNow(epoch.Add(301 * time.Second))
	_, body := f.post(usersQuery, bearer(sign(t, testKeys(t)[0], "kid-1", issued(clerkIss))))
	assert.Equal(t, aliceOK, body)
	assert.Equal(t, int64(2), clerk.hits.Load(), "Clerk's max-age of 60 s had run out")
	assert.Equal(t, clerk.hits.Load()+service.hits.Load(), f.eng.Stats().JWKSFetches)
}
