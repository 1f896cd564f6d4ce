package hasura

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func hasuraGQLError(code, path, msg string) *gqlerror.Error {
	return &gqlerror.Error{Message: msg, Extensions: map[string]any{"code": code, "path": path}}
}

func TestWrapGraphQLErrorPassesOthersThrough(t *testing.T) {
	assert.NoError(t, wrapError(nil))
	plain := errors.New("dial tcp: connection refused")
	assert.Same(t, plain, wrapError(plain))
	empty := fmt.Errorf("op: %w", gqlerror.List{})
	assert.Equal(t, empty, wrapError(empty))
	already := wrapError(gqlerror.List{hasuraGQLError("invalid-jwt", "$", "m")})
	assert.Same(t, already, wrapError(already), "not wrapped twice")
	wrapped := fmt.Errorf("Me: %w", already)
	assert.Same(t, wrapped, wrapError(wrapped))
}

func TestWrapGraphQLErrorFromList(t *testing.T) {
	list := gqlerror.List{
		hasuraGQLError("validation-failed", "$.selectionSet.users", "field 'users' not found in type: 'query_root'"),
		{Message: "no code", Path: ast.Path{ast.PathName("users"), ast.PathIndex(0), ast.PathName("name")}},
		nil,
	}
	err := wrapError(fmt.Errorf("Me: %w", list))

	var herr *Error
	require.ErrorAs(t, err, &herr)
	assert.Equal(t, http.StatusOK, herr.StatusCode)
	assert.Equal(t, []GraphQLError{
		{
			Message:    "field 'users' not found in type: 'query_root'",
			Code:       "validation-failed",
			Path:       "$.selectionSet.users",
			Extensions: map[string]any{"code": "validation-failed", "path": "$.selectionSet.users"},
		},
		{Message: "no code", Path: "users[0].name"},
	}, herr.Errors)
	assert.Equal(t, "validation-failed", herr.Code())
	assert.True(t, herr.Has("validation-failed"))
	assert.False(t, herr.Has("invalid-jwt"))
	assert.False(t, herr.Has(""))
	assert.ErrorIs(t, err, ErrValidation)
	assert.NotErrorIs(t, err, ErrAuth)
	assert.Equal(t,
		"clerkhasura: Hasura: field 'users' not found in type: 'query_root' (validation-failed at $.selectionSet.users); no code (at users[0].name)",
		err.Error())

	var orig gqlerror.List
	require.ErrorAs(t, err, &orig, "the original list stays reachable")
	assert.Len(t, orig, 3)
}

func TestWrapGraphQLErrorFromHTTPError(t *testing.T) {
	t.Run("JSON body", func(t *testing.T) {
		he := &graphql.HTTPError{StatusCode: http.StatusBadRequest, Response: graphql.Response{
			Errors: gqlerror.List{hasuraGQLError("invalid-jwt", "$", "Could not verify JWT: JWTExpired")},
		}}
		err := wrapError(he)
		var herr *Error
		require.ErrorAs(t, err, &herr)
		assert.Equal(t, http.StatusBadRequest, herr.StatusCode)
		assert.Equal(t, "invalid-jwt", herr.Code())
		assert.ErrorIs(t, err, ErrAuth)
		assert.Equal(t, "clerkhasura: Hasura (HTTP 400): Could not verify JWT: JWTExpired (invalid-jwt at $)", err.Error())
		var got *graphql.HTTPError
		require.ErrorAs(t, err, &got)
		assert.Same(t, he, got)
	})
	t.Run("no GraphQL errors", func(t *testing.T) {
		err := wrapError(&graphql.HTTPError{StatusCode: http.StatusBadGateway})
		var herr *Error
		require.ErrorAs(t, err, &herr)
		require.Len(t, herr.Errors, 1)
		assert.Equal(t, "HTTP 502 Bad Gateway", herr.Errors[0].Message)
		assert.Empty(t, herr.Code())
		for _, s := range []error{ErrAuth, ErrValidation, ErrPermission, ErrConstraint} {
			assert.NotErrorIs(t, err, s)
		}
	})
	t.Run("401 is an auth error whatever the body", func(t *testing.T) {
		err := wrapError(&graphql.HTTPError{StatusCode: http.StatusUnauthorized, Response: graphql.Response{
			Errors: gqlerror.List{{Message: "Unauthorized"}},
		}})
		assert.ErrorIs(t, err, ErrAuth)
	})
}

func TestHasuraErrorClasses(t *testing.T) {
	tests := []struct {
		code string
		want error
	}{
		{"invalid-jwt", ErrAuth},
		{"invalid-headers", ErrAuth},
		{"jwt-invalid-claims", ErrAuth},
		{"jwt-missing-role-claims", ErrAuth},
		{"access-denied", ErrAuth},
		{"validation-failed", ErrValidation},
		{"parse-failed", ErrValidation},
		{"permission-error", ErrPermission},
		{"permission-denied", ErrPermission},
		{"constraint-violation", ErrConstraint},
		{"constraint-error", nil},
		{"data-exception", nil},
		{"postgres-error", nil},
		{"unexpected", nil},
		{"", nil},
	}
	sentinels := []error{ErrAuth, ErrValidation, ErrPermission, ErrConstraint}
	for _, tt := range tests {
		t.Run(tt.code, func(t *testing.T) {
			err := wrapError(gqlerror.List{hasuraGQLError(tt.code, "$", "m")})
			for _, s := range sentinels {
				assert.Equal(t, s == tt.want, errors.Is(err, s), "errors.Is(%q, %v)", tt.code, s)
			}
			herr, ok := errors.AsType[*Error](err)
			require.True(t, ok)
			for _, s := range sentinels {
				assert.Equal(t, s == tt.want, herr.Errors[0].Is(s), "GraphQLError.Is(%v)", s)
			}
		})
	}
	t.Run("any of several errors", func(t *testing.T) {
		err := wrapError(gqlerror.List{
			hasuraGQLError("unexpected", "$", "a"),
			hasuraGQLError("constraint-violation", "$.selectionSet.insert_users_one", "Uniqueness violation."),
		})
		assert.ErrorIs(t, err, ErrConstraint)
		assert.NotErrorIs(t, err, ErrAuth)
		herr, _ := errors.AsType[*Error](err)
		assert.Equal(t, "unexpected", herr.Code(), "Code is the first error's")
	})
}

func TestGraphQLErrorFormat(t *testing.T) {
	tests := []struct {
		in   GraphQLError
		want string
	}{
		{GraphQLError{Message: "m", Code: "c", Path: "$.p"}, "m (c at $.p)"},
		{GraphQLError{Message: "m", Code: "c"}, "m (c)"},
		{GraphQLError{Message: "m", Path: "$.p"}, "m (at $.p)"},
		{GraphQLError{Message: "m"}, "m"},
	}
	for _, tt := range tests {
		assert.Equal(t, tt.want, tt.in.Error())
	}
}

// TestHasuraErrorsThroughGenqlient runs genqlient's client over a Transport
// against Hasura's error bodies and checks what callers get.
func TestHasuraErrorsThroughGenqlient(t *testing.T) {
	const secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl"
	tests := []struct {
		name       string
		status     int
		body       string
		wantStatus int
		wantCode   string
		wantPath   string
		wantClass  error
	}{
		{
			name:       "validation",
			status:     http.StatusOK,
			body:       `{"errors":[{"message":"field 'users' not found in type: 'query_root'","extensions":{"path":"$.selectionSet.users","code":"validation-failed"}}]}`,
			wantStatus: http.StatusOK, wantCode: "validation-failed", wantPath: "$.selectionSet.users", wantClass: ErrValidation,
		},
		{
			name:       "token rejected twice",
			status:     http.StatusOK,
			body:       `{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"Could not verify JWT: JWTExpired"}]}`,
			wantStatus: http.StatusOK, wantCode: "invalid-jwt", wantPath: "$", wantClass: ErrAuth,
		},
		{
			name:       "role not allowed",
			status:     http.StatusOK,
			body:       `{"errors":[{"message":"Your requested role is not in allowed roles","extensions":{"path":"$","code":"access-denied"}}]}`,
			wantStatus: http.StatusOK, wantCode: "access-denied", wantPath: "$", wantClass: ErrAuth,
		},
		{
			name:       "proxy error page",
			status:     http.StatusBadGateway,
			body:       `<html>bad gateway</html>`,
			wantStatus: http.StatusBadGateway,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				_, _ = io.Copy(io.Discard, r.Body)
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			var n int
			src := sources.Func(func(context.Context) (*clerkhasura.Token, error) {
				n++
				return &clerkhasura.Token{Value: fmt.Sprintf("%s-%d", secret, n)}, nil
			})
			tr, err := clerkhasura.NewTransport(srv.URL, src, nil)
			require.NoError(t, err)
			gql := graphql.NewClient(srv.URL+"/v1/graphql", &http.Client{Transport: tr})
			var resp graphql.Response
			err = wrapError(gql.MakeRequest(t.Context(), &graphql.Request{Query: "query { users { id } }", OpName: "Users"}, &resp))

			var herr *Error
			require.ErrorAs(t, err, &herr)
			assert.Equal(t, tt.wantStatus, herr.StatusCode)
			assert.Equal(t, tt.wantCode, herr.Code())
			if tt.wantCode != "" {
				assert.Equal(t, tt.wantPath, herr.Errors[0].Path)
			}
			if tt.wantClass != nil {
				assert.ErrorIs(t, err, tt.wantClass)
			}
			assert.NotContains(t, err.Error(), secret)
		})
	}
}
