package testkit

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// ClaimsNamespace is the claim under which Hasura reads its session
// variables by default.
const ClaimsNamespace = "https://hasura.io/jwt/claims"

// FakeJWT builds an unsigned-looking but well-formed compact JWS with iat
// and exp, padded with a claim so the whole is about size bytes (at least
// the minimal length), the shape of a Clerk RS256 template token.
func FakeJWT(iat time.Time, lifetime time.Duration, sub string, size int) string {
	enc := base64.RawURLEncoding
	head := enc.EncodeToString([]byte(`{"alg":"RS256","kid":"ins_2fakeKey","typ":"JWT"}`))
	sig := strings.Repeat("s", 342) // the length of an RS256 signature
	claims := map[string]any{
		"azp": "http://localhost:3000", "iss": "https://clerk.clerkhasura.test",
		"sub": sub, "jti": sub + fmt.Sprint(iat.UnixNano()),
		"iat": iat.Unix(), "nbf": iat.Unix() - 5, "exp": iat.Add(lifetime).Unix(),
		ClaimsNamespace: map[string]any{
			"x-hasura-user-id": sub, "x-hasura-default-role": "user",
			"x-hasura-allowed-roles": []string{"user"},
		},
	}
	body, _ := json.Marshal(claims)
	if pad := (size-len(head)-len(sig)-2)*3/4 - len(body) - 10; pad > 0 {
		claims["pad"] = strings.Repeat("p", pad)
		body, _ = json.Marshal(claims)
	}
	return head + "." + enc.EncodeToString(body) + "." + sig
}

// UnsignedJWT builds a compact JWT with the given claims and a dummy
// signature: enough for reading claims, never for Hasura.
func UnsignedJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "ins_test"}) + "." +
		enc(claims) + "." + base64.RawURLEncoding.EncodeToString([]byte("not-a-real-signature"))
}

// HasuraClaims are the claims of Clerk's Hasura template for userID,
// valid for an hour from now.
func HasuraClaims(userID string) map[string]any {
	return map[string]any{
		"sub": userID,
		"exp": time.Now().Add(time.Hour).Unix(),
		"iat": time.Now().Unix(),
		ClaimsNamespace: map[string]any{
			"x-hasura-user-id":       userID,
			"x-hasura-default-role":  "user",
			"x-hasura-allowed-roles": []string{"user"},
		},
	}
}
