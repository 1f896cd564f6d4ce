package hasuraerr_test

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

// Bodies as Hasura sends them (hasura/graphql-engine server/tests-py/test_jwt.py
// and the error encoder in Hasura/Base/Error.hs); older builds write
// "extensions" before "message".
const (
	expiredNew = `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`
	expiredOld = `{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"Could not verify JWT: JWTExpired"}]}`
	validation = `{"errors":[{"message":"field 'users' not found in type: 'query_root'","extensions":{"path":"$.selectionSet.users","code":"validation-failed"}}]}`
)

func TestParse(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		want    []hasuraerr.Error
		hasData bool
		member  bool // a "data" member, null or not
	}{
		{
			name: "invalid-jwt, message first",
			body: expiredNew,
			want: []hasuraerr.Error{{
				Message:    "Could not verify JWT: JWTExpired",
				Code:       "invalid-jwt",
				Path:       "$",
				Extensions: map[string]any{"path": "$", "code": "invalid-jwt"},
			}},
		},
		{
			name: "invalid-jwt, extensions first",
			body: expiredOld,
			want: []hasuraerr.Error{{
				Message:    "Could not verify JWT: JWTExpired",
				Code:       "invalid-jwt",
				Path:       "$",
				Extensions: map[string]any{"path": "$", "code": "invalid-jwt"},
			}},
		},
		{
			name: "validation path",
			body: validation,
			want: []hasuraerr.Error{{
				Message:    "field 'users' not found in type: 'query_root'",
				Code:       "validation-failed",
				Path:       "$.selectionSet.users",
				Extensions: map[string]any{"path": "$.selectionSet.users", "code": "validation-failed"},
			}},
		},
		{
			name: "two errors keep their order",
			body: `{"errors":[{"message":"a","extensions":{"code":"x"}},{"message":"b","extensions":{"code":"y","path":"$.b"}}]}`,
			want: []hasuraerr.Error{
				{Message: "a", Code: "x", Extensions: map[string]any{"code": "x"}},
				{Message: "b", Code: "y", Path: "$.b", Extensions: map[string]any{"code": "y", "path": "$.b"}},
			},
		},
		{
			name: "no extensions",
			body: `{"errors":[{"message":"boom"}]}`,
			want: []hasuraerr.Error{{Message: "boom"}},
		},
		{
			name: "non-string code and path are ignored but kept in Extensions",
			body: `{"errors":[{"message":"m","extensions":{"code":7,"path":["a"]}}]}`,
			want: []hasuraerr.Error{{Message: "m", Extensions: map[string]any{"code": float64(7), "path": []any{"a"}}}},
		},
		{
			name: "null message and extensions",
			body: `{"errors":[{"message":null,"extensions":null}]}`,
			want: []hasuraerr.Error{{}},
		},
		{
			name:    "data and errors",
			body:    `{"data":{"users":[]},"errors":[{"message":"m"}]}`,
			want:    []hasuraerr.Error{{Message: "m"}},
			hasData: true,
			member:  true,
		},
		{
			name:    "data only",
			body:    `{"data":{"users":[]}}`,
			hasData: true,
			member:  true,
		},
		{name: "null data", body: `{"data":null}`, member: true},
		{
			name:   "null data after errors",
			body:   `{"errors":[{"message":"m"}],"data" : null}`,
			want:   []hasuraerr.Error{{Message: "m"}},
			member: true,
		},
		{name: "null errors", body: `{"errors":null}`},
		{name: "empty errors", body: `{"errors":[]}`},
		{name: "member names are case-sensitive", body: `{"ERRORS":[{"message":"m"}],"Data":{}}`},
		{name: "surrounding whitespace", body: " \n{ \"errors\" : [ ] }\t"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hasuraerr.Parse([]byte(tt.body))
			require.NoError(t, err)
			assert.Equal(t, tt.want, got.Errors)
			assert.Equal(t, tt.hasData, got.HasData)
			assert.Equal(t, tt.member, got.DataMember)
		})
	}
}

func TestParseMalformed(t *testing.T) {
	tests := []struct {
		name       string
		body       string
		wantOffset bool
	}{
		{name: "empty", body: "", wantOffset: true},
		{name: "truncated", body: `{"errors":[{"message":"Could not`, wantOffset: true},
		{name: "html", body: "<html>502 Bad Gateway</html>", wantOffset: true},
		{name: "trailing garbage", body: `{"errors":[]} x`, wantOffset: true},
		{name: "array", body: `[{"message":"m"}]`},
		{name: "null", body: `null`},
		{name: "string", body: `"errors"`},
		{name: "errors is an object", body: `{"errors":{"message":"m"}}`},
		{name: "errors is a string", body: `{"errors":"m"}`},
		{name: "error is a string", body: `{"errors":["m"]}`},
		{name: "error is null", body: `{"errors":[null]}`},
		{name: "message is a number", body: `{"errors":[{"message":1}]}`},
		{name: "extensions is an array", body: `{"errors":[{"message":"m","extensions":[]}]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hasuraerr.Parse([]byte(tt.body))
			require.Error(t, err)
			assert.Nil(t, got)
			var me *hasuraerr.MalformedError
			require.True(t, errors.As(err, &me), "want *MalformedError, got %T", err)
			assert.Equal(t, tt.wantOffset, me.Offset >= 0, "offset %d", me.Offset)
			assert.Contains(t, err.Error(), "hasuraerr: malformed response body")
		})
	}
}

func TestMalformedErrorDoesNotQuoteBody(t *testing.T) {
	const secret = "eyJhbGciOiJSUzI1NiJ9.c2VjcmV0.c2ln"
	for _, body := range []string{
		`{"errors":[{"message":"` + secret,
		`{"errors":"` + secret + `"}`,
		`[` + `"` + secret + `"]`,
	} {
		_, err := hasuraerr.Parse([]byte(body))
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
	}
}

func TestResponseHas(t *testing.T) {
	r, err := hasuraerr.Parse([]byte(`{"errors":[{"message":"a"},{"message":"b","extensions":{"code":"x"}},{"message":"c","extensions":{"code":"invalid-jwt"}}]}`))
	require.NoError(t, err)
	assert.True(t, r.Has("invalid-jwt"))
	assert.True(t, r.Has("x"))
	assert.False(t, r.Has("validation-failed"))
	assert.False(t, r.Has(""), "an error without a code is not matched by the empty code")
}
