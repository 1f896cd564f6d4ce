package hasuraschema

import (
	"errors"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// inMemory loads a config v3 project with one migration and a tables list.
func inMemory(t *testing.T, sql, tables string) *hasuraproject.Project {
	t.Helper()
	p, _, err := hasuraproject.Load(fstest.MapFS{
		"config.yaml":                         {Data: []byte("version: 3\n")},
		"metadata/databases/databases.yaml":   {Data: []byte("- name: main\n  kind: postgres\n  configuration: {}\n  tables: \"!include main/tables.yaml\"\n")},
		"metadata/databases/main/tables.yaml": {Data: []byte(tables)},
		"migrations/main/1_init/up.sql":       {Data: []byte(sql)},
	})
	require.NoError(t, err)
	return p
}

const shopSQL = `
CREATE SCHEMA inventory;
CREATE TYPE status AS ENUM ('open', 'closed');
CREATE TABLE inventory.items (
  sku text PRIMARY KEY, secret text, price numeric NOT NULL, stock bigint DEFAULT 0,
  attrs jsonb, state status, created timestamptz DEFAULT now(), code uuid UNIQUE);
COMMENT ON TABLE inventory.items IS 'Things we sell';
COMMENT ON COLUMN inventory.items.price IS 'In cents';
CREATE TABLE reviews (id serial PRIMARY KEY, sku text NOT NULL REFERENCES inventory.items, stars int, body text);
CREATE TABLE audit (at timestamptz, what text);
CREATE VIEW cheap AS SELECT sku, price FROM inventory.items WHERE price < 100;
CREATE VIEW counts AS SELECT sku, count(*) AS n FROM reviews GROUP BY sku;
`

const shopTables = `
- table: {schema: inventory, name: items}
  array_relationships:
    - name: reviews
      using: {foreign_key_constraint_on: {table: reviews, column: sku}}
  select_permissions:
    - role: customer
      permission: {columns: [sku, price, attrs, state], filter: {}}
    - role: clerk
      permission: {columns: '*', filter: {}, allow_aggregations: true}
    - role: auditor
      permission: {columns: [price], filter: {}, query_root_fields: [select], subscription_root_fields: [select_stream]}
  update_permissions:
    - role: clerk
      permission: {columns: [price, stock, attrs], filter: {}}
  insert_permissions:
    - role: supplier
      permission: {columns: [sku, price], check: {}}
    - role: clerk
      permission: {columns: '*', check: {}, backend_only: true}
  delete_permissions:
    - role: customer
      permission: {filter: {}}
- table: reviews
  object_relationships:
    - name: item
      using: {foreign_key_constraint_on: sku}
  select_permissions:
    - role: customer
      permission: {columns: '*', filter: {}, allow_aggregations: true}
    - role: clerk
      permission: {columns: [id, stars], filter: {}}
  insert_permissions:
    - role: customer
      permission: {columns: [sku, stars, body], check: {}}
- table: audit
  insert_permissions:
    - role: customer
      permission: {columns: '*', check: {}}
- table: cheap
- table: counts
`

func fieldNames(d *ast.Definition) []string {
	if d == nil {
		return nil
	}
	var out []string
	for _, f := range ownFields(d.Fields) {
		out = append(out, f.Name)
	}
	return out
}

func fieldType(t *testing.T, s *Schema, typ, field string) string {
	t.Helper()
	d := s.AST.Types[typ]
	require.NotNil(t, d, "type %s", typ)
	f := d.Fields.ForName(field)
	require.NotNil(t, f, "field %s.%s", typ, field)
	return f.Type.String()
}

func enumValues(s *Schema, typ string) []string {
	var out []string
	if d := s.AST.Types[typ]; d != nil {
		for _, v := range d.EnumValues {
			out = append(out, v.Name)
		}
	}
	return out
}

func TestRoleWithoutPermissions(t *testing.T) {
	s := generate(t, inMemory(t, shopSQL, shopTables), "stranger")
	assert.Equal(t, []string{"no_queries_available"}, fieldNames(s.AST.Query))
	assert.Equal(t, "String!", fieldType(t, s, "query_root", "no_queries_available"))
	assert.Nil(t, s.AST.Mutation)
	assert.Nil(t, s.AST.Subscription)
	assert.Equal(t, RootField{Kind: NoQueries}, s.Roots[ast.Query]["no_queries_available"])
}

func TestSelectOnlyRole(t *testing.T) {
	s := generate(t, inMemory(t, shopSQL, shopTables), "auditor")
	assert.Equal(t, []string{"inventory_items"}, fieldNames(s.AST.Query), "query_root_fields: [select]")
	assert.Equal(t, []string{"inventory_items_stream"}, fieldNames(s.AST.Subscription))
	assert.Nil(t, s.AST.Mutation, "no mutation: no mutation_root")
	assert.Equal(t, []string{"price"}, fieldNames(s.AST.Types["inventory_items"]), "no select on reviews: no relationship field")
	assert.Nil(t, s.AST.Types["inventory_items_pk_columns_input"])
	assert.Equal(t, `Streaming cursor of the table "inventory_items"`, s.AST.Types["inventory_items_stream_cursor_input"].Description)
}

func TestCustomerSchema(t *testing.T) {
	s := generate(t, inMemory(t, shopSQL, shopTables), "customer")
	items := s.AST.Types["inventory_items"]
	require.NotNil(t, items)
	assert.Equal(t, "Things we sell\n\n\ncolumns and relationships of \"inventory.items\"\n", items.Description)
	assert.Equal(t, "In cents", items.Fields.ForName("price").Description)
	assert.Equal(t, []string{"attrs", "price", "reviews", "reviews_aggregate", "sku", "state"}, fieldNames(items))
	assert.Equal(t, "jsonb", fieldType(t, s, "inventory_items", "attrs"))
	assert.Equal(t, "path", items.Fields.ForName("attrs").Arguments[0].Name, "json columns take a path")
	assert.Equal(t, "status", fieldType(t, s, "inventory_items", "state"), "an enum column has the enum's scalar")
	assert.Equal(t, "status_comparison_exp", fieldType(t, s, "inventory_items_bool_exp", "state"))
	assert.Nil(t, s.AST.Types["status_comparison_exp"].Fields.ForName("_like"))
	assert.NotNil(t, s.AST.Types["jsonb_comparison_exp"].Fields.ForName("_has_keys_all"))
	assert.Equal(t, "jsonb_cast_exp", fieldType(t, s, "jsonb_comparison_exp", "_cast"))
	assert.Equal(t, "numeric!", fieldType(t, s, "inventory_items", "price"))

	// The primary key is selectable: _by_pk and delete_by_pk exist.
	assert.Contains(t, fieldNames(s.AST.Query), "inventory_items_by_pk")
	assert.NotContains(t, fieldNames(s.AST.Query), "inventory_items_aggregate", "no allow_aggregations")
	assert.Contains(t, fieldNames(s.AST.Query), "reviews_aggregate")
	mutations := fieldNames(s.AST.Mutation)
	assert.Equal(t, []string{"delete_inventory_items", "delete_inventory_items_by_pk", "insert_audit", "insert_reviews", "insert_reviews_one"}, mutations)
	assert.Equal(t, "audit_mutation_response", fieldType(t, s, "mutation_root", "insert_audit"))
	assert.Equal(t, []string{"affected_rows"}, fieldNames(s.AST.Types["audit_mutation_response"]), "no select on audit: no returning")
	assert.Nil(t, s.AST.Mutation.Fields.ForName("insert_audit").Arguments.ForName("on_conflict"), "audit has no key")
	assert.Equal(t, []string{"_PLACEHOLDER"}, enumValues(s, "reviews_update_column"), "no update permission on reviews")
	assert.Equal(t, []string{"reviews_pkey"}, enumValues(s, "reviews_constraint"))
	assert.Equal(t, []string{"body", "sku", "stars"}, fieldNames(s.AST.Types["reviews_insert_input"]), "no insert on items: no nested insert")
	assert.Equal(t, RootField{Kind: DeleteByPk, Table: s.Tables["inventory_items"]}, s.Roots[ast.Mutation]["delete_inventory_items_by_pk"])
	assert.Equal(t, "inventory", s.Tables["inventory_items"].Schema)
}

func TestClerkSchema(t *testing.T) {
	s := generate(t, inMemory(t, shopSQL, shopTables), "clerk")
	assert.Equal(t, []string{"update_inventory_items", "update_inventory_items_by_pk", "update_inventory_items_many"}, fieldNames(s.AST.Mutation),
		"backend_only inserts need the admin secret")
	update := s.AST.Mutation.Fields.ForName("update_inventory_items")
	var args []string
	for _, a := range update.Arguments {
		args = append(args, a.Name+": "+a.Type.String())
	}
	assert.Equal(t, []string{
		"_append: inventory_items_append_input", "_delete_at_path: inventory_items_delete_at_path_input",
		"_delete_elem: inventory_items_delete_elem_input", "_delete_key: inventory_items_delete_key_input",
		"_inc: inventory_items_inc_input", "_prepend: inventory_items_prepend_input",
		"_set: inventory_items_set_input", "where: inventory_items_bool_exp!",
	}, args)
	assert.Equal(t, []string{"price", "stock"}, fieldNames(s.AST.Types["inventory_items_inc_input"]))
	assert.Equal(t, "[String!]", fieldType(t, s, "inventory_items_delete_at_path_input", "attrs"))
	assert.Equal(t, "Int", fieldType(t, s, "inventory_items_delete_elem_input", "attrs"))
	assert.Equal(t, "primary key columns input for table: inventory.items", s.AST.Types["inventory_items_pk_columns_input"].Description)
	assert.Equal(t, "bigint", fieldType(t, s, "inventory_items_sum_fields", "stock"))
	assert.Equal(t, "Float", fieldType(t, s, "inventory_items_avg_fields", "stock"))
	assert.Equal(t, []string{"code", "created", "price", "secret", "sku", "stock"}, fieldNames(s.AST.Types["inventory_items_max_fields"]),
		"max and min skip jsonb and enums")
	// Reviews selectable without aggregates: no reviews_aggregate field.
	assert.NotContains(t, fieldNames(s.AST.Types["inventory_items"]), "reviews_aggregate")
	assert.Equal(t, "[reviews!]!", fieldType(t, s, "inventory_items", "reviews"))
	assert.Equal(t, "inventory_items!", fieldType(t, s, "reviews", "item"), "reviews.sku is NOT NULL")
	assert.Nil(t, s.AST.Query.Fields.ForName("reviews_by_pk").Arguments.ForName("sku"))
}

func TestViewsInSchema(t *testing.T) {
	s := generate(t, inMemory(t, shopSQL, shopTables), AdminRole)
	q := fieldNames(s.AST.Query)
	assert.Contains(t, q, "cheap")
	assert.NotContains(t, q, "cheap_by_pk", "views have no primary key")
	m := fieldNames(s.AST.Mutation)
	assert.Contains(t, m, "insert_cheap")
	assert.Contains(t, m, "delete_cheap")
	assert.NotContains(t, m, "delete_cheap_by_pk")
	assert.Nil(t, s.AST.Mutation.Fields.ForName("insert_cheap").Arguments.ForName("on_conflict"))
	for _, f := range m {
		assert.NotContains(t, f, "counts", "a GROUP BY view is read-only")
	}
	assert.Equal(t, "bigint", fieldType(t, s, "counts", "n"))
}

func TestInvalidGraphQLName(t *testing.T) {
	p := inMemory(t, `CREATE TABLE "order-items" (id int PRIMARY KEY)`, `- table: {schema: public, name: order-items}`)
	_, err := Generate(p, AdminRole)
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrInvalidName))
	assert.Contains(t, err.Error(), `"order-items"`)
}

func TestCompareSchemasFindsDifferences(t *testing.T) {
	base := `type query_root { a(x: Int = 1): String! "d" b: Int } enum e { "v" X Y } schema { query: query_root }`
	changed := `type query_root { a(x: Int = 2): String "other" b: Int c: Int } enum e { X Z } schema { query: query_root }`
	want, got := loadSchemaFile(t, "want", base), loadSchemaFile(t, "got", changed)
	assert.Empty(t, compareSchemas(want, want).diffs)
	c := compareSchemas(want, got)
	assert.Equal(t, []string{
		`argument query_root.a(x): default 2, want 1`,
		`enum value e.X: description "", want "v"`,
		`enum value e.Y: missing`,
		`enum value e.Z: not in the reference`,
		`field query_root.a: type String, want String!`,
		`field query_root.b: description "other", want "d"`,
		`field query_root.c: not in the reference`,
	}, c.diffs)
	assert.Equal(t, 2, c.types)
	assert.Equal(t, 0, c.typesExact)
	assert.Equal(t, 4, c.fields)
	assert.Equal(t, 0, c.fieldsExact)
}

func TestScalarsOfColumnTypes(t *testing.T) {
	p := inMemory(t, `CREATE TYPE mood AS ENUM ('ok');
		CREATE TABLE t (a text PRIMARY KEY, b varchar(9), c char(2), d uuid, e smallint, f integer, g bigint, h real,
		  i double precision, j numeric(9,2), k boolean, l date, m timestamp, n timestamptz, o json, p jsonb, q mood, r interval)`,
		`- table: t`)
	s := generate(t, p, AdminRole)
	want := map[string]string{"a": "String!", "b": "String", "c": "bpchar", "d": "uuid", "e": "smallint", "f": "Int", "g": "bigint",
		"h": "Float", "i": "float8", "j": "numeric", "k": "Boolean", "l": "date", "m": "timestamp", "n": "timestamptz",
		"o": "json", "p": "jsonb", "q": "mood", "r": "interval"}
	for col, typ := range want {
		assert.Equal(t, typ, fieldType(t, s, "t", col), col)
		cmp := fieldType(t, s, "t_bool_exp", col)
		assert.Equal(t, s.AST.Types["t"].Fields.ForName(col).Type.Name()+"_comparison_exp", cmp, col)
	}
	assert.NotNil(t, s.AST.Types["String_comparison_exp"].Fields.ForName("_iregex"))
	assert.Nil(t, s.AST.Types["bpchar_comparison_exp"].Fields.ForName("_like"), "Hasura's pattern operators are for text, varchar and citext")
	assert.Equal(t, []string{"a", "b", "c", "d", "e", "f", "g", "h", "i", "j", "l", "m", "n"}, fieldNames(s.AST.Types["t_max_fields"]))
	assert.Equal(t, []string{"e", "f", "g", "h", "i", "j"}, fieldNames(s.AST.Types["t_inc_input"]))
}

// TestPresetColumnsAreNotInputs: a column a permission presets is set by
// Hasura, so the role cannot send it.
func TestPresetColumnsAreNotInputs(t *testing.T) {
	p := inMemory(t, `CREATE TABLE notes (id serial PRIMARY KEY, owner text NOT NULL, body text, edited_by text);`, `
- table: notes
  select_permissions:
    - role: writer
      permission: {columns: '*', filter: {owner: {_eq: X-Hasura-User-Id}}}
  insert_permissions:
    - role: writer
      permission: {columns: [owner, body], check: {}, set: {owner: X-Hasura-User-Id}}
  update_permissions:
    - role: writer
      permission: {columns: [body, edited_by], filter: {}, set: {edited_by: X-Hasura-User-Id}}
`)
	s := generate(t, p, "writer")
	assert.Equal(t, []string{"body"}, fieldNames(s.AST.Types["notes_insert_input"]))
	assert.Equal(t, []string{"body"}, fieldNames(s.AST.Types["notes_set_input"]))
	assert.Equal(t, []string{"body"}, enumValues(s, "notes_update_column"))
}
