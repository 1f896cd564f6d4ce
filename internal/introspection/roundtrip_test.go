package introspection

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraschema"
)

// TestRoundTripCommittedSchema: the fake serves examples/hasura, whose
// schema for the role user is graphql/schema.graphql; introspecting it
// and printing the answer gives that schema back.
func TestRoundTripCommittedSchema(t *testing.T) {
	p, err := fakehasura.DefaultProject()
	require.NoError(t, err)
	sdl, err := SDL(introspect(t, fakeEngine(t, p), "user"))
	require.NoError(t, err)
	assert.Equal(t, formatted(t, graphql.Schema), string(sdl))
	assert.Contains(t, string(sdl), "update_columns: [users_update_column!]! = []")
}

// TestRoundTripGeneratedSchemas: for projects with many tables, custom
// scalars, enums, other schemas and views, what the fake's introspection
// gives back prints as the schema the fake generated, for the admin role
// and for a role with permissions.
func TestRoundTripGeneratedSchemas(t *testing.T) {
	shop, _, err := hasuraproject.LoadParsed(os.DirFS("../fakehasura/testdata/shop"), mustRead(t, "../fakehasura/testdata/shop.parsed"))
	require.NoError(t, err)
	yardstick := loadProject(t, "../hasuraproject/testdata/yardstick-pgdump")
	cases := []struct {
		name    string
		project *hasuraproject.Project
		role    string
		want    []string
	}{
		{"yardstick admin", yardstick, hasuraschema.AdminRole, []string{"scalar timestamptz", "todos_aggregate_fields", "users_stream_cursor_input"}},
		{"shop admin", shop, hasuraschema.AdminRole, []string{"scalar uuid", "scalar jsonb", "scalar numeric", "type billing_invoices ", "scalar mood"}},
		{"shop user", shop, "user", []string{"scalar timestamptz", "input todos_insert_input"}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			generated, err := hasuraschema.Generate(tc.project, tc.role)
			require.NoError(t, err)
			sdl, err := SDL(introspect(t, fakeEngine(t, tc.project), tc.role))
			require.NoError(t, err)
			assert.Equal(t, formatted(t, generated.SDL()), string(sdl))
			for _, w := range tc.want {
				assert.Contains(t, string(sdl), w)
			}
		})
	}
}
