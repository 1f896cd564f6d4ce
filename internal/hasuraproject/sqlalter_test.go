package hasuraproject

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func columnNames(tb *Table) []string {
	var out []string
	for _, c := range tb.Columns {
		out = append(out, c.Name)
	}
	return out
}

func TestAlterColumns(t *testing.T) {
	p, r := mustLoad(t, project(tracked("accounts", "notes"),
		`CREATE TABLE accounts (id integer PRIMARY KEY, email varchar(200), age smallint, legacy text);
		 CREATE TABLE notes (id bigserial PRIMARY KEY, account_id integer REFERENCES accounts, body text)`,
		`ALTER TABLE accounts ADD COLUMN created timestamptz NOT NULL DEFAULT CURRENT_TIMESTAMP;
		 ALTER TABLE accounts RENAME COLUMN email TO mail;
		 ALTER TABLE accounts ALTER COLUMN age TYPE bigint USING age::bigint;
		 ALTER TABLE accounts DROP COLUMN legacy;
		 ALTER TABLE accounts ALTER COLUMN mail SET NOT NULL, ALTER COLUMN mail SET DEFAULT 'x@example.com';
		 ALTER TABLE accounts RENAME COLUMN id TO account_id;
		 ALTER TABLE IF EXISTS missing ADD COLUMN x int;
		 ALTER TABLE accounts ADD COLUMN IF NOT EXISTS age int;
		 ALTER TABLE notes ALTER COLUMN body DROP DEFAULT, ALTER COLUMN body SET DATA TYPE jsonb USING body::jsonb;`,
	))
	assert.Empty(t, r.Skipped)
	acc := table(t, p, "public", "accounts")
	assert.Equal(t, []string{"account_id", "mail", "age", "created"}, columnNames(acc))
	assert.Equal(t, "int8", column(t, acc, "age").Type.Name)
	mail := column(t, acc, "mail")
	assert.Equal(t, "varchar", mail.Type.Name)
	assert.False(t, mail.Nullable)
	assert.Equal(t, Default{Kind: ConstantDefault, Value: "x@example.com", Expr: "'x@example.com'"}, mail.Default)
	assert.Equal(t, NowDefault, column(t, acc, "created").Default.Kind)
	assert.Equal(t, &Constraint{Name: "accounts_pkey", Columns: []string{"account_id"}}, acc.PrimaryKey, "renames follow into keys")

	notes := table(t, p, "public", "notes")
	assert.Equal(t, "jsonb", column(t, notes, "body").Type.Name)
	id := column(t, notes, "id")
	assert.Equal(t, "int8", id.Type.Name)
	assert.Equal(t, "public.notes_id_seq", id.Default.Sequence)
	require.Len(t, notes.ForeignKeys, 1)
	assert.Equal(t, ForeignKey{Name: "notes_account_id_fkey", Columns: []string{"account_id"}, RefSchema: "public", RefTable: "accounts",
		RefColumns: []string{"account_id"}, OnUpdate: NoAction, OnDelete: NoAction}, *notes.ForeignKeys[0], "a rename reaches the referencing side")
}

func TestAlterColumnTypeUsedByView(t *testing.T) {
	e := loadError(t, project("[]",
		"CREATE TABLE t (a int, b int);\nCREATE VIEW v AS SELECT a FROM t;\nALTER TABLE t ALTER COLUMN b TYPE bigint;\n\nALTER TABLE t ALTER COLUMN a TYPE bigint;"))
	assert.ErrorIs(t, e, ErrInvalid)
	assert.Equal(t, Position{File: migrationFile(0), Line: 5}, Position{File: e.File, Line: e.Line})
	assert.Contains(t, e.Error(), "used by a view")
}

func TestDropColumnDependencies(t *testing.T) {
	const schema = `CREATE TABLE a (id int PRIMARY KEY, code text UNIQUE, note text);
		CREATE TABLE b (id int PRIMARY KEY, a_code text REFERENCES a (code));
		CREATE VIEW v AS SELECT id, note FROM a;`
	e := loadError(t, project("[]", schema, "ALTER TABLE a DROP COLUMN code"))
	assert.ErrorIs(t, e, ErrInvalid)
	assert.Equal(t, migrationFile(1), e.File)
	e = loadError(t, project("[]", schema, "ALTER TABLE a DROP COLUMN note"))
	assert.ErrorIs(t, e, ErrInvalid, "a view reads the column")

	p, _ := mustLoad(t, project(tracked("a", "b"), schema, "ALTER TABLE a DROP COLUMN code CASCADE; ALTER TABLE a DROP COLUMN note CASCADE"))
	assert.Empty(t, table(t, p, "public", "a").UniqueConstraints, "the unique index goes with its column")
	assert.Empty(t, table(t, p, "public", "b").ForeignKeys, "CASCADE drops the referencing key")
	e = loadError(t, project(tracked("v"), schema, "ALTER TABLE a DROP COLUMN note CASCADE"))
	assert.ErrorIs(t, e, ErrUndefined, "CASCADE dropped the view")
	assert.Equal(t, Position{File: tablesFile, Line: 1}, Position{File: e.File, Line: e.Line})
}

func TestDropTables(t *testing.T) {
	const schema = `CREATE TABLE a (id int PRIMARY KEY); CREATE TABLE b (a_id int REFERENCES a);`
	e := loadError(t, project("[]", schema, "DROP TABLE a"))
	assert.ErrorIs(t, e, ErrInvalid)
	assert.Contains(t, e.Error(), "use CASCADE")
	p, _ := mustLoad(t, project(tracked("b"), schema, "DROP TABLE a CASCADE; DROP TABLE IF EXISTS nothing; DROP SEQUENCE IF EXISTS s"))
	assert.Nil(t, p.Table("public", "a"))
	assert.Empty(t, table(t, p, "public", "b").ForeignKeys)
	e = loadError(t, project("[]", schema, "DROP VIEW a"))
	assert.ErrorIs(t, e, ErrInvalid, "a is a table")
	e = loadError(t, project("[]", schema, "DROP TABLE c"))
	assert.ErrorIs(t, e, ErrUndefined)
}

func TestConstraints(t *testing.T) {
	long := "a_table_name_that_is_very_long_indeed_and_goes_on_and_on"
	p, _ := mustLoad(t, project(tracked("t", "u", long),
		`CREATE TABLE t (id int, email text UNIQUE, handle text, org int, CONSTRAINT t_id PRIMARY KEY (id), UNIQUE (org, handle), CHECK (id > 0));
		 CREATE UNIQUE INDEX ON t (lower(handle));
		 CREATE UNIQUE INDEX t_handle_uniq ON t (handle) WHERE org IS NOT NULL;
		 CREATE INDEX ON t (org);
		 CREATE TABLE u (id int GENERATED ALWAYS AS IDENTITY, ref text, total numeric GENERATED ALWAYS AS (id * 2) STORED);
		 ALTER TABLE u ADD PRIMARY KEY (id), ADD UNIQUE (ref);
		 ALTER TABLE u ADD CONSTRAINT u_ref_t FOREIGN KEY (ref) REFERENCES t (email) ON DELETE SET NULL;
		 CREATE TABLE `+long+` (the_longest_column_name_we_could_think_of_today int UNIQUE);`,
	))
	tb := table(t, p, "public", "t")
	assert.Equal(t, &Constraint{Name: "t_id", Columns: []string{"id"}}, tb.PrimaryKey)
	assert.Equal(t, []*Constraint{
		{Name: "t_email_key", Columns: []string{"email"}},
		{Name: "t_org_handle_key", Columns: []string{"org", "handle"}},
		{Name: "t_lower_idx", Columns: nil},
		{Name: "t_handle_uniq", Columns: []string{"handle"}},
	}, tb.UniqueConstraints)
	assert.False(t, column(t, tb, "id").Nullable, "primary key columns are NOT NULL")

	u := table(t, p, "public", "u")
	id := column(t, u, "id")
	assert.Equal(t, IdentityAlways, id.Identity)
	assert.False(t, id.Mutable())
	assert.Equal(t, SequenceDefault, id.Default.Kind)
	total := column(t, u, "total")
	assert.True(t, total.Generated)
	assert.False(t, total.Mutable())
	assert.Equal(t, []*Constraint{{Name: "u_ref_key", Columns: []string{"ref"}}}, u.UniqueConstraints)
	assert.Equal(t, &Constraint{Name: "u_pkey", Columns: []string{"id"}}, u.PrimaryKey)
	require.Len(t, u.ForeignKeys, 1)
	assert.Equal(t, SetNull, u.ForeignKeys[0].OnDelete)

	// Postgres cuts names to 63 bytes, shortening the longer part.
	lt := table(t, p, "public", long)
	require.Len(t, lt.UniqueConstraints, 1)
	name := lt.UniqueConstraints[0].Name
	assert.Len(t, name, 63)
	assert.Equal(t, "a_table_name_that_is_very_lon_the_longest_column_name_we_co_key", name)
}

func TestConstraintNameCollisions(t *testing.T) {
	p, _ := mustLoad(t, project(tracked("t"),
		`CREATE TABLE t_a_key (x int);
		 CREATE TABLE t (a int UNIQUE, b int);
		 ALTER TABLE t ADD UNIQUE (a);
		 CREATE UNIQUE INDEX ui ON t (b);
		 ALTER TABLE t ADD CONSTRAINT t_pk PRIMARY KEY USING INDEX ui;`))
	tb := table(t, p, "public", "t")
	assert.Equal(t, []*Constraint{{Name: "t_a_key1", Columns: []string{"a"}}, {Name: "t_a_key2", Columns: []string{"a"}}}, tb.UniqueConstraints)
	assert.Equal(t, &Constraint{Name: "t_pk", Columns: []string{"b"}}, tb.PrimaryKey, "USING INDEX renames the index")

	e := loadError(t, project("[]", "CREATE TABLE t (a int PRIMARY KEY, b int PRIMARY KEY)"))
	assert.ErrorIs(t, e, ErrInvalid)
	e = loadError(t, project("[]", "CREATE TABLE t (a int); ALTER TABLE t ADD CONSTRAINT t_a_fkey FOREIGN KEY (a) REFERENCES t (a)"))
	assert.ErrorIs(t, e, ErrInvalid, "no unique constraint on t.a")
	e = loadError(t, project("[]", "CREATE TABLE t (a int); CREATE TABLE t (b int)"))
	assert.ErrorIs(t, e, ErrInvalid)
	mustLoad(t, project("[]", "CREATE TABLE t (a int); CREATE TABLE IF NOT EXISTS t (b int)"))
}

func TestDefaults(t *testing.T) {
	p, _ := mustLoad(t, project(tracked("d"),
		`CREATE EXTENSION IF NOT EXISTS "uuid-ossp";
		 CREATE TABLE d (
		   a uuid DEFAULT gen_random_uuid(), b uuid DEFAULT public.uuid_generate_v4(),
		   c timestamp DEFAULT timezone('utc'::text, now()), e date DEFAULT CURRENT_DATE,
		   f int DEFAULT -1, g numeric DEFAULT 1.5, h text DEFAULT 'pending'::text, i jsonb DEFAULT '{}'::jsonb,
		   j int DEFAULT 2 + 2, k text DEFAULT NULL, l timestamptz DEFAULT transaction_timestamp(),
		   m uuid DEFAULT hdb_catalog.gen_hasura_uuid())`))
	d := table(t, p, "public", "d")
	kinds := map[string]DefaultKind{}
	for _, c := range d.Columns {
		kinds[c.Name] = c.Default.Kind
	}
	assert.Equal(t, map[string]DefaultKind{
		"a": UUIDDefault, "b": UUIDDefault, "c": NowDefault, "e": NowDefault, "f": ConstantDefault, "g": ConstantDefault,
		"h": ConstantDefault, "i": ConstantDefault, "j": ExpressionDefault, "k": NoDefault, "l": NowDefault, "m": UUIDDefault,
	}, kinds)
	assert.Equal(t, "-1", column(t, d, "f").Default.Value)
	assert.Equal(t, "1.5", column(t, d, "g").Default.Value)
	assert.Equal(t, "pending", column(t, d, "h").Default.Value)
	assert.Equal(t, "{}", column(t, d, "i").Default.Value)
	assert.Equal(t, "2 + 2", column(t, d, "j").Default.Expr)
}

func TestCommentsAreDescriptions(t *testing.T) {
	p, r := mustLoad(t, project(tracked("t"),
		`CREATE TABLE t (a int);
		 COMMENT ON TABLE t IS 'The things';
		 COMMENT ON COLUMN public.t.a IS 'An a';
		 CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1';
		 COMMENT ON FUNCTION f() IS 'not a description';`))
	tb := table(t, p, "public", "t")
	assert.Equal(t, "The things", tb.Comment)
	assert.Equal(t, "An a", column(t, tb, "a").Comment)
	require.Len(t, r.Skipped, 2)
	assert.Equal(t, "CREATE FUNCTION", r.Skipped[0].Kind)
	assert.Equal(t, "COMMENT ON FUNCTION", r.Skipped[1].Kind)
	assert.Equal(t, 5, r.Skipped[1].Line)
}

// TestRepeatedKeysInCreateTable: as the Hasura console writes them,
// PRIMARY KEY ("id"), UNIQUE ("id") is one index, and a foreign key may
// reference a key declared after it.
func TestRepeatedKeysInCreateTable(t *testing.T) {
	p, _ := mustLoad(t, project(tracked("t", "u"),
		`CREATE TABLE "public"."t" ("id" uuid NOT NULL DEFAULT gen_random_uuid(), "parent" text REFERENCES t (code),
		   "code" text, PRIMARY KEY ("id"), UNIQUE ("id"), UNIQUE ("code"), CONSTRAINT t_code_unique UNIQUE ("code"));
		 CREATE TABLE u (id int UNIQUE PRIMARY KEY, CONSTRAINT u_id_named UNIQUE (id))`))
	tb := table(t, p, "public", "t")
	assert.Equal(t, &Constraint{Name: "t_pkey", Columns: []string{"id"}}, tb.PrimaryKey)
	assert.Equal(t, []*Constraint{{Name: "t_code_unique", Columns: []string{"code"}}}, tb.UniqueConstraints, "the named duplicate names the key")
	require.Len(t, tb.ForeignKeys, 1)
	assert.Equal(t, "t_parent_fkey", tb.ForeignKeys[0].Name)
	u := table(t, p, "public", "u")
	assert.Equal(t, &Constraint{Name: "u_id_named", Columns: []string{"id"}}, u.PrimaryKey)
	assert.Empty(t, u.UniqueConstraints)
}
