package hasuraschema

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// yardstickDifferences are the known differences between the generated
// admin schema and the real Hasura one (see the package doc). The test
// fails when one disappears or a new one appears.
var yardstickDifferences = []string{
	`field query_root.todos: description "fetch data from the table: \"todos\"", want "An array relationship"`,
	`field query_root.todos_aggregate: description "fetch aggregated fields from the table: \"todos\"", want "An aggregate relationship"`,
	`field subscription_root.todos: description "fetch data from the table: \"todos\"", want "An array relationship"`,
	`field subscription_root.todos_aggregate: description "fetch aggregated fields from the table: \"todos\"", want "An aggregate relationship"`,
}

// Lower bounds of what the generator reproduces exactly, as measured.
const (
	yardstickTypesExact  = 86
	yardstickFieldsExact = 346
	yardstickArgsExact   = 119
)

func loadSchemaFile(t *testing.T, name, sdl string) *ast.Schema {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: name, Input: sdl})
	require.NoError(t, err)
	return s
}

func loadProject(t *testing.T, dir string) *hasuraproject.Project {
	t.Helper()
	p, _, err := hasuraproject.Load(os.DirFS(dir))
	require.NoError(t, err)
	return p
}

func generate(t *testing.T, p *hasuraproject.Project, role string) *Schema {
	t.Helper()
	s, err := Generate(p, role)
	require.NoError(t, err)
	return s
}

func TestYardstickAdminSchema(t *testing.T) {
	b, err := os.ReadFile("testdata/yardstick.graphql")
	require.NoError(t, err)
	want := loadSchemaFile(t, "yardstick.graphql", string(b))
	for _, style := range []string{"handwritten", "pgdump"} {
		t.Run(style, func(t *testing.T) {
			got := generate(t, loadProject(t, "../hasuraproject/testdata/yardstick-"+style), AdminRole)
			c := compareSchemas(want, got.AST)
			t.Logf("reproduced exactly: types %d/%d; fields, input fields and enum values %d/%d; arguments %d/%d",
				c.typesExact, c.types, c.fieldsExact, c.fields, c.argsExact, c.args)
			assert.Equal(t, 88, c.types)
			assert.Equal(t, 350, c.fields)
			assert.GreaterOrEqual(t, c.argsExact, yardstickArgsExact)
			assert.GreaterOrEqual(t, c.typesExact, yardstickTypesExact)
			assert.GreaterOrEqual(t, c.fieldsExact, yardstickFieldsExact)
			assert.Equal(t, yardstickDifferences, c.diffs)
		})
	}
}

// TestUserRoleMatchesCommittedSchema: examples/hasura seen by the role
// user is the schema graphql/schema.graphql declares by hand.
func TestUserRoleMatchesCommittedSchema(t *testing.T) {
	want := loadSchemaFile(t, "schema.graphql", graphql.Schema)
	got := generate(t, loadProject(t, "../../examples/hasura"), "user")
	c := compareSchemas(want, got.AST)
	assert.Empty(t, c.diffs)
	assert.Equal(t, c.types, c.typesExact)
	assert.Equal(t, c.fields, c.fieldsExact)
	assert.Greater(t, c.fields, 50, "the comparison covers the schema")
}
