package hasuraproject

import (
	"errors"
	"fmt"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/require"
)

// project builds a config v3 project in memory: the source's tables list
// (YAML, inline) and migrations applied in the order given.
func project(tables string, migrations ...string) fstest.MapFS {
	fsys := fstest.MapFS{
		"config.yaml":           {Data: []byte("version: 3\nmetadata_directory: metadata\n")},
		"metadata/version.yaml": {Data: []byte("version: 3\n")},
		"metadata/databases/databases.yaml": {Data: []byte(
			"- name: default\n  kind: postgres\n  configuration: {}\n  tables: \"!include default/tables/tables.yaml\"\n")},
		"metadata/databases/default/tables/tables.yaml": {Data: []byte(tables)},
	}
	for i, sql := range migrations {
		fsys[migrationFile(i)] = &fstest.MapFile{Data: []byte(sql)}
	}
	return fsys
}

// migrationFile is the path of the i-th migration that project writes.
func migrationFile(i int) string {
	return fmt.Sprintf("migrations/default/%d_step%d/up.sql", 1700000000000+i, i)
}

const tablesFile = "metadata/databases/default/tables/tables.yaml"

func mustLoad(t *testing.T, fsys fstest.MapFS) (*Project, *Report) {
	t.Helper()
	p, r, err := Load(fsys)
	require.NoError(t, err)
	return p, r
}

// loadError loads a project that must fail and returns its *Error.
func loadError(t *testing.T, fsys fstest.MapFS) *Error {
	t.Helper()
	p, r, err := Load(fsys)
	require.Error(t, err)
	require.Nil(t, p)
	require.Nil(t, r)
	var e *Error
	require.True(t, errors.As(err, &e), "not an *Error: %T %v", err, err)
	return e
}

func table(t *testing.T, p *Project, schema, name string) *Table {
	t.Helper()
	tb := p.Table(schema, name)
	require.NotNil(t, tb, "table %s.%s", schema, name)
	return tb
}

func column(t *testing.T, tb *Table, name string) *Column {
	t.Helper()
	c := tb.Column(name)
	require.NotNil(t, c, "column %s of %s", name, tb.Name)
	return c
}

// tracked lists tables for the tables.yaml of project.
func tracked(names ...string) string {
	out := ""
	for _, n := range names {
		out += "- table: " + n + "\n"
	}
	return out
}
