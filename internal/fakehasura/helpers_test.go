package fakehasura

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	jose "github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/require"
)

var (
	keyOnce sync.Once
	keyPool []*rsa.PrivateKey
)

// testKeys returns RSA keys generated once per test binary.
func testKeys(t testing.TB) []*rsa.PrivateKey {
	keyOnce.Do(func() {
		for i := 0; i < 3; i++ {
			k, err := rsa.GenerateKey(rand.Reader, 2048)
			if err != nil {
				panic(err)
			}
			keyPool = append(keyPool, k)
		}
	})
	return keyPool
}

// jwksServer serves a JWKS and counts the requests for it.
type jwksServer struct {
	srv          *httptest.Server
	mu           sync.Mutex
	keys         map[string]crypto.Signer
	order        []string
	cacheControl string
	expires      string
	status       int
	hits         atomic.Int64
}

func newJWKSServer(t testing.TB) *jwksServer {
	js := &jwksServer{keys: map[string]crypto.Signer{}, cacheControl: "public, max-age=60"}
	js.add("kid-1", testKeys(t)[0])
	js.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		js.hits.Add(1)
		js.mu.Lock()
		defer js.mu.Unlock()
		if js.status != 0 {
			w.WriteHeader(js.status)
			return
		}
		var set jose.JSONWebKeySet
		for _, kid := range js.order {
			k := js.keys[kid]
			set.Keys = append(set.Keys, jose.JSONWebKey{Key: k.Public(), KeyID: kid, Algorithm: string(algFor(k)), Use: "sig"})
		}
		if js.cacheControl != "" {
			w.Header().Set("Cache-Control", js.cacheControl)
		}
		if js.expires != "" {
			w.Header().Set("Expires", js.expires)
		}
		_ = json.NewEncoder(w).Encode(set)
	}))
	t.Cleanup(js.srv.Close)
	return js
}

func (js *jwksServer) add(kid string, k crypto.Signer) {
	js.mu.Lock()
	defer js.mu.Unlock()
	js.keys[kid] = k
	js.order = append(js.order, kid)
}

func (js *jwksServer) set(f func(js *jwksServer)) {
	js.mu.Lock()
	defer js.mu.Unlock()
	f(js)
}

func (js *jwksServer) url() string { return js.srv.URL + "/.well-known/jwks.json" }

var epoch = time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC)

// sign makes an RS256 token with the given claims and kid.
func sign(t testing.TB, key *rsa.PrivateKey, kid string, claims map[string]any) string {
	t.Helper()
	opts := (&jose.SignerOptions{}).WithType("JWT").WithHeader("kid", kid)
	signer, err := jose.NewSigner(jose.SigningKey{Algorithm: jose.RS256, Key: key}, opts)
	require.NoError(t, err)
	payload, err := json.Marshal(claims)
	require.NoError(t, err)
	obj, err := signer.Sign(payload)
	require.NoError(t, err)
	s, err := obj.CompactSerialize()
	require.NoError(t, err)
	return s
}

// userClaims are a Clerk hasura-template token's claims for user, valid
// for 60 s from epoch.
func userClaims(user string) map[string]any {
	return map[string]any{
		"iss": "https://clerk.example.test", "sub": user, "azp": "http://localhost:3000",
		"iat": epoch.Unix(), "nbf": epoch.Unix() - 5, "exp": epoch.Unix() + 60,
		DefaultClaimsNamespace: map[string]any{
			"x-hasura-user-id":       user,
			"x-hasura-default-role":  "user",
			"x-hasura-allowed-roles": []string{"user"},
		},
	}
}

type fixture struct {
	t    testing.TB
	jwks *jwksServer
	eng  *Engine
	srv  *httptest.Server
	now  atomic.Pointer[time.Time]
}

const testAdminSecret = "test-admin-secret"

func newFixture(t testing.TB, mutate ...func(*Config)) *fixture {
	t.Helper()
	f := &fixture{t: t, jwks: newJWKSServer(t)}
	n := epoch
	f.now.Store(&n)
	cfg := Config{
		JWT:                 &JWTConfig{JWKURL: f.jwks.url(), ClaimsNamespace: DefaultClaimsNamespace},
		AdminSecret:         testAdminSecret,
		Now:                 func() time.Time { return *f.now.Load() },
		RefetchOnUnknownKID: true,
	}
	for _, m := range mutate {
		m(&cfg)
	}
	eng, err := New(cfg)
	require.NoError(t, err)
	t.Cleanup(eng.Close)
	f.eng = eng
	f.srv = httptest.NewServer(eng)
	t.Cleanup(f.srv.Close)
	return f
}

func (f *fixture) setNow(t time.Time) { f.now.Store(&t) }

func (f *fixture) token(user string) string {
	return sign(f.t, testKeys(f.t)[0], "kid-1", userClaims(user))
}

// post sends body to /v1/graphql with headers and returns the status and
// the body.
func (f *fixture) post(body string, headers map[string]string) (int, string) {
	f.t.Helper()
	req, err := http.NewRequest(http.MethodPost, f.srv.URL+"/v1/graphql", strings.NewReader(body))
	require.NoError(f.t, err)
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	resp, err := f.srv.Client().Do(req)
	require.NoError(f.t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(f.t, err)
	return resp.StatusCode, string(b)
}

func gqlBody(query string, vars map[string]any) string {
	m := map[string]any{"query": query}
	if vars != nil {
		m["variables"] = vars
	}
	b, _ := json.Marshal(m)
	return string(b)
}

// as runs query as user (a JWT), and requires HTTP 200.
func (f *fixture) as(user, query string, vars map[string]any) string {
	f.t.Helper()
	status, body := f.post(gqlBody(query, vars), map[string]string{"Authorization": "Bearer " + f.token(user)})
	require.Equal(f.t, http.StatusOK, status)
	return body
}

// admin runs query with the admin secret.
func (f *fixture) admin(query string, vars map[string]any) string {
	f.t.Helper()
	status, body := f.post(gqlBody(query, vars), map[string]string{"X-Hasura-Admin-Secret": testAdminSecret})
	require.Equal(f.t, http.StatusOK, status)
	return body
}

func errBody(message, path, code string) string {
	e := &Error{Message: message, Path: path, Code: code}
	return string(e.Body())
}

func strp(s string) *string { return &s }

func tsp(t testing.TB, s string) *Timestamp {
	ts, err := parseTimestamp(s, epoch)
	if err != nil {
		t.Fatalf("timestamp %q: %s", s, err.msg)
	}
	return &ts
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}

// decodeError returns the single error of an error body.
func decodeError(t testing.TB, body string) Error {
	t.Helper()
	var r struct {
		Errors []struct {
			Message    string `json:"message"`
			Extensions struct {
				Path string `json:"path"`
				Code string `json:"code"`
			} `json:"extensions"`
		} `json:"errors"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &r), body)
	require.Len(t, r.Errors, 1, body)
	e := r.Errors[0]
	return Error{Message: e.Message, Path: e.Extensions.Path, Code: e.Extensions.Code}
}
