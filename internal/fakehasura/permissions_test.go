package fakehasura

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"
	"go.yaml.in/yaml/v3"
)

// metadata mirrors examples/hasura/metadata/databases/default/tables/public_users.yaml.
type metadata struct {
	Table struct {
		Name   string `yaml:"name"`
		Schema string `yaml:"schema"`
	} `yaml:"table"`
	Insert []rolePermission `yaml:"insert_permissions"`
	Select []rolePermission `yaml:"select_permissions"`
	Update []rolePermission `yaml:"update_permissions"`
	Delete []rolePermission `yaml:"delete_permissions"`
}

type rolePermission struct {
	Role       string `yaml:"role"`
	Permission struct {
		Columns           []string       `yaml:"columns"`
		Filter            map[string]any `yaml:"filter"`
		Check             map[string]any `yaml:"check"`
		AllowAggregations bool           `yaml:"allow_aggregations"`
	} `yaml:"permission"`
}

func readMetadata(t *testing.T) metadata {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "hasura", "metadata", "databases", "default", "tables", "public_users.yaml"))
	require.NoError(t, err)
	var m metadata
	require.NoError(t, yaml.Unmarshal(b, &m))
	require.Equal(t, "users", m.Table.Name)
	require.Equal(t, "public", m.Table.Schema)
	return m
}

// TestPermissionsMatchMetadata keeps the engine's permission rules, which
// are Go values, in step with the metadata a user applies to Hasura.
func TestPermissionsMatchMetadata(t *testing.T) {
	m := readMetadata(t)
	roles := map[string]TablePermissions{}
	for _, p := range m.Select {
		tp := roles[p.Role]
		tp.SelectColumns, tp.SelectFilter, tp.AllowAggregations = sorted(p.Permission.Columns), p.Permission.Filter, p.Permission.AllowAggregations
		roles[p.Role] = tp
	}
	for _, p := range m.Insert {
		tp := roles[p.Role]
		tp.InsertColumns, tp.InsertCheck = sorted(p.Permission.Columns), p.Permission.Check
		roles[p.Role] = tp
	}
	for _, p := range m.Update {
		tp := roles[p.Role]
		tp.UpdateColumns, tp.UpdateFilter, tp.UpdateCheck = sorted(p.Permission.Columns), p.Permission.Filter, p.Permission.Check
		roles[p.Role] = tp
	}
	assert.Empty(t, m.Delete, "the engine lets no role but admin delete")
	assert.Equal(t, roles, Permissions)
}

func sorted(s []string) []string {
	c := append([]string(nil), s...)
	sort.Strings(c)
	return c
}

func fieldNames(def *ast.Definition) []string {
	var out []string
	for _, f := range def.Fields {
		if len(f.Name) < 2 || f.Name[:2] != "__" {
			out = append(out, f.Name)
		}
	}
	sort.Strings(out)
	return out
}

func enumNames(def *ast.Definition) []string {
	var out []string
	for _, v := range def.EnumValues {
		out = append(out, v.Name)
	}
	sort.Strings(out)
	return out
}

// TestSchemaMatchesPermissions checks graphql/schema.graphql against what
// Hasura generates for the user role from its permissions: the root
// fields, and the columns of every type that lists columns.
func TestSchemaMatchesPermissions(t *testing.T) {
	s, err := loadSchemas()
	require.NoError(t, err)
	p := Permissions["user"]
	sch := s.user
	contains := func(cols []string, c string) bool {
		for _, x := range cols {
			if x == c {
				return true
			}
		}
		return false
	}

	queryRoot := []string{"users"}
	if contains(p.SelectColumns, "id") {
		queryRoot = append(queryRoot, "users_by_pk")
	}
	if p.AllowAggregations {
		queryRoot = append(queryRoot, "users_aggregate")
	}
	sort.Strings(queryRoot)
	assert.Equal(t, queryRoot, fieldNames(sch.Query))
	assert.Equal(t, sorted(append(queryRoot, "users_stream")), fieldNames(sch.Subscription))

	var mutationRoot []string
	if p.InsertColumns != nil {
		mutationRoot = append(mutationRoot, "insert_users")
		if p.SelectColumns != nil {
			mutationRoot = append(mutationRoot, "insert_users_one")
		}
	}
	if p.UpdateColumns != nil {
		mutationRoot = append(mutationRoot, "update_users", "update_users_many")
		if contains(p.SelectColumns, "id") {
			mutationRoot = append(mutationRoot, "update_users_by_pk")
		}
	}
	assert.Equal(t, sorted(mutationRoot), fieldNames(sch.Mutation))

	assert.Equal(t, p.SelectColumns, fieldNames(sch.Types["users"]))
	assert.Equal(t, p.SelectColumns, enumNames(sch.Types["users_select_column"]))
	assert.Equal(t, p.SelectColumns, fieldNames(sch.Types["users_order_by"]))
	assert.Equal(t, sorted(append([]string{"_and", "_not", "_or"}, p.SelectColumns...)), fieldNames(sch.Types["users_bool_exp"]))
	assert.Equal(t, p.InsertColumns, fieldNames(sch.Types["users_insert_input"]))
	assert.Equal(t, p.UpdateColumns, fieldNames(sch.Types["users_set_input"]))
	assert.Equal(t, p.UpdateColumns, enumNames(sch.Types["users_update_column"]))
}

// TestSchemaMatchesMigration checks that the columns the schema knows are
// the table's, with the types the engine gives them.
func TestSchemaMatchesMigration(t *testing.T) {
	b, err := os.ReadFile(filepath.Join("..", "..", "examples", "hasura", "migrations", "default", "1700000000000_create_users", "up.sql"))
	require.NoError(t, err)
	cols := map[string]string{}
	for _, m := range regexp.MustCompile(`(?m)^\s+(\w+)\s+(\w+)`).FindAllStringSubmatch(string(b), -1) {
		cols[m[1]] = m[2]
	}
	assert.Equal(t, map[string]string{"id": "text", "name": "text", "last_seen": "timestamp"}, cols)
	assert.Contains(t, string(b), "last_seen timestamp DEFAULT now()")
	assert.Contains(t, string(b), "id text PRIMARY KEY")
	s, err := loadSchemas()
	require.NoError(t, err)
	for _, f := range s.user.Types["users"].Fields {
		if f.Name == "__typename" {
			continue
		}
		want := "String"
		if cols[f.Name] == "timestamp" {
			want = "timestamp"
		}
		assert.Equal(t, want, f.Type.Name(), f.Name)
		assert.Equal(t, cols[f.Name] == "timestamp", isTimestampColumn(f.Name), f.Name)
	}
}
