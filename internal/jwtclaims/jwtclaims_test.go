package jwtclaims_test

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

func seg(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return base64.RawURLEncoding.EncodeToString(b)
}

func compact(header, payload any, sig string) string {
	return seg(header) + "." + seg(payload) + "." + sig
}

var rs256 = map[string]any{"alg": "RS256", "typ": "JWT", "kid": "ins_test"}

func TestPeekReadsRegisteredAndCustomClaims(t *testing.T) {
	tok := compact(rs256, map[string]any{
		"iss": "https://clerk.test", "sub": "user_1", "aud": "hasura", "jti": "j1",
		"exp": 1700000060, "iat": 1700000000, "nbf": 1699999995,
		"https://hasura.io/jwt/claims": map[string]any{"x-hasura-user-id": "user_1"},
	}, "c2ln")

	var custom struct {
		Hasura map[string]any `json:"https://hasura.io/jwt/claims"`
	}
	raw := map[string]any{}
	c, err := jwtclaims.Peek(tok, &custom, &raw)
	require.NoError(t, err)

	assert.Equal(t, "https://clerk.test", c.Issuer)
	assert.Equal(t, "user_1", c.Subject)
	assert.Equal(t, []string{"hasura"}, c.Audience)
	assert.Equal(t, "j1", c.ID)
	assert.Equal(t, "ins_test", c.KeyID)
	assert.Equal(t, "RS256", c.Algorithm)
	assert.True(t, c.HasExpiry)
	assert.True(t, c.HasIssuedAt)
	assert.Equal(t, time.Unix(1700000060, 0), c.Expiry)
	assert.Equal(t, time.Unix(1700000000, 0), c.IssuedAt)
	assert.Equal(t, time.Unix(1699999995, 0), c.NotBefore)
	assert.Equal(t, "user_1", custom.Hasura["x-hasura-user-id"])
	assert.Contains(t, raw, "https://hasura.io/jwt/claims")
}

func TestPeekAbsentClaims(t *testing.T) {
	c, err := jwtclaims.Peek(compact(rs256, map[string]any{"sub": "u"}, "c2ln"))
	require.NoError(t, err)
	assert.False(t, c.HasExpiry)
	assert.False(t, c.HasIssuedAt)
	assert.True(t, c.Expiry.IsZero())
}

func TestPeekFractionalDates(t *testing.T) {
	c, err := jwtclaims.Peek(compact(rs256, map[string]any{"exp": 1700000060.75, "iat": 1.7e9}, "c2ln"))
	require.NoError(t, err)
	assert.Equal(t, time.Unix(1700000060, 0), c.Expiry)
	assert.Equal(t, time.Unix(1700000000, 0), c.IssuedAt)
}

func TestPeekAcceptsEmptySignature(t *testing.T) {
	c, err := jwtclaims.Peek(compact(map[string]any{"alg": "none"}, map[string]any{"exp": 10}, ""))
	require.NoError(t, err)
	assert.Equal(t, time.Unix(10, 0), c.Expiry)
}

func TestPeekMalformed(t *testing.T) {
	good := compact(rs256, map[string]any{"exp": 1700000060}, "c2ln")
	parts := strings.Split(good, ".")
	b64 := base64.RawURLEncoding.EncodeToString
	tests := []struct {
		name, token, reason string
	}{
		{"empty", "", "empty"},
		{"too long", strings.Repeat("a", jwtclaims.MaxLen+1), "longer"},
		{"two parts", parts[0] + "." + parts[1], "three"},
		{"four parts", good + ".x", "three"},
		{"json serialization", `{"payload":"x","signatures":[]}`, "three"},
		{"padding", parts[0] + "=." + parts[1] + "." + parts[2], "base64url"},
		{"space", parts[0] + " ." + parts[1] + "." + parts[2], "base64url"},
		{"empty header", "." + parts[1] + "." + parts[2], "empty header"},
		{"empty payload", parts[0] + ".." + parts[2], "empty header"},
		{"header not base64", "!!!." + parts[1] + "." + parts[2], "base64url"},
		{"header not json", b64([]byte("nope")) + "." + parts[1] + "." + parts[2], "compact JWS"},
		{"payload not json", parts[0] + "." + b64([]byte("not json")) + "." + parts[2], "payload"},
		{"payload array", parts[0] + "." + b64([]byte("[1,2]")) + "." + parts[2], "payload"},
		{"exp string", compact(rs256, map[string]any{"exp": "soon"}, "c2ln"), "payload"},
		{"exp negative", compact(rs256, map[string]any{"exp": -1}, "c2ln"), "exp"},
		{"exp huge", compact(rs256, map[string]any{"exp": 1e300}, "c2ln"), "exp"},
		{"iat huge", compact(rs256, map[string]any{"exp": 1, "iat": 1e19}, "c2ln"), "iat"},
		{"nbf huge", compact(rs256, map[string]any{"exp": 1, "nbf": 1e19}, "c2ln"), "nbf"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := jwtclaims.Peek(tt.token)
			require.Error(t, err)
			assert.ErrorIs(t, err, jwtclaims.ErrMalformed)
			var je *jwtclaims.Error
			require.True(t, errors.As(err, &je))
			assert.Contains(t, je.Reason, tt.reason)
			assertNoLeak(t, err, tt.token)
		})
	}
}

func TestPeekHeaderWithoutAlgorithm(t *testing.T) {
	// Peeking does not judge the header: verification does.
	c, err := jwtclaims.Peek(compact(map[string]any{"typ": "JWT"}, map[string]any{"exp": 7}, "c2ln"))
	require.NoError(t, err)
	assert.Empty(t, c.Algorithm)
	assert.Equal(t, time.Unix(7, 0), c.Expiry)
}

func TestPeekExtraDestinationErrors(t *testing.T) {
	tok := compact(rs256, map[string]any{"exp": 5, "x": "str"}, "c2ln")
	var wrong struct {
		X int `json:"x"`
	}
	_, err := jwtclaims.Peek(tok, &wrong)
	require.ErrorIs(t, err, jwtclaims.ErrMalformed)
	assertNoLeak(t, err, tok)
}

// assertNoLeak fails when the error text holds the token or any of its
// parts long enough to matter.
func assertNoLeak(t *testing.T, err error, token string) {
	t.Helper()
	msg := err.Error()
	for _, part := range append(strings.Split(token, "."), token) {
		if len(part) >= 6 {
			assert.NotContains(t, msg, part)
		}
	}
}
