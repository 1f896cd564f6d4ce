package hasura_test

import (
	"context"
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestClientUserID(t *testing.T) {
	stringified, err := json.Marshal(map[string]any{"x-hasura-user-id": "user_str", "x-hasura-default-role": "user"})
	require.NoError(t, err)
	tests := []struct {
		name   string
		claims map[string]any
		opts   *hasura.ClientOptions
		want   string
	}{
		{
			name:   "Clerk's Hasura template",
			claims: testkit.HasuraClaims("user_alice"),
			want:   "user_alice",
		},
		{
			name:   "stringified claims",
			claims: map[string]any{hasura.DefaultClaimsNamespace: string(stringified)},
			want:   "user_str",
		},
		{
			name:   "claim names ignore case",
			claims: map[string]any{hasura.DefaultClaimsNamespace: map[string]any{"X-Hasura-User-Id": "user_case"}},
			want:   "user_case",
		},
		{
			name:   "custom namespace and claim",
			claims: map[string]any{"claims.jwt.hasura.io": map[string]any{"x-hasura-clerk-id": "user_ddn"}},
			opts:   &hasura.ClientOptions{ClaimsNamespace: "claims.jwt.hasura.io", UserIDClaim: "x-hasura-clerk-id"},
			want:   "user_ddn",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := hasura.NewClient("http://hasura.test/v1/graphql", sources.FromClaims(t, tt.claims), tt.opts)
			require.NoError(t, err)
			got, err := c.UserID(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestClientUserIDMissing(t *testing.T) {
	ns := hasura.DefaultClaimsNamespace
	tests := []struct {
		name   string
		claims map[string]any
		opts   *hasura.ClientOptions
		reason string
	}{
		{"no namespace", map[string]any{"sub": "user_1"}, nil, "namespace claim is missing"},
		{"other namespace", testkit.HasuraClaims("user_1"), &hasura.ClientOptions{ClaimsNamespace: "claims.jwt.hasura.io"}, "namespace claim is missing"},
		{"namespace not an object", map[string]any{ns: 42}, nil, "namespace claim is not a JSON object"},
		{"namespace a string but not JSON", map[string]any{ns: "x-hasura-user-id=user_1"}, nil, "namespace claim is not a JSON object"},
		{"no user id", map[string]any{ns: map[string]any{"x-hasura-default-role": "user"}}, nil, "claim is missing"},
		{"user id not a string", map[string]any{ns: map[string]any{"x-hasura-user-id": 42}}, nil, "claim is not a string"},
		{"user id empty", map[string]any{ns: map[string]any{"x-hasura-user-id": ""}}, nil, "claim is empty"},
		{"user id twice", map[string]any{ns: map[string]any{"X-Hasura-User-Id": "a", "x-hasura-USER-id": "b"}}, nil,
			"claim appears more than once, in different cases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			src := sources.FromClaims(t, tt.claims)
			c, err := hasura.NewClient("http://hasura.test/v1/graphql", src, tt.opts)
			require.NoError(t, err)
			_, err = c.UserID(context.Background())
			require.ErrorIs(t, err, hasura.ErrNoUserID)
			var ce *hasura.ClaimError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.reason, ce.Reason)
			wantNS := hasura.DefaultClaimsNamespace
			if tt.opts != nil {
				wantNS = tt.opts.ClaimsNamespace
			}
			assert.Equal(t, wantNS, ce.Namespace)
			assert.Equal(t, hasura.DefaultUserIDClaim, ce.Claim)
			assertNoTokenIn(t, err, src.Tok.Value)
		})
	}
}

func TestClientUserIDMalformedToken(t *testing.T) {
	for _, value := range []string{"opaque-session-token", "a.b.c", "eyJhbGciOiJSUzI1NiJ9.bm90IGpzb24.c2ln"} {
		t.Run(value, func(t *testing.T) {
			src := sources.Static{Tok: &clerkhasura.Token{Value: value, Expiry: time.Now().Add(time.Hour)}}
			c, err := hasura.NewClient("http://hasura.test/v1/graphql", src, nil)
			require.NoError(t, err)
			_, err = c.UserID(context.Background())
			require.ErrorIs(t, err, hasura.ErrNoUserID)
			assert.NotContains(t, err.Error(), value)
		})
	}
}

func TestClientUserIDSourceError(t *testing.T) {
	boom := errors.New("clerk is down")
	c, err := hasura.NewClient("http://hasura.test/v1/graphql", &sources.Counting{Err: boom}, nil)
	require.NoError(t, err)
	_, err = c.UserID(context.Background())
	require.ErrorIs(t, err, boom)
	assert.NotErrorIs(t, err, hasura.ErrNoUserID)
}

// assertNoTokenIn fails when err's message contains the token or any of its
// three parts.
func assertNoTokenIn(t *testing.T, err error, token string) {
	t.Helper()
	msg := err.Error()
	for _, part := range append(strings.Split(token, "."), token) {
		if len(part) >= 8 {
			assert.NotContains(t, msg, part, "the error reveals the token")
		}
	}
}
