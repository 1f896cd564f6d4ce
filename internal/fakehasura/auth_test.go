package fakehasura

import (
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const usersQuery = `{"query":"{ users { id } }"}`

func TestAuthErrors(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	key := testKeys(t)[0]
	with := func(edit func(c map[string]any)) string {
		c := userClaims("user_alice")
		edit(c)
		return sign(t, key, "kid-1", c)
	}
	ns := func(c map[string]any) map[string]any { return c[DefaultClaimsNamespace].(map[string]any) }
	good := f.token("user_alice")
	tests := []struct {
		name    string
		headers map[string]string
		want    string
	}{
		{"no header", nil, errBody("Missing 'Authorization' or 'Cookie' header in JWT authentication mode", "$", "invalid-headers")},
		{"basic scheme", map[string]string{"Authorization": "Basic " + good}, errBody("Malformed Authorization header", "$", "invalid-headers")},
		{"lower-case bearer", map[string]string{"Authorization": "bearer " + good}, errBody("Malformed Authorization header", "$", "invalid-headers")},
		{"bearer alone", map[string]string{"Authorization": "Bearer"}, errBody("Malformed Authorization header", "$", "invalid-headers")},
		{"three words", map[string]string{"Authorization": "Bearer " + good + " x"}, errBody("Malformed Authorization header", "$", "invalid-headers")},
		{"expired", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { c["exp"] = epoch.Unix() })}, errBody("Could not verify JWT: JWTExpired", "$", "invalid-jwt")},
		{"not yet valid", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { c["nbf"] = epoch.Unix() + 1 })}, errBody("Could not verify JWT: JWTNotYetValid", "$", "invalid-jwt")},
		{"other key", map[string]string{"Authorization": "Bearer " + sign(t, testKeys(t)[1], "kid-1", userClaims("user_alice"))}, errBody("Could not verify JWT: JWSError JWSInvalidSignature", "$", "invalid-jwt")},
		{"alg none", map[string]string{"Authorization": "Bearer " + unsigned(userClaims("user_alice"))}, errBody("Could not verify JWT: JWSError JWSNoSignatures", "$", "invalid-jwt")},
		{"no namespace", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { delete(c, DefaultClaimsNamespace) })}, errBody("claims key: 'https://hasura.io/jwt/claims' not found", "$", "jwt-invalid-claims")},
		{"namespace not an object", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { c[DefaultClaimsNamespace] = "x" })}, errBody("expecting a json object when claims_format is json", "$", "jwt-invalid-claims")},
		{"no allowed roles", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { delete(ns(c), "x-hasura-allowed-roles") })}, errBody("JWT claim does not contain x-hasura-allowed-roles", "$", "jwt-missing-role-claims")},
		{"no default role", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { delete(ns(c), "x-hasura-default-role") })}, errBody("JWT claim does not contain x-hasura-default-role", "$", "jwt-missing-role-claims")},
		{"allowed roles a string", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { ns(c)["x-hasura-allowed-roles"] = "user" })}, errBody("invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered String", "$", "jwt-invalid-claims")},
		{"default role a number", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { ns(c)["x-hasura-default-role"] = 1 })}, errBody("invalid x-hasura-default-role; should be a single role name: parsing Text failed, expected String, but encountered Number", "$", "jwt-invalid-claims")},
		{"session variable a number", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { ns(c)["x-hasura-org-id"] = 7 })}, errBody("x-hasura-* claims: parsing Text failed, expected String, but encountered Number", "$", "jwt-invalid-claims")},
		{"role not allowed", map[string]string{"Authorization": "Bearer " + good, "X-Hasura-Role": "admin"}, errBody("Your requested role is not in allowed roles", "$", "access-denied")},
		{"default role not allowed", map[string]string{"Authorization": "Bearer " + with(func(c map[string]any) { ns(c)["x-hasura-default-role"] = "editor" })}, errBody("Your requested role is not in allowed roles", "$", "access-denied")},
		{"wrong admin secret", map[string]string{"X-Hasura-Admin-Secret": "nope", "Authorization": "Bearer " + good}, errBody("invalid x-hasura-admin-secret/x-hasura-access-key", "$", "access-denied")},
		{"wrong access key", map[string]string{"X-Hasura-Access-Key": "nope"}, errBody("invalid x-hasura-admin-secret/x-hasura-access-key", "$", "access-denied")},
		{"admin secret as user without user id", map[string]string{"X-Hasura-Admin-Secret": testAdminSecret, "X-Hasura-Role": "user"}, errBody(`missing session variable: "x-hasura-user-id"`, "$", "not-found")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			status, body := f.post(usersQuery, tt.headers)
			assert.Equal(t, http.StatusOK, status)
			assert.Equal(t, tt.want, body)
			for _, v := range tt.headers {
				if strings.HasPrefix(v, "Bearer ") && len(v) > 40 {
					assert.NotContains(t, body, strings.Fields(v)[1], "the token must not appear in the error")
				}
			}
			assert.NotContains(t, body, testAdminSecret)
		})
	}
}

// unsigned is a token with alg none, which jose's default settings ignore.
func unsigned(claims map[string]any) string {
	enc := base64.RawURLEncoding
	payload := must(json.Marshal(claims))
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + "."
}

func TestUndecodableTokens(t *testing.T) {
	f := newFixture(t)
	for _, tok := range []string{"abc", "a.b", "a.b.c.d", "!!.??.**", "e30.e30.e30"} {
		t.Run(tok, func(t *testing.T) {
			_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + tok})
			e := decodeError(t, body)
			assert.Equal(t, "invalid-jwt", e.Code)
			assert.Equal(t, "$", e.Path)
			assert.True(t, strings.HasPrefix(e.Message, "Could not verify JWT: "), e.Message)
		})
	}
	_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer abc"})
	assert.Equal(t, errBody("Could not verify JWT: JWSError (CompactDecodeError Invalid number of parts: Expected 3 parts; got 1)", "$", "invalid-jwt"), body)
}

func TestAuthorizationHeaderWhitespace(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	for _, h := range []string{"Bearer\t%s", "  Bearer   %s  ", "Bearer \t %s"} {
		_, body := f.post(usersQuery, map[string]string{"Authorization": strings.Replace(h, "%s", f.token("user_alice"), 1)})
		assert.Equal(t, `{"data":{"users":[{"id":"user_alice"}]}}`, body, "header %q", h)
	}
}

func TestClaimsCaseInsensitiveAndFiltered(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}, Row{ID: "user_bob"}))
	c := userClaims("user_alice")
	c[DefaultClaimsNamespace] = map[string]any{
		"X-Hasura-User-Id":       "user_alice",
		"X-HASURA-DEFAULT-ROLE":  "user",
		"x-Hasura-Allowed-Roles": []string{"user"},
		"not-hasura":             42,
	}
	_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + sign(t, testKeys(t)[0], "kid-1", c)})
	assert.Equal(t, `{"data":{"users":[{"id":"user_alice"}]}}`, body)
}

func TestAllowedSkew(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.JWT.AllowedSkew = 10 * time.Second })
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	tok := f.token("user_alice")
	exp := epoch.Add(60 * time.Second)
	for _, tt := range []struct {
		at   time.Time
		want string
	}{
		{exp.Add(9 * time.Second), `{"data":{"users":[{"id":"user_alice"}]}}`},
		{exp.Add(10 * time.Second), errBody("Could not verify JWT: JWTExpired", "$", "invalid-jwt")},
		{epoch.Add(-14 * time.Second), `{"data":{"users":[{"id":"user_alice"}]}}`},
		{epoch.Add(-16 * time.Second), errBody("Could not verify JWT: JWTNotYetValid", "$", "invalid-jwt")},
	} {
		f.setNow(tt.at)
		_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + tok})
		assert.Equal(t, tt.want, body, "at %v", tt.at)
	}
}

func TestIssuerAndAudience(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.JWT.Issuer = "https://clerk.example.test"
		c.JWT.Audience = []string{"hasura", "other"}
	})
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}))
	ok := `{"data":{"users":[{"id":"user_alice"}]}}`
	for _, tt := range []struct {
		name string
		edit func(map[string]any)
		want string
	}{
		{"no aud", func(map[string]any) {}, ok},
		{"aud string", func(c map[string]any) { c["aud"] = "hasura" }, ok},
		{"aud list", func(c map[string]any) { c["aud"] = []string{"x", "other"} }, ok},
		{"aud elsewhere", func(c map[string]any) { c["aud"] = "elsewhere" }, errBody("Could not verify JWT: JWTNotInAudience", "$", "invalid-jwt")},
		{"other issuer", func(c map[string]any) { c["iss"] = "https://evil.test" }, errBody("Could not verify JWT: JWTNotInIssuer", "$", "invalid-jwt")},
	} {
		t.Run(tt.name, func(t *testing.T) {
			c := userClaims("user_alice")
			tt.edit(c)
			_, body := f.post(usersQuery, map[string]string{"Authorization": "Bearer " + sign(t, testKeys(t)[0], "kid-1", c)})
			assert.Equal(t, tt.want, body)
		})
	}
}

func TestRoles(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.UnauthorizedRole = "anonymous" })
	require.NoError(t, f.eng.Put(Row{ID: "user_alice"}, Row{ID: "user_bob"}))
	c := userClaims("user_alice")
	c[DefaultClaimsNamespace].(map[string]any)["x-hasura-allowed-roles"] = []string{"user", "editor"}
	tok := sign(t, testKeys(t)[0], "kid-1", c)
	notFound := errBody("field 'users' not found in type: 'query_root'", "$.selectionSet.users", "validation-failed")
	for _, tt := range []struct {
		name    string
		headers map[string]string
		query   string
		want    string
	}{
		{"default role", map[string]string{"Authorization": "Bearer " + tok}, usersQuery, `{"data":{"users":[{"id":"user_alice"}]}}`},
		{"allowed role without permissions", map[string]string{"Authorization": "Bearer " + tok, "X-Hasura-Role": "editor"}, usersQuery, notFound},
		{"its mutations", map[string]string{"Authorization": "Bearer " + tok, "X-Hasura-Role": "editor"}, `{"query":"mutation { __typename }"}`, errBody("no mutations exist", "$", "validation-failed")},
		{"unauthorized role", nil, usersQuery, notFound},
		{"unauthorized role ignores x-hasura-role", map[string]string{"X-Hasura-Role": "admin"}, usersQuery, notFound},
		{"unauthorized role typename", nil, `{"query":"{ __typename }"}`, `{"data":{"__typename":"query_root"}}`},
		{"admin", map[string]string{"X-Hasura-Admin-Secret": testAdminSecret}, usersQuery, `{"data":{"users":[{"id":"user_alice"}, {"id":"user_bob"}]}}`},
		{"admin secret wins over a bad token", map[string]string{"X-Hasura-Admin-Secret": testAdminSecret, "Authorization": "Bearer x"}, usersQuery, `{"data":{"users":[{"id":"user_alice"}, {"id":"user_bob"}]}}`},
		{"admin secret as user", map[string]string{"X-Hasura-Admin-Secret": testAdminSecret, "X-Hasura-Role": "user", "X-Hasura-User-Id": "user_bob"}, usersQuery, `{"data":{"users":[{"id":"user_bob"}]}}`},
		{"admin via JWT role", map[string]string{"Authorization": "Bearer " + adminToken(t)}, usersQuery, `{"data":{"users":[{"id":"user_alice"}, {"id":"user_bob"}]}}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			_, body := f.post(tt.query, tt.headers)
			assert.Equal(t, tt.want, body)
		})
	}
}

// adminToken is a token whose default role is admin: Hasura gives the
// admin role every permission however the request got it.
func adminToken(t *testing.T) string {
	c := userClaims("root")
	c[DefaultClaimsNamespace] = map[string]any{"x-hasura-default-role": "admin", "x-hasura-allowed-roles": []string{"admin"}}
	return sign(t, testKeys(t)[0], "kid-1", c)
}
