package hasuraerr_test

import (
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

func TestJSONPrefix(t *testing.T) {
	tests := []struct {
		in   string
		name string
		want hasuraerr.Prefix
	}{
		{"", hasuraerr.ErrorsMember, hasuraerr.Undecided},
		{" \n\t\r", hasuraerr.ErrorsMember, hasuraerr.Undecided},
		{"{", hasuraerr.ErrorsMember, hasuraerr.Undecided},
		{`{"err`, hasuraerr.ErrorsMember, hasuraerr.Undecided},
		{" { \"errors", hasuraerr.ErrorsMember, hasuraerr.Undecided},
		{`{"errors"`, hasuraerr.ErrorsMember, hasuraerr.Match},
		{`{"errors":[`, hasuraerr.ErrorsMember, hasuraerr.Match},
		{"\n{\n  \"errors\" :", hasuraerr.ErrorsMember, hasuraerr.Match},
		{`{"data"`, hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{`{"d`, hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{`{"errorsX"`, hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{`{"Errors"`, hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{`[`, hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{`<html>`, hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{"\xef\xbb\xbf{", hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{`{}`, hasuraerr.ErrorsMember, hasuraerr.Mismatch},
		{"", "", hasuraerr.Undecided},
		{" {", "", hasuraerr.Match},
		{`{}`, "", hasuraerr.Match},
		{`[{}]`, "", hasuraerr.Mismatch},
		{`<html>`, "", hasuraerr.Mismatch},
	}
	for _, tt := range tests {
		t.Run(tt.name+" "+tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, hasuraerr.JSONPrefix([]byte(tt.in), tt.name))
		})
	}
}

func TestIsJWTRefusal(t *testing.T) {
	tests := []struct {
		name string
		body string
		want bool
	}{
		{"message first", expiredNew, true},
		{"extensions first", expiredOld, true},
		{"indented", "\n{\n  \"errors\": [{\"message\": \"Could not verify JWT: JWSError JWSInvalidSignature\", \"extensions\": {\"path\": \"$\", \"code\": \"invalid-jwt\"}}]\n}", true},
		{"next to null data", `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}],"data":null}`, false},
		{"data before errors", `{"data":null,"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`, false},
		{"at another path", `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$.x","code":"invalid-jwt"}}]}`, false},
		{"code without the verifier's message", `{"errors":[{"message":"JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`, false},
		{"two errors", `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}},{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`, false},
		{"header problem", `{"errors":[{"message":"Malformed Authorization header","extensions":{"path":"$","code":"invalid-headers"}}]}`, false},
		{"validation", validation, false},
		{"cut short", expiredNew[:len(expiredNew)-2], false},
		{"not JSON", `<html>invalid-jwt</html>`, false},
		{"empty", ``, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, hasuraerr.IsJWTRefusal([]byte(tt.body)))
		})
	}
}

func TestMayHaveRun(t *testing.T) {
	tests := []struct {
		name     string
		body     string
		complete bool
		want     bool
	}{
		{"data", `{"data":{"users":[]}}`, true, true},
		{"null data", `{"errors":[],"data":null}`, true, true},
		{"refusal", expiredNew, true, false},
		{"empty", ``, true, false},
		{"page", `<html>401</html>`, true, false},
		{"page cut short", `<html>`, false, false},
		{"object cut short", `{"errors":[`, false, true},
		{"invalid JSON", `{"data"`, true, false},
		{"array", `[{"data":{}}]`, true, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, hasuraerr.MayHaveRun([]byte(tt.body), tt.complete))
		})
	}
}
