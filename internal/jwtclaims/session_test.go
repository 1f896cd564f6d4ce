package jwtclaims_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

func TestSessionVariable(t *testing.T) {
	const ns, name = "https://hasura.io/jwt/claims", "x-hasura-user-id"
	tests := []struct {
		name    string
		payload map[string]any
		want    string
		failure string
	}{
		{"object", map[string]any{ns: map[string]any{name: "user_1"}}, "user_1", ""},
		{"stringified", map[string]any{ns: `{"x-hasura-user-id":"user_2"}`}, "user_2", ""},
		{"case", map[string]any{ns: map[string]any{"X-Hasura-User-Id": "user_3"}}, "user_3", ""},
		{"exact case wins", map[string]any{ns: map[string]any{name: "user_4", "X-Hasura-User-Id": "other"}}, "user_4", ""},
		{"no namespace", map[string]any{"sub": "user_1"}, "", "namespace claim is missing"},
		{"namespace a number", map[string]any{ns: 1}, "", "namespace claim is not a JSON object"},
		{"missing", map[string]any{ns: map[string]any{}}, "", "claim is missing"},
		{"not a string", map[string]any{ns: map[string]any{name: true}}, "", "claim is not a string"},
		{"empty", map[string]any{ns: map[string]any{name: ""}}, "", "claim is empty"},
		{"twice", map[string]any{ns: map[string]any{"X-HASURA-USER-ID": "a", "x-Hasura-user-ID": "b"}}, "",
			"claim appears more than once, in different cases"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, failure := jwtclaims.SessionVariable(compact(rs256, tt.payload, "sig"), ns, name)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, tt.failure, failure)
		})
	}
	got, failure := jwtclaims.SessionVariable("not-a-jwt", ns, name)
	assert.Empty(t, got)
	assert.Contains(t, failure, "token is not a readable JWT")
	assert.NotContains(t, failure, "not-a-jwt")
}
