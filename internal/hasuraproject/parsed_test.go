package hasuraproject

import (
	"io/fs"
	"os"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// copyFS reads a project directory into memory, to change it in a test.
func copyFS(t *testing.T, dir string) fstest.MapFS {
	t.Helper()
	out := fstest.MapFS{}
	fsys := os.DirFS(dir)
	err := fs.WalkDir(fsys, ".", func(name string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, name)
		out[name] = &fstest.MapFile{Data: b}
		return err
	})
	require.NoError(t, err)
	return out
}

func TestLoadParsedSkipsTheParser(t *testing.T) {
	for _, dir := range []string{"../../examples/hasura", "testdata/yardstick-pgdump"} {
		t.Run(dir, func(t *testing.T) {
			fsys := os.DirFS(dir)
			want, wantReport, err := Load(fsys)
			require.NoError(t, err)
			parsed, err := Parse(fsys)
			require.NoError(t, err)

			calls := parserCalls.Load()
			got, report, err := LoadParsed(fsys, parsed)
			require.NoError(t, err)
			assert.Equal(t, calls, parserCalls.Load(), "the saved parse stands in for the parser")
			assert.Equal(t, describe(want), describe(got))
			assert.Equal(t, want.Tables[0].Columns[0].Default, got.Tables[0].Columns[0].Default)
			assert.Equal(t, wantReport, report)
		})
	}
}

func TestLoadParsedFallsBackToTheParser(t *testing.T) {
	fsys := copyFS(t, "../../examples/hasura")
	parsed, err := Parse(fsys)
	require.NoError(t, err)
	const up = "migrations/default/1700000000000_create_users/up.sql"
	fsys[up] = &fstest.MapFile{Data: append(fsys[up].Data, []byte("ALTER TABLE public.users ADD COLUMN email text;")...)}

	calls := parserCalls.Load()
	p, _, err := LoadParsed(fsys, parsed)
	require.NoError(t, err)
	assert.Greater(t, parserCalls.Load(), calls, "the migrations changed: parse them again")
	assert.NotNil(t, p.Tables[0].Column("email"))

	p, _, err = LoadParsed(fsys, []byte("not a parse"))
	require.NoError(t, err)
	assert.NotNil(t, p.Tables[0].Column("email"))

	_, _, err = LoadParsed(project("[]", "CREATE RULE r AS ON INSERT TO t DO NOTHING"), parsed)
	assert.ErrorIs(t, err, ErrUnsupported, "errors are Load's")
}

// TestParseIsDeterministic: go generate writes the parse of an embedded
// project, and CI checks that running it again changes nothing.
func TestParseIsDeterministic(t *testing.T) {
	fsys := os.DirFS("testdata/yardstick-pgdump")
	first, err := Parse(fsys)
	require.NoError(t, err)
	for i := 0; i < 5; i++ {
		again, err := Parse(fsys)
		require.NoError(t, err)
		require.Equal(t, first, again, "parse %d", i+2)
	}
}
