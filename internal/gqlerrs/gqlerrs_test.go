package gqlerrs_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/internal/gqlerrs"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

func TestRead(t *testing.T) {
	ext := map[string]any{"code": "validation-failed", "path": "$.selectionSet.users"}
	got := gqlerrs.Read(gqlerror.List{
		{Message: "field not found", Extensions: ext},
		nil,
		{Message: "from a remote schema", Path: ast.Path{ast.PathName("users"), ast.PathIndex(0)}},
		{Message: "odd extensions", Extensions: map[string]any{"code": 42, "path": []any{"$"}}},
	})
	assert.Equal(t, []hasuraerr.Error{
		{Message: "field not found", Code: "validation-failed", Path: "$.selectionSet.users", Extensions: ext},
		{Message: "from a remote schema", Path: "users[0]"},
		{Message: "odd extensions", Extensions: map[string]any{"code": 42, "path": []any{"$"}}},
	}, got)
	assert.Empty(t, gqlerrs.Read(nil))
}
