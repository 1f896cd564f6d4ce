package hasuraproject

import (
	"errors"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const usersSQL = "CREATE TABLE users (id text PRIMARY KEY, name text, age int);\n"

// withFile returns fsys with one more file.
func withFile(fsys fstest.MapFS, name, data string) fstest.MapFS {
	fsys[name] = &fstest.MapFile{Data: []byte(data)}
	return fsys
}

func TestLoadErrors(t *testing.T) {
	usersTable := "- table: {schema: public, name: users}\n"
	cases := []struct {
		name string
		fsys fstest.MapFS
		kind error
		file string
		line int
		says string
	}{
		{"rule", project("[]", usersSQL+"\nCREATE RULE r AS ON INSERT TO users DO INSTEAD NOTHING;"),
			ErrUnsupported, migrationFile(0), 3, "CREATE RULE"},
		{"DO block", project("[]", usersSQL, "-- a comment\nDO $$ BEGIN EXECUTE 'CREATE TABLE x ()'; END $$;"),
			ErrUnsupported, migrationFile(1), 2, "DO"},
		{"syntax error in the second file", project("[]", usersSQL, "ALTER TABLE users\n  ADD COLUMN x int,,\n"),
			ErrSyntax, migrationFile(1), 2, `at or near ","`},
		{"syntax error after multibyte text", project("[]", "COMMENT ON TABLE x IS 'ünïcødé';\nCREATE TABL y ();"),
			ErrSyntax, migrationFile(0), 2, "TABL"},
		{"unknown type", project("[]", "CREATE TABLE t (\n  a text,\n  b money2\n)"),
			ErrUndefined, migrationFile(0), 3, "money2"},
		{"array type", project("[]", "CREATE TABLE t (a text[])"),
			ErrUnsupported, migrationFile(0), 1, "arrays"},
		{"partition", project("[]", "CREATE TABLE t (a int) PARTITION BY RANGE (a);\nCREATE TABLE t1 PARTITION OF t FOR VALUES FROM (1) TO (2);"),
			ErrUnsupported, migrationFile(0), 2, "partitions"},
		{"untracked table in metadata", project("- table: {schema: public, name: users}\n- table: {schema: public, name: nobody}\n", usersSQL),
			ErrUndefined, tablesFile, 2, "nobody"},
		{"unknown column in permission", project(usersTable+"  select_permissions:\n    - role: user\n      permission:\n        columns: [id, email]\n        filter: {}\n", usersSQL),
			ErrUndefined, tablesFile, 5, `"email"`},
		{"unknown column in filter", project(usersTable+"  select_permissions:\n    - role: user\n      permission:\n        columns: '*'\n        filter:\n          owner_id: {_eq: X-Hasura-User-Id}\n", usersSQL),
			ErrUndefined, tablesFile, 7, "owner_id"},
		{"pattern operator on an integer", project(usersTable+"  select_permissions:\n    - role: user\n      permission:\n        columns: '*'\n        filter: {age: {_like: '1%'}}\n", usersSQL),
			ErrInvalid, tablesFile, 6, "_like"},
		{"admin permission", project(usersTable+"  select_permissions:\n    - role: admin\n      permission: {columns: '*', filter: {}}\n", usersSQL),
			ErrInvalid, tablesFile, 3, "admin"},
		{"unknown permission key", project(usersTable+"  delete_permissions:\n    - role: user\n      permission: {filter: {}, cascade: true}\n", usersSQL),
			ErrUnsupported, tablesFile, 4, "cascade"},
		{"relationship without a foreign key", project(usersTable+"  object_relationships:\n    - name: self\n      using: {foreign_key_constraint_on: name}\n", usersSQL),
			ErrUndefined, tablesFile, 4, "no foreign key"},
		{"relationship to an untracked table", project(usersTable+"  object_relationships:\n    - name: self\n      using:\n        manual_configuration:\n          remote_table: other\n          column_mapping: {id: id}\n",
			usersSQL+"CREATE TABLE other (id text);"),
			ErrUndefined, tablesFile, 6, "not tracked"},
		{"computed field", project(usersTable+"  computed_fields:\n    - name: full\n      definition: {function: f}\n", usersSQL),
			ErrUnsupported, tablesFile, 2, "computed fields"},
		{"custom root fields", project(usersTable+"  configuration:\n    custom_root_fields: {select: people}\n", usersSQL),
			ErrUnsupported, tablesFile, 3, "table configuration"},
		{"missing !include", project("- \"!include public_users.yaml\"\n", usersSQL),
			ErrUndefined, tablesFile, 1, "public_users.yaml"},
		{"!include outside the project", project("- !include ../../../../../etc/passwd\n", usersSQL),
			ErrInvalid, tablesFile, 1, "outside the project"},
		{"!include cycle", withFile(project("- \"!include again.yaml\"\n", usersSQL),
			"metadata/databases/default/tables/again.yaml", "\"!include tables.yaml\"\n"),
			ErrInvalid, "metadata/databases/default/tables/again.yaml", 1, "includes itself"},
		{"YAML syntax error", project("- table: {schema: public, name: users\n- table: x\n", usersSQL),
			ErrSyntax, tablesFile, 1, "did not find expected"},
		{"actions", withFile(project("[]", usersSQL), "metadata/actions.yaml", "actions:\n  - name: login\n    definition: {handler: 'http://x'}\ncustom_types: {}\n"),
			ErrUnsupported, "metadata/actions.yaml", 1, "actions"},
		{"second source", withFile(project("[]"), "metadata/databases/databases.yaml",
			"- name: a\n  kind: postgres\n  configuration: {}\n  tables: []\n- name: b\n  kind: postgres\n  configuration: {}\n  tables: []\n"),
			ErrUnsupported, "metadata/databases/databases.yaml", 5, "more than one"},
		{"no metadata", fstest.MapFS{"config.yaml": {Data: []byte("version: 3\n")}},
			ErrUndefined, "metadata", 0, "no metadata"},
		{"YAML migration", withFile(project("[]"), "migrations/default/1_init/up.yaml", "- type: run_sql\n"),
			ErrUnsupported, "migrations/default/1_init/up.yaml", 0, "YAML migrations"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			e := loadError(t, tc.fsys)
			assert.ErrorIs(t, e, tc.kind)
			assert.Equal(t, tc.file, e.File)
			assert.Equal(t, tc.line, e.Line)
			assert.Contains(t, e.Error(), tc.says)
			assert.True(t, strings.HasPrefix(e.Error(), "hasuraproject: "+tc.file), e.Error())
		})
	}
}

func TestSkippedStatementsAreListed(t *testing.T) {
	p, r := mustLoad(t, project(tracked("users"), usersSQL+
		"ALTER TABLE users ENABLE ROW LEVEL SECURITY;\n"+
		"CREATE POLICY own ON users USING (id = current_user);\n"+
		"GRANT SELECT ON users TO app;\n"+
		"INSERT INTO users VALUES ('u1', 'Ann', 3);\n"+
		"BEGIN; COMMIT;\n"+
		"CREATE INDEX users_name ON users (name);\n"+
		"DROP FUNCTION IF EXISTS nothing();"))
	require.NotNil(t, p.Table("public", "users"))
	var kinds []string
	for _, s := range r.Skipped {
		kinds = append(kinds, s.String())
	}
	f := migrationFile(0)
	assert.Equal(t, []string{
		f + ":2: ALTER TABLE ENABLE ROW LEVEL SECURITY", f + ":3: CREATE POLICY", f + ":4: GRANT/REVOKE",
		f + ":5: INSERT", f + ":6: transaction control", f + ":6: transaction control", f + ":8: DROP FUNCTION",
	}, kinds)
}

func TestErrorUnwrapsToSentinel(t *testing.T) {
	_, _, err := Load(project("[]", "CREATE RULE r AS ON INSERT TO t DO NOTHING"))
	require.Error(t, err)
	assert.True(t, errors.Is(err, ErrUnsupported))
	assert.False(t, errors.Is(err, ErrSyntax))
	assert.Equal(t, "hasuraproject: "+migrationFile(0)+":1: not supported: statement CREATE RULE is not modelled (it could change the schema)", err.Error())
}
