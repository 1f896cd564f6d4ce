package fakehasura

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/clerkhasura/clerkhasura-go/graphql"
)

// TestUserSchemaIsTheCommittedOne: the fake validates the SDK's
// operations with the schema it generates from examples/hasura for the
// role user, which must be graphql/schema.graphql, the schema genqlient
// generates the SDK's code against. Their permissions cannot drift apart.
func TestUserSchemaIsTheCommittedOne(t *testing.T) {
	f := newFixture(t)
	rs, err := f.eng.schemas.forRole("user")
	require.NoError(t, err)
	committed, gerr := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: graphql.Schema})
	require.NoError(t, gerr)
	format := func(s *ast.Schema) string {
		var b bytes.Buffer
		formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(s)
		return b.String()
	}
	assert.Equal(t, format(committed), format(rs.schema.AST))
	assert.Contains(t, format(rs.schema.AST), "update_users_by_pk", "the comparison covers the schema")
}
