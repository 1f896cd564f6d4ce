package localjwt_test

import (
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	jose "github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// publicMembers are the JWK members a public key may have.
var publicMembers = map[string]bool{"kty": true, "crv": true, "x": true, "y": true, "n": true, "e": true, "kid": true, "alg": true, "use": true}

// served fetches the handler's JWKS and returns its response and keys,
// failing the test if any key has a member that is not public.
func served(t *testing.T, h http.Handler) (*http.Response, []map[string]any) {
	t.Helper()
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/.well-known/hasura-jwks.json", nil))
	resp := rec.Result()
	if resp.StatusCode != http.StatusOK {
		return resp, nil
	}
	var set struct {
		Keys []map[string]any `json:"keys"`
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&set))
	for _, k := range set.Keys {
		for member := range k {
			require.True(t, publicMembers[member], "key %v has the member %q", k["kid"], member)
		}
	}
	return resp, set.Keys
}

func kids(keys []map[string]any) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i], _ = k["kid"].(string)
	}
	return out
}

func TestJWKSHandlerServesPublicKeysOnly(t *testing.T) {
	clock := newClock(epoch)
	k := mustKey(t)
	s := newSigner(t, clock, localjwt.Options{MaxAge: 90 * time.Second, Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: epoch.Add(-time.Hour)}}})
	h := s.JWKSHandler(nil)
	resp, keys := served(t, h)
	assert.Equal(t, "max-age=90", resp.Header.Get("Cache-Control"))
	assert.Equal(t, "application/json", resp.Header.Get("Content-Type"))
	pub := k.PublicPEM()
	require.Len(t, keys, 1)
	assert.Equal(t, "OKP", keys[0]["kty"])
	assert.Equal(t, "Ed25519", keys[0]["crv"])
	assert.Equal(t, "EdDSA", keys[0]["alg"])
	assert.Equal(t, "sig", keys[0]["use"])
	assert.Equal(t, k.KeyID(), keys[0]["kid"])
	var jwk jose.JSONWebKey
	raw, err := json.Marshal(keys[0])
	require.NoError(t, err)
	require.NoError(t, jwk.UnmarshalJSON(raw))
	assert.True(t, jwk.IsPublic())
	assert.NotEmpty(t, pub)

	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodHead, "/", nil))
	assert.Equal(t, http.StatusOK, rec.Code)
	rec = httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodPost, "/", strings.NewReader("{}")))
	assert.Equal(t, http.StatusMethodNotAllowed, rec.Code)
	assert.Equal(t, "GET, HEAD", rec.Header().Get("Allow"))
}

// TestJWKSFollowsSchedule: a listed key is published before it signs;
// the old key stays published until its last token has expired.
func TestJWKSFollowsSchedule(t *testing.T) {
	clock := newClock(epoch)
	k1, k2 := mustKey(t), mustKey(t)
	next := epoch.Add(time.Hour)
	s := newSigner(t, clock, localjwt.Options{Lifetime: 5 * time.Minute, Keys: []localjwt.ScheduledKey{
		{Key: k2, SignFrom: next}, {Key: k1, SignFrom: epoch.Add(-time.Hour)},
	}})
	h := s.JWKSHandler(nil)
	_, keys := served(t, h)
	assert.Equal(t, []string{k1.KeyID(), k2.KeyID()}, kids(keys))
	imp, err := s.Impersonate(localjwt.HasuraClaims{UserID: "user_alice"})
	require.NoError(t, err)
	kidOf := func(tok string) string {
		h, _ := parts(t, tok)
		return h["kid"].(string)
	}
	assert.Equal(t, k1.KeyID(), kidOf(token(t, imp).Value))

	clock.Set(next.Add(-time.Second))
	fresh, err := s.Impersonate(localjwt.HasuraClaims{UserID: "user_alice"})
	require.NoError(t, err)
	last := token(t, fresh) // k1's last token, living until next + 5 min − 1 s
	assert.Equal(t, k1.KeyID(), kidOf(last.Value))
	clock.Set(next)
	assert.Same(t, last, token(t, fresh), "a token kept from before the rotation is still good")
	fresh, err = s.Impersonate(localjwt.HasuraClaims{UserID: "user_alice"})
	require.NoError(t, err)
	assert.Equal(t, k2.KeyID(), kidOf(token(t, fresh).Value))
	clock.Set(next.Add(6*time.Minute - time.Second)) // the lifetime plus a minute for clocks
	assert.True(t, last.Expiry.Before(clock.Now()))
	_, keys = served(t, h)
	assert.Equal(t, []string{k1.KeyID(), k2.KeyID()}, kids(keys))
	clock.Set(next.Add(6 * time.Minute))
	_, keys = served(t, h)
	assert.Equal(t, []string{k2.KeyID()}, kids(keys))
}

func TestJWKSRepublishesClerkKeys(t *testing.T) {
	clock := newClock(epoch)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	k := mustKey(t)
	s := newSigner(t, clock, localjwt.Options{MaxAge: time.Minute, Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: epoch.Add(-time.Hour)}}})
	h := s.JWKSHandler(&localjwt.JWKSOptions{ClerkJWKS: fc.JWKSClient()})

	_, keys := served(t, h)
	assert.Equal(t, append([]string{k.KeyID()}, fc.KeyIDs()...), kids(keys))
	assert.Equal(t, "RSA", keys[1]["kty"])
	assert.Equal(t, "RS256", keys[1]["alg"])
	fetches := fc.Stats().JWKSRequests
	served(t, h)
	assert.Equal(t, fetches, fc.Stats().JWKSRequests, "fetched again within max-age")

	rotated := fc.RotateKey()
	clock.Advance(time.Minute)
	_, keys = served(t, h)
	assert.Contains(t, kids(keys), rotated)
	assert.Equal(t, fetches+1, fc.Stats().JWKSRequests)
}

func TestJWKSClerkKeysFiltered(t *testing.T) {
	rsaKey, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	smallRSA, err := rsa.GenerateKey(rand.Reader, 1024) //nolint:gosec // it is there to be refused
	require.NoError(t, err)
	p256, err := ecdsa.GenerateKey(elliptic.P256(), rand.Reader)
	require.NoError(t, err)
	p384, err := ecdsa.GenerateKey(elliptic.P384(), rand.Reader)
	require.NoError(t, err)
	edPub, edPriv, err := ed25519.GenerateKey(rand.Reader)
	require.NoError(t, err)
	set := jose.JSONWebKeySet{Keys: []jose.JSONWebKey{
		{Key: rsaKey, KeyID: "rsa-private", Algorithm: "RS256", Use: "sig"},
		{Key: &rsaKey.PublicKey, KeyID: "rsa-enc", Algorithm: "RSA-OAEP", Use: "enc"},
		{Key: &smallRSA.PublicKey, KeyID: "rsa-1024", Algorithm: "RS256"},
		{Key: []byte("0123456789abcdef0123456789abcdef"), KeyID: "oct", Algorithm: "HS256"},
		{Key: p256, KeyID: "ec-p256-private"},
		{Key: &p384.PublicKey, KeyID: "ec-p384"},
		{Key: edPriv, KeyID: "ed-private"},
		{Key: edPub, KeyID: strings.Repeat("k", 300)},
	}}
	body, err := json.Marshal(set)
	require.NoError(t, err)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(body)
	}))
	t.Cleanup(srv.Close)
	client := jwks.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		HTTPClient: srv.Client(), URL: clerk.String(srv.URL + "/v1"), Key: clerk.String("sk_test_x"),
	}})

	clock := newClock(epoch)
	k := mustKey(t)
	s := newSigner(t, clock, localjwt.Options{Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: epoch.Add(-time.Hour)}}})
	resp, keys := served(t, s.JWKSHandler(&localjwt.JWKSOptions{ClerkJWKS: client}))
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []string{k.KeyID(), "rsa-private", "ec-p256-private", "ed-private"}, kids(keys))
	assert.Equal(t, "RS256", keys[1]["alg"])
	assert.Equal(t, "ES256", keys[2]["alg"])
	assert.Equal(t, "EdDSA", keys[3]["alg"])
}

func TestJWKSClerkUnavailable(t *testing.T) {
	clock := newClock(epoch)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	s := newSigner(t, clock, localjwt.Options{MaxAge: time.Minute})
	h := s.JWKSHandler(&localjwt.JWKSOptions{ClerkJWKS: fc.JWKSClient()})

	fc.FailNext(1, clerkhasuratest.Fault{Path: "jwks", Status: http.StatusBadGateway, Body: "<html>" + fc.SecretKey() + "</html>"})
	resp, _ := served(t, h)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode, "no set without Clerk's keys")
	assert.Equal(t, "no-store", resp.Header.Get("Cache-Control"))
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Contains(t, string(body), "clerkhasura: Clerk's JWKS could not be fetched")
	assert.NotContains(t, string(body), fc.SecretKey())

	requests := fc.Stats().Requests
	resp, _ = served(t, h)
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
	assert.Equal(t, requests, fc.Stats().Requests, "a failure holds fetches back")

	clock.Advance(5 * time.Second)
	resp, keys := served(t, h)
	require.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Len(t, keys, 2)

	clock.Advance(time.Minute)
	fc.FailNext(1, clerkhasuratest.Fault{Path: "jwks", Status: http.StatusInternalServerError})
	resp, keys = served(t, h)
	require.Equal(t, http.StatusOK, resp.StatusCode, "the last set is served while Clerk fails")
	assert.Len(t, keys, 2)
	assert.Equal(t, int64(2), fc.Stats().Faults)
}

// TestJWKSClerkFetchShared: concurrent first requests share one fetch.
func TestJWKSClerkFetchShared(t *testing.T) {
	clock := newClock(epoch)
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	s := newSigner(t, clock, localjwt.Options{})
	h := s.JWKSHandler(&localjwt.JWKSOptions{ClerkJWKS: fc.JWKSClient()})
	fc.FailNext(1, clerkhasuratest.Fault{Path: "jwks", Latency: 100 * time.Millisecond})
	var wg sync.WaitGroup
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			rec := httptest.NewRecorder()
			h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/", nil))
			assert.Equal(t, http.StatusOK, rec.Code)
		}()
	}
	wg.Wait()
	assert.Equal(t, int64(1), fc.Stats().JWKSRequests)
}
