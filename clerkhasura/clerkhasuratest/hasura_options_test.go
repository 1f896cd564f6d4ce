package clerkhasuratest_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// fatalMessage runs f against a recorder in its own goroutine and returns
// what it passed to Fatalf ("" when it returned normally).
func fatalMessage(t *testing.T, f func(tt clerkhasuratest.Tester)) string {
	rec := &fatalRecorder{TB: t}
	return fatalOf(rec, func() { f(rec) })
}

func TestNewHasuraRefusesBadOptions(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	jwks := fc.JWKSURL()
	down := httptest.NewServer(http.NotFoundHandler())
	down.Close()
	tests := []struct {
		name string
		opts *clerkhasuratest.HasuraOptions
		want string
	}{
		{"nil", nil, "clerkhasuratest: NewHasura: HasuraOptions.JWKURL, HasuraOptions.JWTSecret or HasuraOptions.JWTSecrets is required"},
		{"both", &clerkhasuratest.HasuraOptions{JWKURL: jwks, JWTSecret: "{}"}, "clerkhasuratest: NewHasura: set HasuraOptions.JWKURL or a JWT secret, not both"},
		{"URL and list", &clerkhasuratest.HasuraOptions{JWKURL: jwks, JWTSecrets: "[]"}, "clerkhasuratest: NewHasura: set HasuraOptions.JWKURL or a JWT secret, not both"},
		{"not a list", &clerkhasuratest.HasuraOptions{JWTSecrets: `{"jwk_url":"` + jwks + `"}`}, "clerkhasuratest: NewHasura: Error in $: parsing [] failed, expected Array, but encountered Object"},
		{"empty list", &clerkhasuratest.HasuraOptions{JWTSecrets: `[]`}, "clerkhasuratest: NewHasura: an empty list of JWT secrets, which leaves JWT mode off: not emulated by the fake Hasura"},
		{"bad entry", &clerkhasuratest.HasuraOptions{JWTSecrets: `[{"jwk_url":"` + jwks + `"},{"type":"HS256","key":"s3cr3t-key-material-0123456789"}]`}, "clerkhasuratest: NewHasura: Error in $[1]: Invalid JWK: Key size too small; should be atleast 32 characters"},
		{"second JWKS down", &clerkhasuratest.HasuraOptions{JWTSecrets: `[{"jwk_url":"` + jwks + `"},{"jwk_url":"` + fc.URL() + `/nope"}]`}, "clerkhasuratest: NewHasura: Non-2xx response on fetching JWK from: " + fc.URL() + "/nope (status 404)"},
		{"no key", &clerkhasuratest.HasuraOptions{JWTSecret: `{"claims_namespace":"x"}`}, "clerkhasuratest: NewHasura: Error in $: key and jwk_url both cannot be empty"},
		{"key and url", &clerkhasuratest.HasuraOptions{JWTSecret: `{"type":"HS256","key":"s3cr3t-key-material-0123456789","jwk_url":"` + jwks + `"}`}, "clerkhasuratest: NewHasura: Error in $: key, jwk_url both cannot be present"},
		{"two namespaces", &clerkhasuratest.HasuraOptions{JWTSecret: `{"jwk_url":"` + jwks + `","claims_namespace":"a","claims_namespace_path":"$.a"}`}, "clerkhasuratest: NewHasura: Error in $: claims_namespace and claims_namespace_path both cannot be set"},
		{"short static key", &clerkhasuratest.HasuraOptions{JWTSecret: `{"type":"HS256","key":"s3cr3t-key-material-0123456789"}`}, "clerkhasuratest: NewHasura: Error in $: Invalid JWK: Key size too small; should be atleast 32 characters"},
		{"jwks down", &clerkhasuratest.HasuraOptions{JWKURL: down.URL + "/jwks"}, "clerkhasuratest: NewHasura: Error fetching JWK: "},
		{"jwks 404", &clerkhasuratest.HasuraOptions{JWKURL: fc.URL() + "/nope"}, "clerkhasuratest: NewHasura: Non-2xx response on fetching JWK from: " + fc.URL() + "/nope (status 404)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := fatalMessage(t, func(tt2 clerkhasuratest.Tester) { clerkhasuratest.NewHasura(tt2, tt.opts) })
			assert.True(t, strings.HasPrefix(got, tt.want), "got %q", got)
			assert.NotContains(t, got, "s3cr3t", "secret key material must not appear")
		})
	}
}

func TestHasuraSeedAndRows(t *testing.T) {
	p := newHasuraPair(t, nil)
	ana, bo := "Ana", "Bo"
	at := time.Date(2024, 5, 1, 10, 20, 30, 123456789, time.FixedZone("X", 7200))
	p.fh.InsertUser("user_ana", &ana, at)
	p.fh.Seed(
		clerkhasuratest.UserRow{ID: "user_bo", Name: &bo, LastSeenText: "now()"},
		clerkhasuratest.UserRow{ID: "user_inf", LastSeenText: "infinity"},
		clerkhasuratest.UserRow{ID: "user_null"},
	)
	rows := p.fh.Rows()
	require.Len(t, rows, 4)
	assert.Equal(t, "2024-05-01T08:20:30.123456", rows[0].LastSeenText)
	assert.Equal(t, time.Date(2024, 5, 1, 8, 20, 30, 123456000, time.UTC), *rows[0].LastSeen)
	assert.Equal(t, "2026-11-26T12:00:00", rows[1].LastSeenText)
	assert.Equal(t, "infinity", rows[2].LastSeenText)
	assert.Nil(t, rows[2].LastSeen)
	assert.Equal(t, clerkhasuratest.UserRow{ID: "user_null"}, rows[3])

	p.fh.Seed(clerkhasuratest.UserRow{ID: "user_ana"})
	r, ok := p.fh.Row("user_ana")
	require.True(t, ok)
	assert.Equal(t, clerkhasuratest.UserRow{ID: "user_ana"}, r, "seeding an existing id replaces the row")
	assert.Equal(t, "user_ana", p.fh.Rows()[0].ID, "in place")

	del := `{"query":"mutation { delete_users_by_pk(id: \"user_inf\") { id } }"}`
	admin := map[string]string{"X-Hasura-Admin-Secret": p.fh.AdminSecret()}
	_, body := hasuraPost(t, p.fh.Endpoint(), del, admin)
	assert.Equal(t, `{"data":{"delete_users_by_pk":{"id":"user_inf"}}}`, body)
	_, body = hasuraPost(t, p.fh.Endpoint(), del, admin)
	assert.Equal(t, `{"data":{"delete_users_by_pk":null}}`, body)
	_, ok = p.fh.Row("user_inf")
	assert.False(t, ok)

	rec := &fatalRecorder{TB: t}
	fh := clerkhasuratest.NewHasura(rec, &clerkhasuratest.HasuraOptions{JWKURL: p.clerk.JWKSURL()})
	assert.Equal(t, "clerkhasuratest: Seed: fakehasura: a row needs a non-empty id, and text without NUL",
		fatalOf(rec, func() { fh.Seed(clerkhasuratest.UserRow{}) }))
	assert.Equal(t, `clerkhasuratest: Seed: row "x": invalid input syntax for type timestamp: "soon"`,
		fatalOf(rec, func() { fh.Seed(clerkhasuratest.UserRow{ID: "x", LastSeenText: "soon"}) }))
	assert.Empty(t, fh.Rows(), "a refused seed stores nothing")
}

func TestHasuraAdminSecretAndStats(t *testing.T) {
	p := newHasuraPair(t, &clerkhasuratest.HasuraOptions{AdminSecret: "my-admin-secret"})
	assert.Equal(t, "my-admin-secret", p.fh.AdminSecret())
	q := `{"query":"mutation { insert_users_one(object: {id: \"u1\", last_seen: \"2024-01-01\"}) { id last_seen } }"}`
	_, body := hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"X-Hasura-Admin-Secret": "my-admin-secret"})
	assert.Equal(t, `{"data":{"insert_users_one":{"id":"u1","last_seen":"2024-01-01T00:00:00"}}}`, body)
	_, body = hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"X-Hasura-Admin-Secret": "wrong"})
	assert.Equal(t, hasuraErr("invalid x-hasura-admin-secret/x-hasura-access-key", "$", "access-denied"), body)
	assert.NotContains(t, body, "my-admin-secret")
	_, body = hasuraPost(t, p.fh.Endpoint(), `{"query":"{ users { id } }"}`, nil)
	assert.Equal(t, hasuraErr("Missing 'Authorization' or 'Cookie' header in JWT authentication mode", "$", "invalid-headers"), body)
	_, body = hasuraPost(t, p.fh.Endpoint(), `{"query":"{ users { id } }"}`, map[string]string{"Authorization": "Bearer nope"})
	assert.Equal(t, "invalid-jwt", decodeHasuraCode(t, body))

	s := p.fh.Stats()
	assert.Equal(t, int64(4), s.Requests)
	assert.Equal(t, map[string]int64{"access-denied": 1, "invalid-headers": 1, "invalid-jwt": 1}, s.Errors)
	assert.Equal(t, int64(1), s.JWKSFetches)
}

func decodeHasuraCode(t *testing.T, body string) string {
	t.Helper()
	i := strings.Index(body, `"code":"`)
	require.GreaterOrEqual(t, i, 0, body)
	rest := body[i+len(`"code":"`):]
	return rest[:strings.IndexByte(rest, '"')]
}

func TestHasuraUnauthorizedRole(t *testing.T) {
	p := newHasuraPair(t, &clerkhasuratest.HasuraOptions{UnauthorizedRole: "anonymous"})
	_, body := hasuraPost(t, p.fh.Endpoint(), `{"query":"{ users { id } }"}`, nil)
	assert.Equal(t, hasuraErr("field 'users' not found in type: 'query_root'", "$.selectionSet.users", "validation-failed"), body)
}

func TestHasuraConcurrentUsers(t *testing.T) {
	p := newHasuraPair(t, nil)
	var wg sync.WaitGroup
	for i := 0; i < 8; i++ {
		wg.Add(1)
		go func(i int) {
			defer wg.Done()
			id := fmt.Sprintf("user_%d", i)
			tok := p.clerk.TemplateToken(p.clerk.CreateSession(id), "hasura")
			for j := 0; j < 10; j++ {
				q := fmt.Sprintf(`{"query":"mutation { insert_users_one(object: {id: \"%s\", name: \"n%d\"}, on_conflict: {constraint: users_pkey, update_columns: [name]}) { name } }"}`, id, j)
				_, body := hasuraPost(t, p.fh.Endpoint(), q, map[string]string{"Authorization": "Bearer " + tok})
				assert.Equal(t, fmt.Sprintf(`{"data":{"insert_users_one":{"name":"n%d"}}}`, j), body)
				p.fh.Stats()
				p.fh.Rows()
			}
		}(i)
	}
	wg.Wait()
	assert.Len(t, p.fh.Rows(), 8)
}

func TestHasuraCloseLeavesNothing(t *testing.T) {
	testkit.CheckLeaks(t)
	var st clerkhasuratest.StandaloneTester
	fc := clerkhasuratest.NewClerk(&st, nil)
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL()})
	client := fh.HTTPClient()
	tok := fc.TemplateToken(fc.CreateSession("user_alice"), "hasura")
	req, err := http.NewRequest(http.MethodPost, fh.Endpoint(), strings.NewReader(`{"query":"{ users { id } }"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+tok)
	resp, err := client.Do(req)
	require.NoError(t, err)
	require.NoError(t, resp.Body.Close())
	fh.Close()
	fh.Close()
	st.Close()
	client.CloseIdleConnections()
}
