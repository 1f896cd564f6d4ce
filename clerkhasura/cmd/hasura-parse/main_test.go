package main

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// project is a Hasura CLI project small enough to parse quickly.
func project(t *testing.T, upSQL string) string {
	t.Helper()
	dir := t.TempDir()
	files := map[string]string{
		"config.yaml":                                         "version: 3\nendpoint: http://localhost:8080\nmetadata_directory: metadata\n",
		"metadata/version.yaml":                               "version: 3\n",
		"metadata/databases/databases.yaml":                   "- name: default\n  kind: postgres\n  configuration:\n    connection_info:\n      database_url:\n        from_env: DATABASE_URL\n  tables: \"!include default/tables/tables.yaml\"\n",
		"metadata/databases/default/tables/tables.yaml":       "- \"!include public_notes.yaml\"\n",
		"metadata/databases/default/tables/public_notes.yaml": "table:\n  name: notes\n  schema: public\n",
		"migrations/default/1700000000000_init/up.sql":        upSQL,
	}
	for name, body := range files {
		p := filepath.Join(dir, name)
		require.NoError(t, os.MkdirAll(filepath.Dir(p), 0o755))
		require.NoError(t, os.WriteFile(p, []byte(body), 0o644))
	}
	return dir
}

func TestRunWritesTheParse(t *testing.T) {
	dir := project(t, "CREATE TABLE public.notes (id serial PRIMARY KEY, body text NOT NULL);\n")
	out := filepath.Join(dir, "migrations.parsed")
	require.NoError(t, run(dir, out))
	parsed, err := os.ReadFile(out)
	require.NoError(t, err)
	p, _, err := hasuraproject.LoadParsed(os.DirFS(dir), parsed)
	require.NoError(t, err)
	assert.NotNil(t, p)

	// An up-to-date file is left alone: its modification time stays.
	old := time.Now().Add(-time.Hour).Truncate(time.Second)
	require.NoError(t, os.Chtimes(out, old, old))
	require.NoError(t, run(dir, out))
	st, err := os.Stat(out)
	require.NoError(t, err)
	assert.True(t, st.ModTime().Equal(old), "rewritten although up to date")
}

func TestRunReportsABadProject(t *testing.T) {
	dir := project(t, "CREATE TABLE public.notes (id serial PRIMARY KEY,\n  body nosuchtype);\n")
	out := filepath.Join(dir, "migrations.parsed")
	err := run(dir, out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "up.sql")
	assert.NoFileExists(t, out)
}
