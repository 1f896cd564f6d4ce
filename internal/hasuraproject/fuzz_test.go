package hasuraproject

import (
	"errors"
	"os"
	"testing"
)

// FuzzLoadSQL feeds arbitrary SQL to the loader as a project's only
// migration: it must either load or fail with an *Error that names the
// migration and wraps a sentinel, never panic.
func FuzzLoadSQL(f *testing.F) {
	for _, file := range []string{
		"../../examples/hasura/migrations/default/1700000000000_create_users/up.sql",
		"testdata/yardstick-pgdump/migrations/default/1700000000000_init/up.sql",
		"testdata/yardstick-handwritten/migrations/default/1700000000000_init/up.sql",
	} {
		b, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(string(b))
	}
	for _, seed := range []string{
		"",
		";;;",
		"CREATE TABLE t (a int PRIMARY KEY, b text UNIQUE REFERENCES t (b))",
		"CREATE TABLE t (a serial); ALTER TABLE t RENAME COLUMN a TO b; ALTER TABLE t DROP COLUMN b",
		"CREATE TYPE e AS ENUM ('x'); CREATE TABLE t (v e); ALTER TYPE e ADD VALUE 'y' BEFORE 'x'",
		"CREATE VIEW v AS SELECT 1 AS one, now() AS at, 'x'::text || 'y' AS s",
		"CREATE TABLE a (x int); CREATE VIEW v AS SELECT * FROM a a1 JOIN a a2 USING (x)",
		"CREATE TABLE a (x int); CREATE VIEW v AS SELECT (SELECT max(x) FROM a) AS m, EXISTS (SELECT 1 FROM a) AS e",
		"CREATE SCHEMA s; SET search_path TO s; CREATE TABLE t (x int); DROP SCHEMA s CASCADE",
		"CREATE TABLE t (x int); COMMENT ON COLUMN t.x IS NULL; COMMENT ON TABLE t IS 'c'",
		"CREATE TABLE t (x int GENERATED ALWAYS AS IDENTITY, y int GENERATED ALWAYS AS (x + 1) STORED)",
		"CREATE UNIQUE INDEX ON missing (x)",
		"ALTER TABLE ONLY t ADD CONSTRAINT c PRIMARY KEY (x)",
		"CREATE TABLE 'quoted' (x int)",
		"DO $$ BEGIN END $$",
		"SELECT pg_catalog.set_config('search_path', 'public, \"Odd\"', false)",
		"CREATE TABLE t (x int); CREATE VIEW v AS SELECT x FROM t UNION SELECT x FROM t",
		"CREATE TABLE t (x int); CREATE VIEW v AS SELECT CASE WHEN x > 0 THEN x END, coalesce(x, 0), greatest(x, 1), nullif(x, 2) FROM t",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, sql string) {
		p, r, err := Load(project("[]", sql))
		if err == nil {
			if p == nil || r == nil {
				t.Fatal("no project and no error")
			}
			return
		}
		var e *Error
		if !errors.As(err, &e) {
			t.Fatalf("not an *Error: %T %v", err, err)
		}
		if e.File != migrationFile(0) || e.Line < 0 {
			t.Fatalf("error outside the migration: %v", err)
		}
		if !errors.Is(err, ErrSyntax) && !errors.Is(err, ErrUnsupported) && !errors.Is(err, ErrUndefined) && !errors.Is(err, ErrInvalid) {
			t.Fatalf("error without a sentinel: %v", err)
		}
	})
}
