package hasuraproject

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func columnTypes(tb *Table) map[string]string {
	out := map[string]string{}
	for _, c := range tb.Columns {
		out[c.Name] = c.Type.Name
	}
	return out
}

func TestViews(t *testing.T) {
	p, _ := mustLoad(t, project(tracked("totals", "recent", "labelled", "joined", "mat", "writable"),
		`CREATE TABLE orders (id serial PRIMARY KEY, customer text, amount int, placed timestamptz DEFAULT now(), meta jsonb);
		 CREATE TABLE customers (name text PRIMARY KEY, since date);
		 CREATE VIEW totals AS SELECT customer, count(*) AS n, sum(amount) AS total, max(placed) AS last, avg(amount) FROM orders GROUP BY customer;
		 CREATE VIEW recent (order_id, who) AS SELECT o.id, o.customer FROM orders o WHERE o.placed > now() - interval '1 day';
		 CREATE VIEW labelled AS SELECT id, amount::numeric AS amount, 'x' AS label, customer || '!' AS shout, meta->>'k' AS k, placed::date FROM orders;
		 CREATE VIEW joined AS SELECT o.*, c.since FROM orders o JOIN customers c ON c.name = o.customer;
		 CREATE MATERIALIZED VIEW mat AS SELECT id, amount FROM orders;
		 CREATE VIEW writable AS SELECT id, customer FROM orders;
		 CREATE OR REPLACE VIEW writable AS SELECT id, customer, amount FROM orders WHERE amount > 0;`))

	totals := table(t, p, "public", "totals")
	assert.Equal(t, map[string]string{"customer": "text", "n": "int8", "total": "int8", "last": "timestamptz", "avg": "numeric"}, columnTypes(totals))
	assert.False(t, totals.Insertable || totals.Updatable || totals.Deletable, "GROUP BY views are read-only")

	recent := table(t, p, "public", "recent")
	assert.Equal(t, []string{"order_id", "who"}, columnNames(recent))
	assert.True(t, recent.Insertable && recent.Updatable && recent.Deletable)

	labelled := table(t, p, "public", "labelled")
	assert.Equal(t, map[string]string{"id": "int4", "amount": "numeric", "label": "text", "shout": "text", "k": "text", "placed": "date"}, columnTypes(labelled))
	assert.True(t, labelled.Insertable, "one plain column is enough to insert through the view")

	joined := table(t, p, "public", "joined")
	assert.Equal(t, []string{"id", "customer", "amount", "placed", "meta", "since"}, columnNames(joined))
	assert.False(t, joined.Insertable || joined.Deletable, "a join is not automatically updatable")

	mat := table(t, p, "public", "mat")
	assert.Equal(t, KindMaterializedView, mat.Kind)
	assert.False(t, mat.Insertable || mat.Updatable || mat.Deletable)

	writable := table(t, p, "public", "writable")
	assert.Equal(t, []string{"id", "customer", "amount"}, columnNames(writable), "OR REPLACE redefines the view")
	for _, c := range writable.Columns {
		assert.True(t, c.Nullable)
	}
}

func TestInsteadOfTriggers(t *testing.T) {
	p, r := mustLoad(t, project(tracked("v"),
		`CREATE TABLE a (id int PRIMARY KEY, n int);
		 CREATE VIEW v AS SELECT id, sum(n) AS n FROM a GROUP BY id;
		 CREATE FUNCTION v_ins() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$;
		 CREATE TRIGGER v_ins INSTEAD OF INSERT ON v FOR EACH ROW EXECUTE FUNCTION v_ins();
		 CREATE TRIGGER v_upd INSTEAD OF UPDATE OR DELETE ON v FOR EACH ROW EXECUTE FUNCTION v_ins();
		 DROP TRIGGER v_upd ON v;`))
	v := table(t, p, "public", "v")
	assert.True(t, v.Insertable)
	assert.False(t, v.Updatable || v.Deletable, "the dropped trigger no longer counts")
	assert.Equal(t, "CREATE FUNCTION", r.Skipped[0].Kind)
}

func TestViewErrors(t *testing.T) {
	for name, sql := range map[string]string{
		"unknown function": "CREATE TABLE a (x int); CREATE VIEW v AS SELECT mystery(x) FROM a",
		"WITH":             "CREATE VIEW v AS WITH q AS (SELECT 1 AS x) SELECT x FROM q",
		"array column":     "CREATE TABLE a (x int); CREATE VIEW v AS SELECT ARRAY(SELECT x FROM a) AS xs",
	} {
		t.Run(name, func(t *testing.T) {
			e := loadError(t, project("[]", sql))
			assert.ErrorIs(t, e, ErrUnsupported)
			assert.Equal(t, migrationFile(0), e.File)
			assert.Equal(t, 1, e.Line)
		})
	}
	e := loadError(t, project("[]", "CREATE TABLE a (x int);\nCREATE VIEW v AS SELECT y FROM a"))
	assert.ErrorIs(t, e, ErrUndefined)
	assert.Equal(t, 2, e.Line)
	e = loadError(t, project("[]", "CREATE TABLE a (x int); CREATE TABLE b (x int); CREATE VIEW v AS SELECT x FROM a, b"))
	assert.ErrorIs(t, e, ErrInvalid, "ambiguous column")
}

func TestEnums(t *testing.T) {
	p, _ := mustLoad(t, project(tracked("people"),
		`CREATE SCHEMA app;
		 CREATE TYPE mood AS ENUM ('sad', 'happy');
		 CREATE TYPE app.level AS ENUM ('low', 'high');
		 CREATE TABLE people (id uuid PRIMARY KEY, mood mood NOT NULL DEFAULT 'happy', level app.level);
		 ALTER TYPE mood ADD VALUE 'ok' BEFORE 'happy';
		 ALTER TYPE mood ADD VALUE IF NOT EXISTS 'sad';
		 ALTER TYPE app.level ADD VALUE 'mid' AFTER 'low';
		 ALTER TYPE app.level RENAME VALUE 'high' TO 'top';
		 ALTER TYPE mood RENAME TO feeling;`))
	require.Len(t, p.Enums, 2)
	assert.Equal(t, &EnumType{Schema: "app", Name: "level", Values: []string{"low", "mid", "top"}}, p.Enums[0])
	assert.Equal(t, &EnumType{Schema: "public", Name: "feeling", Values: []string{"sad", "ok", "happy"}}, p.Enums[1])
	people := table(t, p, "public", "people")
	mood := column(t, people, "mood")
	assert.Equal(t, Type{Name: "feeling", Enum: p.Enums[1]}, mood.Type)
	assert.Equal(t, Default{Kind: ConstantDefault, Value: "happy", Expr: "'happy'"}, mood.Default)
	assert.Equal(t, "level", column(t, people, "level").Type.Name)

	e := loadError(t, project("[]", "CREATE TYPE m AS ENUM ('a'); CREATE TABLE t (x m); DROP TYPE m"))
	assert.ErrorIs(t, e, ErrInvalid)
	e = loadError(t, project("[]", "CREATE TYPE m AS ENUM ('a'); ALTER TYPE m ADD VALUE 'a'"))
	assert.ErrorIs(t, e, ErrInvalid)
}

func TestSchemasAndSearchPath(t *testing.T) {
	p, r := mustLoad(t, project(tracked("{schema: auth, name: accounts}", "profiles", "{schema: auth, name: sessions}"),
		`CREATE SCHEMA IF NOT EXISTS auth;
		 CREATE TABLE auth.accounts (id uuid PRIMARY KEY, email citext);
		 CREATE TABLE profiles (account_id uuid PRIMARY KEY REFERENCES auth.accounts (id));
		 SET search_path = auth, public;
		 CREATE TABLE sessions (id bigint GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY, account_id uuid REFERENCES accounts);
		 RESET search_path;
		 CREATE DOMAIN email AS text CHECK (VALUE LIKE '%@%');
		 ALTER TABLE profiles ADD COLUMN contact email;
		 CREATE SCHEMA scratch;
		 CREATE TABLE scratch.tmp (x int);
		 ALTER TABLE scratch.tmp SET SCHEMA public;
		 DROP SCHEMA scratch;`))
	assert.Empty(t, r.Skipped)
	sessions := table(t, p, "auth", "sessions")
	require.Len(t, sessions.ForeignKeys, 1)
	assert.Equal(t, "auth", sessions.ForeignKeys[0].RefSchema)
	assert.Equal(t, "auth.sessions_id_seq", column(t, sessions, "id").Default.Sequence)
	assert.Equal(t, IdentityByDefault, column(t, sessions, "id").Identity)
	assert.Equal(t, "citext", column(t, table(t, p, "auth", "accounts"), "email").Type.Name)
	assert.Equal(t, Type{Name: "text"}, column(t, table(t, p, "public", "profiles"), "contact").Type, "a domain has its base type")

	e := loadError(t, project("[]", "CREATE TABLE nowhere.t (x int)"))
	assert.ErrorIs(t, e, ErrUndefined)
	e = loadError(t, project("[]", "CREATE SCHEMA s; CREATE TABLE s.t (x int); DROP SCHEMA s"))
	assert.ErrorIs(t, e, ErrInvalid)
}

func TestPgDumpSearchPath(t *testing.T) {
	e := loadError(t, project("[]", "SELECT pg_catalog.set_config('search_path', '', false);\nCREATE TABLE t (x int);"))
	assert.ErrorIs(t, e, ErrInvalid, "pg_dump empties search_path: unqualified names have no schema")
	assert.Equal(t, 2, e.Line)
}

func TestRenames(t *testing.T) {
	p, _ := mustLoad(t, project(tracked("clients", "orders"),
		`CREATE TABLE customers (id serial PRIMARY KEY, name text);
		 CREATE TABLE orders (id int PRIMARY KEY, customer_id int CONSTRAINT orders_customer REFERENCES customers);
		 ALTER TABLE customers RENAME TO clients;
		 ALTER TABLE orders RENAME CONSTRAINT orders_customer TO orders_client_fk;
		 ALTER INDEX customers_pkey RENAME TO clients_pkey;
		 ALTER SEQUENCE customers_id_seq RENAME TO clients_id_seq;`))
	clients := table(t, p, "public", "clients")
	assert.Equal(t, "clients_pkey", clients.PrimaryKey.Name)
	assert.Equal(t, "public.clients_id_seq", column(t, clients, "id").Default.Sequence, "the default follows the sequence")
	fk := table(t, p, "public", "orders").ForeignKeys[0]
	assert.Equal(t, "orders_client_fk", fk.Name)
	assert.Equal(t, "clients", fk.RefTable)
}
