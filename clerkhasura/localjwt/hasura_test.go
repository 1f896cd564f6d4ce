package localjwt_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

const (
	aliceRows = `{"data":{"users":[{"id":"user_alice"}]}}`
	bobRows   = `{"data":{"users":[{"id":"user_bob"}]}}`
)

// world is a fake Clerk, a service's signer and JWKS, and the clock they
// share.
type world struct {
	clock  *clerkhasuratest.Clock
	fc     *clerkhasuratest.Clerk
	signer *localjwt.Signer
	jwks   *httptest.Server
}

func newWorld(t *testing.T, opts localjwt.Options, jwksOpts *localjwt.JWKSOptions) *world {
	t.Helper()
	w := &world{clock: newClock(epoch)}
	w.fc = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: w.clock})
	w.signer = newSigner(t, w.clock, opts)
	if jwksOpts != nil && jwksOpts.ClerkJWKS == nil {
		jwksOpts.ClerkJWKS = w.fc.JWKSClient()
	}
	w.jwks = httptest.NewServer(w.signer.JWKSHandler(jwksOpts))
	t.Cleanup(w.jwks.Close)
	return w
}

// hasura starts a fake Hasura on the world's clock that refreshes JWKS
// only as Hasura does.
func (w *world) hasura(t *testing.T, opts clerkhasuratest.HasuraOptions) *clerkhasuratest.Hasura {
	t.Helper()
	opts.Clock, opts.StrictJWKSRefresh = w.clock, true
	fh := clerkhasuratest.NewHasura(t, &opts)
	fh.Seed(clerkhasuratest.UserRow{ID: "user_alice"}, clerkhasuratest.UserRow{ID: "user_bob"})
	return fh
}

// local signs a token for a new session of user, through a session token
// verified as a middleware verifies it.
func (w *world) local(t *testing.T, user string) string {
	t.Helper()
	sid := w.fc.CreateSession(user)
	return sourceToken(t, w.signer, sessionClaims(t, w.fc, w.clock, w.fc.SessionToken(sid))).Value
}

func cloudSecrets(clerkJWKS, jwksURL, extra string) string {
	return `[{"jwk_url":"` + clerkJWKS + `","issuer":"` + clerkhasuratest.DefaultIssuer + `"},` +
		`{"jwk_url":"` + jwksURL + `","issuer":"` + testIssuer + `"` + extra + `}]`
}

// TestHasuraCloudSecrets: Hasura Cloud and EE trust Clerk's template
// tokens and the service's tokens at once, told apart by issuer.
func TestHasuraCloudSecrets(t *testing.T) {
	w := newWorld(t, localjwt.Options{Audience: "hasura-api"}, nil)
	fh := w.hasura(t, clerkhasuratest.HasuraOptions{
		JWTSecrets: cloudSecrets(w.fc.JWKSURL(), w.jwks.URL, `,"audience":"hasura-api"`),
	})
	alice := w.local(t, "user_alice")
	assert.Equal(t, aliceRows, query(t, fh, alice))
	assert.Equal(t, bobRows, query(t, fh, w.local(t, "user_bob")))
	assert.Equal(t, aliceRows, query(t, fh, w.fc.TemplateToken(w.fc.CreateSession("user_alice"), "hasura")), "Clerk's own token")
	assert.Equal(t, `{"errors":[{"message":"Your requested role is not in allowed roles","extensions":{"path":"$","code":"access-denied"}}]}`,
		query(t, fh, alice, "X-Hasura-Role", "admin"), "a local token never becomes admin")
}

// TestHasuraSecretsWithoutIssuers shows why both entries name their
// issuer: without, Clerk's token matches both and is refused.
func TestHasuraSecretsWithoutIssuers(t *testing.T) {
	w := newWorld(t, localjwt.Options{}, nil)
	fh := w.hasura(t, clerkhasuratest.HasuraOptions{
		JWTSecrets: `[{"jwk_url":"` + w.fc.JWKSURL() + `"},{"jwk_url":"` + w.jwks.URL + `"}]`,
	})
	assert.Equal(t, `{"errors":[{"message":"Could not verify JWT: Multiple JWTs found","extensions":{"path":"$","code":"invalid-headers"}}]}`,
		query(t, fh, w.fc.TemplateToken(w.fc.CreateSession("user_alice"), "hasura")))
}

// TestHasuraOpenSourceJWKURL: open-source Hasura, one jwk_url, the
// service's JWKS serving Clerk's keys beside its own.
func TestHasuraOpenSourceJWKURL(t *testing.T) {
	w := newWorld(t, localjwt.Options{}, &localjwt.JWKSOptions{})
	fh := w.hasura(t, clerkhasuratest.HasuraOptions{JWTSecret: `{"jwk_url":"` + w.jwks.URL + `"}`})
	assert.Equal(t, aliceRows, query(t, fh, w.local(t, "user_alice")))
	assert.Equal(t, bobRows, query(t, fh, w.fc.TemplateToken(w.fc.CreateSession("user_bob"), "hasura")), "Clerk's own token")
}

// TestHasuraOpenSourceStaticKey: the public key in the secret verifies
// the service's tokens with no fetch, and Clerk's tokens no longer.
func TestHasuraOpenSourceStaticKey(t *testing.T) {
	k := mustKey(t)
	w := newWorld(t, localjwt.Options{Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: epoch.Add(-time.Hour)}}}, nil)
	pemJSON, err := json.Marshal(string(k.PublicPEM()))
	require.NoError(t, err)
	fh := w.hasura(t, clerkhasuratest.HasuraOptions{JWTSecret: `{"type":"Ed25519","key":` + string(pemJSON) + `,"issuer":"` + testIssuer + `"}`})
	assert.Equal(t, aliceRows, query(t, fh, w.local(t, "user_alice")))
	assert.Equal(t, invalidJWT("JWTNotInIssuer"), query(t, fh, w.fc.TemplateToken(w.fc.CreateSession("user_bob"), "hasura")), "Clerk's own token")
	assert.Zero(t, fh.Stats().JWKSFetches)
}

// TestHasuraKeyRotatedOut follows a rotation through Hasura: the new key
// is accepted from its first token, tokens of the old key keep working
// until they expire, and once the old key has left the JWKS a token it
// signed is refused by its signature.
func TestHasuraKeyRotatedOut(t *testing.T) {
	k1, k2 := mustKey(t), mustKey(t)
	rotation := epoch.Add(10 * time.Minute)
	w := newWorld(t, localjwt.Options{MaxAge: 5 * time.Minute, Lifetime: 5 * time.Minute, Keys: []localjwt.ScheduledKey{
		{Key: k1, SignFrom: epoch.Add(-time.Hour)}, {Key: k2, SignFrom: rotation},
	}}, nil)
	fh := w.hasura(t, clerkhasuratest.HasuraOptions{JWTSecrets: cloudSecrets(w.fc.JWKSURL(), w.jwks.URL, "")})
	kid := func(tok string) string { h, _ := parts(t, tok); return h["kid"].(string) }

	assert.Equal(t, aliceRows, query(t, fh, w.local(t, "user_alice")))
	w.clock.Set(rotation.Add(-time.Second))
	old := w.local(t, "user_alice")
	require.Equal(t, k1.KeyID(), kid(old))

	w.clock.Set(rotation)
	fresh := w.local(t, "user_bob")
	require.Equal(t, k2.KeyID(), kid(fresh))
	assert.Equal(t, bobRows, query(t, fh, fresh), "the new key's first token")
	w.clock.Advance(30 * time.Second)
	assert.Equal(t, aliceRows, query(t, fh, old), "the old key's last token, still valid")

	// Hasura fetched the set at the rotation; its copy expires 5 min on,
	// and it fetches again, the old key still in it.
	w.clock.Set(rotation.Add(5*time.Minute + time.Second))
	assert.Equal(t, invalidJWT("JWTExpired"), query(t, fh, old), "Hasura still holds the old key")
	w.clock.Set(rotation.Add(6 * time.Minute)) // the old key leaves the JWKS
	_, keys := served(t, w.signer.JWKSHandler(nil))
	assert.Equal(t, []string{k2.KeyID()}, kids(keys))
	assert.Equal(t, invalidJWT("JWTExpired"), query(t, fh, old), "Hasura still holds the old key")
	w.clock.Set(rotation.Add(10*time.Minute + time.Second)) // Hasura's copy has expired
	assert.Equal(t, invalidJWT("JWSError JWSInvalidSignature"), query(t, fh, old), "the old key is gone")
	assert.Equal(t, aliceRows, query(t, fh, w.local(t, "user_alice")))
}

// TestHasuraUnfetchedKID: Hasura refuses a kid it has not fetched yet
// until its copy of the JWKS expires. A key listed MaxAge plus a minute
// before it signs is fetched in time, even when Hasura fetched the set
// just before the key was listed.
func TestHasuraUnfetchedKID(t *testing.T) {
	const maxAge = 5 * time.Minute
	k1, k2 := mustKey(t), mustKey(t)
	clock := newClock(epoch)
	listed := epoch.Add(time.Minute)
	before := newSigner(t, clock, localjwt.Options{MaxAge: maxAge, Keys: []localjwt.ScheduledKey{{Key: k1, SignFrom: epoch.Add(-time.Hour)}}})
	var current atomic.Pointer[http.Handler]
	h := before.JWKSHandler(nil)
	current.Store(&h)
	jwksSrv := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) { (*current.Load()).ServeHTTP(rw, r) }))
	t.Cleanup(jwksSrv.Close)

	clock.Set(listed.Add(-time.Second)) // Hasura fetches just before the new list is out
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{JWTSecret: `{"jwk_url":"` + jwksSrv.URL + `"}`, Clock: clock, StrictJWKSRefresh: true})
	fh.Seed(clerkhasuratest.UserRow{ID: "user_alice"})

	clock.Set(listed)
	after := newSigner(t, clock, localjwt.Options{MaxAge: maxAge, Keys: []localjwt.ScheduledKey{
		{Key: k1, SignFrom: epoch.Add(-time.Hour)}, {Key: k2, SignFrom: listed.Add(maxAge + time.Minute)},
	}})
	h = after.JWKSHandler(nil)
	current.Store(&h)
	// A replica that signs with the new key at once, against the rule.
	hasty := newSigner(t, clock, localjwt.Options{Keys: []localjwt.ScheduledKey{{Key: k2, SignFrom: epoch}}})
	impersonate := func(s *localjwt.Signer) string {
		src, err := s.Impersonate(localjwt.HasuraClaims{UserID: "user_alice"})
		require.NoError(t, err)
		return token(t, src).Value
	}

	clock.Advance(10 * time.Second)
	assert.Equal(t, invalidJWT("JWSError JWSInvalidSignature"), query(t, fh, impersonate(hasty)), "a kid Hasura has not fetched")
	assert.Equal(t, aliceRows, query(t, fh, impersonate(after)), "the old key signs meanwhile")

	clock.Set(listed.Add(maxAge + time.Minute))
	tok := impersonate(after)
	hdr, _ := parts(t, tok)
	require.Equal(t, k2.KeyID(), hdr["kid"])
	assert.Equal(t, aliceRows, query(t, fh, tok), "the new key's first token")
}
