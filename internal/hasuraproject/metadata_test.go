package hasuraproject

import (
	"encoding/json"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const blogSQL = `
CREATE TABLE authors (id uuid PRIMARY KEY, name text NOT NULL, team text, banned boolean DEFAULT false);
CREATE TABLE articles (id serial PRIMARY KEY, author_id uuid NOT NULL REFERENCES authors, title text,
  status text DEFAULT 'draft', tags jsonb, editor_id uuid REFERENCES authors (id));
CREATE TABLE memberships (team text, user_id uuid);
`

const blogTables = `
- table: {schema: public, name: authors}
  array_relationships:
    - name: articles
      using: {foreign_key_constraint_on: {table: {schema: public, name: articles}, column: author_id}}
  select_permissions:
    - role: reader
      permission:
        columns: [id, name]
        filter: {}
        limit: 10
        allow_aggregations: true
        query_root_fields: [select, select_by_pk]
        subscription_root_fields: []
- table: {schema: public, name: articles}
  object_relationships:
    - name: author
      using: {foreign_key_constraint_on: author_id}
    - name: editor
      using: {foreign_key_constraint_on: [editor_id]}
  select_permissions:
    - role: reader
      permission:
        columns: '*'
        filter:
          _or:
            - status: {$eq: published}
            - author_id: X-Hasura-User-Id
            - _and:
                - author: {team: {_in: X-Hasura-Teams}}
                - _not: {author: {banned: {_eq: true}}}
            - _exists:
                _table: {schema: public, name: memberships}
                _where: {user_id: {_eq: X-Hasura-User-Id}, team: {_ceq: [$, title]}}
            - tags: {_has_keys_any: [a, b], _contains: {featured: true}}
            - title: {_is_null: false, _in: [x, y], _ne: z}
            - author_id: {_cneq: editor_id}
  insert_permissions:
    - role: reader
      permission:
        check: {author_id: {_eq: X-Hasura-User-Id}}
        set: {status: draft, author_id: x-hasura-user-id}
        backend_only: true
  update_permissions:
    - role: reader
      permission:
        columns: [title, tags]
        filter: {author_id: {_eq: X-Hasura-User-Id}}
        check: null
  delete_permissions:
    - role: reader
      permission: {filter: {status: {_nin: [published]}}}
- table: {schema: public, name: memberships}
`

func TestPermissions(t *testing.T) {
	p, _ := mustLoad(t, project(blogTables, blogSQL))
	authors := table(t, p, "public", "authors")
	sel := authors.Permissions["reader"].Select
	require.NotNil(t, sel)
	assert.Equal(t, []string{"id", "name"}, sel.Columns)
	assert.Equal(t, And{}, sel.Filter)
	require.NotNil(t, sel.Limit)
	assert.Equal(t, 10, *sel.Limit)
	assert.True(t, sel.AllowAggregations)
	assert.Equal(t, []string{RootSelect, RootSelectByPk}, sel.QueryRootFields)
	assert.Equal(t, []string{}, sel.SubscriptionRootFields, "an empty list allows no subscription root field")

	articles := table(t, p, "public", "articles")
	perms := articles.Permissions["reader"]
	assert.Equal(t, []string{"id", "author_id", "title", "status", "tags", "editor_id"}, perms.Select.Columns)
	user := Value{Session: "x-hasura-user-id"}
	want := Or{
		Compare{Column: "status", Op: "_eq", Value: Value{Literal: "published"}},
		Compare{Column: "author_id", Op: "_eq", Value: user},
		And{
			RelationshipExp{Relationship: "author", Exp: Compare{Column: "team", Op: "_in", Value: Value{Session: "x-hasura-teams"}}},
			Not{Exp: RelationshipExp{Relationship: "author", Exp: Compare{Column: "banned", Op: "_eq", Value: Value{Literal: true}}}},
		},
		Exists{Schema: "public", Table: "memberships", Where: And{
			Compare{Column: "user_id", Op: "_eq", Value: user},
			Compare{Column: "team", Op: "_ceq", Other: &ColumnRef{Column: "title", Root: true}},
		}},
		And{
			Compare{Column: "tags", Op: "_has_keys_any", Value: Value{Literal: []any{"a", "b"}}},
			Compare{Column: "tags", Op: "_contains", Value: Value{Literal: map[string]any{"featured": true}}},
		},
		And{
			Compare{Column: "title", Op: "_is_null", Value: Value{Literal: false}},
			Compare{Column: "title", Op: "_in", Value: Value{Literal: []any{"x", "y"}}},
			Compare{Column: "title", Op: "_neq", Value: Value{Literal: "z"}},
		},
		Compare{Column: "author_id", Op: "_cne", Other: &ColumnRef{Column: "editor_id"}},
	}
	assert.Equal(t, want, perms.Select.Filter)

	ins := perms.Insert
	require.NotNil(t, ins)
	assert.Equal(t, []string{"id", "author_id", "title", "status", "tags", "editor_id"}, ins.Columns, "no columns key: every column")
	assert.True(t, ins.BackendOnly)
	assert.Equal(t, []Preset{{Column: "status", Value: Value{Literal: "draft"}}, {Column: "author_id", Value: user}}, ins.Set)

	upd := perms.Update
	require.NotNil(t, upd)
	assert.Equal(t, []string{"title", "tags"}, upd.Columns)
	assert.Nil(t, upd.Check, "check: null is no check")
	assert.Equal(t, Compare{Column: "status", Op: "_nin", Value: Value{Literal: []any{"published"}}}, perms.Delete.Filter)

	author := articles.Relationship("author")
	assert.False(t, author.Nullable)
	assert.True(t, articles.Relationship("editor").Nullable, "editor_id is nullable")
	arts := authors.Relationship("articles")
	assert.Equal(t, ArrayRelationship, arts.Kind)
	assert.Equal(t, []ColumnMapping{{Column: "id", RemoteColumn: "author_id"}}, arts.Mapping)
	assert.Equal(t, []string{"reader"}, p.Roles())
}

func TestLiteralNumbersStayExact(t *testing.T) {
	p, _ := mustLoad(t, project(`
- table: {schema: public, name: n}
  select_permissions:
    - role: r
      permission: {columns: '*', filter: {v: {_gt: 12345678901234567890}}}
`, "CREATE TABLE n (v numeric)"))
	f := table(t, p, "public", "n").Permissions["r"].Select.Filter.(Compare)
	assert.Equal(t, json.Number("12345678901234567890"), f.Value.Literal)
}

func TestConfigV2TablesYAML(t *testing.T) {
	fsys := fstest.MapFS{
		"config.yaml":           {Data: []byte("version: 2\nendpoint: http://localhost:8080\n")},
		"metadata/version.yaml": {Data: []byte("version: 2\n")},
		"metadata/tables.yaml": {Data: []byte(`
- table: users
  select_permissions:
    - role: user
      permission:
        columns: [id]
        filter: {id: {_eq: X-Hasura-User-Id}}
- table: {schema: public, name: todos}
  object_relationships:
    - name: user
      using:
        foreign_key_constraint_on: user_id
`)},
		"migrations/1550000000000_init/up.sql":     {Data: []byte("CREATE TABLE users (id text PRIMARY KEY)")},
		"migrations/1550000000001_todos.up.sql":    {Data: []byte("CREATE TABLE todos (id int PRIMARY KEY, user_id text REFERENCES users)")},
		"migrations/1550000000001_todos.down.sql":  {Data: []byte("DROP TABLE todos")},
		"migrations/1550000000002_notes/down.sql":  {Data: []byte("DROP TABLE nothing")},
		"migrations/99_earliest_by_version/up.sql": {Data: []byte("CREATE SCHEMA early")},
		"migrations/README.md":                     {Data: []byte("not a migration")},
	}
	p, r := mustLoad(t, fsys)
	assert.Equal(t, "default", p.Source)
	assert.Equal(t, []string{
		"migrations/99_earliest_by_version/up.sql",
		"migrations/1550000000000_init/up.sql",
		"migrations/1550000000001_todos.up.sql",
	}, r.Migrations, "numeric version order; down migrations ignored")
	require.Len(t, p.Tables, 2)
	assert.Equal(t, "todos", p.Tables[0].Name)
	assert.Equal(t, "users", p.Tables[1].Name)
	assert.Equal(t, Position{File: "metadata/tables.yaml", Line: 2}, p.Tables[1].Tracked)
	assert.NotNil(t, p.Tables[0].Relationship("user"))
}

func TestOtherMetadataFiles(t *testing.T) {
	fsys := project(tracked("users"), usersSQL)
	withFile(fsys, "metadata/graphql_schema_introspection.yaml", "disabled_for_roles:\n  - anonymous\n  - user\n")
	withFile(fsys, "metadata/actions.yaml", "actions: []\ncustom_types:\n  enums: []\n  input_objects: []\n  objects: []\n  scalars: []\n")
	withFile(fsys, "metadata/actions.graphql", "")
	withFile(fsys, "metadata/remote_schemas.yaml", "[]\n")
	withFile(fsys, "metadata/inherited_roles.yaml", "[]\n")
	withFile(fsys, "metadata/cron_triggers.yaml", "- name: nightly\n  webhook: http://x\n  schedule: '0 0 * * *'\n")
	withFile(fsys, "metadata/allow_list.yaml", "[]\n")
	withFile(fsys, "metadata/databases/default/tables/tables.yaml",
		"- table: users\n  event_triggers:\n    - name: on_user\n      definition: {enable_manual: false, insert: {columns: '*'}}\n      webhook: http://x\n")
	p, r := mustLoad(t, fsys)
	assert.Equal(t, []string{"anonymous", "user"}, p.IntrospectionDisabledFor)
	assert.Empty(t, p.UnauthorizedRole, "a server setting, not part of the project")
	var kinds []string
	for _, s := range r.Skipped {
		kinds = append(kinds, s.String())
	}
	assert.Equal(t, []string{tablesFile + ":2: event_triggers", "metadata/cron_triggers.yaml:1: cron_triggers.yaml"}, kinds)
}
