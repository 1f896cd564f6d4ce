package clerkhasura_test

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// withKeyID returns token with its header's kid replaced.
func withKeyID(t *testing.T, token, kid string) string {
	t.Helper()
	parts := strings.Split(token, ".")
	header, err := base64.RawURLEncoding.DecodeString(parts[0])
	require.NoError(t, err)
	var h map[string]any
	require.NoError(t, json.Unmarshal(header, &h))
	h["kid"] = kid
	header, err = json.Marshal(h)
	require.NoError(t, err)
	parts[0] = base64.RawURLEncoding.EncodeToString(header)
	return strings.Join(parts, ".")
}

func TestMiddlewareRefetchesJWKSForARotatedKeyAtMostOncePerInterval(t *testing.T) {
	const interval = 10 * time.Second
	w := newMWWorld(t, &clerkhasura.MiddlewareOptions{JWKSRefreshInterval: interval})
	sid := w.clerk.CreateSession("user_alice")
	require.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(w.clerk.SessionToken(sid))).status)
	require.Equal(t, int64(1), w.middlewareJWKS())

	w.clerk.RotateKey()
	rotated := w.clerk.SessionToken(sid)
	w.clock.Advance(interval / 2)
	resp := w.get(t, "/claims", bearer(rotated))
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, "session token signed with an unknown key", resp.body["message"])
	assert.Equal(t, int64(1), w.middlewareJWKS(), "fetched again within the interval")

	w.clock.Advance(interval / 2)
	resp = w.get(t, "/claims", bearer(rotated))
	assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, int64(2), w.middlewareJWKS())

	w.clerk.DropKey(w.clerk.KeyIDs()[1])
	old := withKeyID(t, rotated, w.clerk.KeyIDs()[0]) // any token of the new key verifies
	assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(old)).status)
	assert.Equal(t, clerkhasura.MiddlewareStats{Authenticated: 3, Rejected: 1, JWKSFetches: 2}, w.mw.Stats())
}

func TestMiddlewareUnknownKeyIDsCannotMakeItCallClerk(t *testing.T) {
	const interval = 10 * time.Second
	w := newMWWorld(t, &clerkhasura.MiddlewareOptions{JWKSRefreshInterval: interval})
	sid := w.clerk.CreateSession("user_alice")
	valid := w.clerk.SessionToken(sid)
	require.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(valid)).status)

	forge := func(round int) {
		for i := range 20 {
			kid := "ins_forged_" + itoa(round) + "_" + itoa(i)
			resp := w.get(t, "/claims", bearer(withKeyID(t, valid, kid)))
			require.Equal(t, http.StatusUnauthorized, resp.status)
		}
	}
	forge(1)
	assert.Equal(t, int64(1), w.middlewareJWKS(), "the first fetch came less than an interval ago")
	w.clock.Advance(interval)
	forge(2)
	assert.Equal(t, int64(2), w.middlewareJWKS(), "one fetch per interval")
	assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(valid)).status, "known keys still verify")
}

func TestMiddlewareJWKSFailureIs503AndRetriedLater(t *testing.T) {
	w := newMWWorld(t, nil)
	sid := w.clerk.CreateSession("user_alice")
	w.clerk.FailNext(1, clerkhasuratest.Fault{Status: http.StatusInternalServerError, Path: "/v1/jwks"})

	for range 3 {
		resp := w.get(t, "/me", bearer(w.clerk.SessionToken(sid)))
		assert.Equal(t, http.StatusServiceUnavailable, resp.status)
		assert.Equal(t, map[string]any{"error": "unavailable", "message": "cannot fetch Clerk's signing keys"}, resp.body)
		assert.Empty(t, resp.header.Get("WWW-Authenticate"))
		assert.Equal(t, "5", resp.header.Get("Retry-After"), "the retry interval")
	}
	assert.Equal(t, int64(1), w.clerk.Stats().Faults, "a failed fetch is not repeated at once")
	assert.Zero(t, w.middlewareJWKS())
	assert.Equal(t, uint64(1), w.mw.Stats().JWKSFailures)
	assert.Zero(t, w.tokens.Stats().Mints)

	w.clock.Advance(3500 * time.Millisecond)
	resp := w.get(t, "/me", bearer(w.clerk.SessionToken(sid)))
	assert.Equal(t, http.StatusServiceUnavailable, resp.status)
	assert.Equal(t, "2", resp.header.Get("Retry-After"), "what is left of the interval, rounded up")
	assert.Equal(t, int64(1), w.clerk.Stats().Faults)

	w.clock.Advance(1500 * time.Millisecond)
	resp = w.get(t, "/me", bearer(w.clerk.SessionToken(sid)))
	assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Equal(t, int64(1), w.middlewareJWKS())
}

func TestMiddlewareConcurrentFirstRequestsShareOneJWKSFetch(t *testing.T) {
	w := newMWWorld(t, nil)
	sid := w.clerk.CreateSession("user_alice")
	// Slow the fetch down, so that every request arrives while it runs.
	w.clerk.FailNext(1, clerkhasuratest.Fault{Latency: 100 * time.Millisecond, Path: "/v1/jwks"})

	const n = 16
	tokens := make([]string, n)
	for i := range tokens {
		tokens[i] = w.clerk.SessionToken(sid)
	}
	var wg sync.WaitGroup
	resps := make([]mwResponse, n)
	for i := range n {
		wg.Go(func() { resps[i] = w.get(t, "/me", bearer(tokens[i])) })
	}
	wg.Wait()
	for i, resp := range resps {
		assert.Equal(t, http.StatusOK, resp.status, "request %d: %s", i, resp.raw)
	}
	assert.Equal(t, int64(1), w.middlewareJWKS())
	assert.Equal(t, uint64(1), w.tokens.Stats().Mints, "the session's requests shared one Hasura token")
}

// A refresh interval shorter than the retry interval spaces the retries
// too, and Retry-After says so.
func TestMiddlewareJWKSFailureRetryAfterFollowsAShortInterval(t *testing.T) {
	w := newMWWorld(t, &clerkhasura.MiddlewareOptions{JWKSRefreshInterval: 1500 * time.Millisecond})
	sid := w.clerk.CreateSession("user_alice")
	w.clerk.FailNext(1, clerkhasuratest.Fault{Status: http.StatusBadGateway, Path: "/v1/jwks"})

	resp := w.get(t, "/claims", bearer(w.clerk.SessionToken(sid)))
	assert.Equal(t, http.StatusServiceUnavailable, resp.status)
	assert.Equal(t, "2", resp.header.Get("Retry-After"))

	w.clock.Advance(1500 * time.Millisecond)
	resp = w.get(t, "/claims", bearer(w.clerk.SessionToken(sid)))
	assert.Equal(t, http.StatusOK, resp.status, resp.raw)
	assert.Empty(t, resp.header.Get("Retry-After"))
}

// An empty key set, fetched because someone sent an unknown kid, must not
// replace the keys that verify every valid session.
func TestMiddlewareEmptyJWKSKeepsTheKeys(t *testing.T) {
	const interval = 10 * time.Second
	for _, body := range []string{`{"keys":[]}`, `{"keys":[{"kty":"RSA","n":"AQAB","e":"AQAB","alg":"RS256"}]}`} {
		t.Run(body, func(t *testing.T) {
			w := newMWWorld(t, &clerkhasura.MiddlewareOptions{JWKSRefreshInterval: interval})
			sid := w.clerk.CreateSession("user_alice")
			valid := w.clerk.SessionToken(sid)
			require.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(valid)).status)

			w.clock.Advance(interval)
			w.clerk.FailNext(1, clerkhasuratest.Fault{Status: http.StatusOK, Body: body, Path: "/v1/jwks"})
			resp := w.get(t, "/claims", bearer(withKeyID(t, valid, "ins_unknown")))
			assert.Equal(t, http.StatusServiceUnavailable, resp.status, resp.raw)
			assert.Equal(t, "cannot fetch Clerk's signing keys", resp.body["message"])

			resp = w.get(t, "/claims", bearer(valid))
			assert.Equal(t, http.StatusOK, resp.status, resp.raw)
			assert.Equal(t, uint64(1), w.mw.Stats().JWKSFailures)
			assert.Equal(t, uint64(1), w.mw.Stats().JWKSFetches)
		})
	}
}

// A JWKS request carries the secret key; a reply that echoes the request,
// as some proxies' error pages do, must not bring it into the error.
func TestMiddlewareJWKSFailureHoldsNoResponseBody(t *testing.T) {
	cases := []struct {
		name   string
		fault  clerkhasuratest.Fault
		kind   error
		status int
	}{
		{"proxy page", clerkhasuratest.Fault{Status: http.StatusBadGateway, ContentType: "text/html",
			Body: "<h1>502</h1><pre>Authorization: Bearer " + clerkhasuratest.DefaultSecretKey + "</pre>"},
			clerkhasura.ErrClerkUnavailable, 0},
		{"JSON echo", clerkhasuratest.Fault{Status: http.StatusBadGateway,
			Body: `{"headers":{"Authorization":"Bearer ` + clerkhasuratest.DefaultSecretKey + `"}}`},
			clerkhasura.ErrClerkUnavailable, 0},
		{"Clerk's 401", clerkhasuratest.Fault{Status: http.StatusUnauthorized}, clerkhasura.ErrInvalidSecretKey, 401},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var got *clerkhasura.AuthError
			w := newMWWorld(t, &clerkhasura.MiddlewareOptions{
				ErrorHandler: func(rw http.ResponseWriter, r *http.Request, err *clerkhasura.AuthError) {
					got = err
					err.ServeHTTP(rw, r)
				},
			})
			tc.fault.Path = "/v1/jwks"
			w.clerk.FailNext(1, tc.fault)
			resp := w.get(t, "/claims", bearer(w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))))
			require.Equal(t, http.StatusServiceUnavailable, resp.status)
			require.NotNil(t, got)
			assertNoSecret(t, got, clerkhasuratest.DefaultSecretKey)

			assert.ErrorIs(t, got, clerkhasura.ErrClerkUnavailable)
			assert.ErrorIs(t, got, tc.kind)
			var ce *clerkhasura.ClerkError
			require.ErrorAs(t, got, &ce)
			assert.Equal(t, tc.status, ce.StatusCode)
		})
	}
}
