package clerkhasuratest_test

import (
	"encoding/json"
	"io/fs"
	"os"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

//go:generate go run ../cmd/hasura-parse -dir testdata/notes -o testdata/notes/migrations.parsed

// notes is the test project: notes owned by a user (who sees their own
// and the public ones) and their tags; role anonymous sees the public
// notes' id and title. Its users table, which no role may read, has a
// uuid id.
var notes = os.DirFS("testdata/notes")

func TestHasuraServesAProject(t *testing.T) {
	p := newHasuraPair(t, &clerkhasuratest.HasuraOptions{Project: notes, UnauthorizedRole: "anonymous"})
	p.fh.Insert("notes",
		map[string]any{"owner": "user_alice", "title": "mine"},
		map[string]any{"id": 7, "owner": "user_bob", "title": "shared", "public": true},
		map[string]any{"owner": "user_bob", "title": "secret"},
	)
	p.fh.Insert("tags", map[string]any{"note_id": 1, "tag": "x"}, map[string]any{"note_id": 2, "tag": "y"})

	assert.Equal(t, `{"data":{"notes":[{"id":1,"title":"mine","owner":"user_alice","tags":[{"tag":"x"}]}, {"id":7,"title":"shared","owner":"user_bob","tags":[]}]}}`,
		p.as(t, "user_alice", `{"query":"{ notes(order_by: {id: asc}) { id title owner tags { tag } } }"}`),
		"the user role's filter: own notes and public ones, and only own notes' tags")
	assert.Equal(t, `{"data":{"insert_notes_one":{"id":3,"owner":"user_alice","public":false,"created_at":"2026-11-26T12:00:00+00:00"}}}`,
		p.as(t, "user_alice", `{"query":"mutation { insert_notes_one(object: {title: \"new\"}) { id owner public created_at } }"}`),
		"the preset sets owner; id, public and created_at take their defaults")
	assert.Equal(t, hasuraErr("field 'owner' not found in type: 'notes_insert_input'", "$.selectionSet.insert_notes_one.args.object.owner", "validation-failed"),
		p.as(t, "user_alice", `{"query":"mutation { insert_notes_one(object: {title: \"t\", owner: \"user_bob\"}) { id } }"}`))
	assert.Equal(t, hasuraErr("field 'users' not found in type: 'query_root'", "$.selectionSet.users", "validation-failed"),
		p.as(t, "user_alice", `{"query":"{ users { id } }"}`), "examples/hasura is not served beside the project")

	_, body := hasuraPost(t, p.fh.Endpoint(), `{"query":"{ notes { id title } }"}`, nil)
	assert.Equal(t, `{"data":{"notes":[{"id":7,"title":"shared"}]}}`, body, "UnauthorizedRole's permission")
	_, body = hasuraPost(t, p.fh.Endpoint(), `{"query":"{ notes { owner } }"}`, nil)
	assert.Equal(t, hasuraErr("field 'owner' not found in type: 'notes'", "$.selectionSet.notes.selectionSet.owner", "validation-failed"), body)
}

func TestHasuraInsertAndTable(t *testing.T) {
	p := newHasuraPair(t, &clerkhasuratest.HasuraOptions{Project: notes})
	p.fh.Insert("public.notes", map[string]any{"id": 5, "owner": "o", "title": "five"})
	p.fh.Insert("notes", map[string]any{"owner": "o", "title": "one", "created_at": "2024-05-01 10:00:00+02"})
	p.fh.Insert("tags",
		map[string]any{"note_id": 5, "tag": "b"},
		map[string]any{"note_id": 1, "tag": "z"},
		map[string]any{"note_id": 5, "tag": "a"},
	)

	assert.Equal(t, []map[string]any{
		{"id": json.Number("1"), "owner": "o", "title": "one", "public": false, "created_at": "2024-05-01T08:00:00+00:00"},
		{"id": json.Number("5"), "owner": "o", "title": "five", "public": false, "created_at": "2026-11-26T12:00:00+00:00"},
	}, p.fh.Table("notes"), "sorted by id; the sequence, false and now() on the fake's clock as defaults")
	assert.Equal(t, []map[string]any{
		{"note_id": json.Number("1"), "tag": "z"},
		{"note_id": json.Number("5"), "tag": "a"},
		{"note_id": json.Number("5"), "tag": "b"},
	}, p.fh.Table("public.tags"), "sorted by the composite key")

	rec := &fatalRecorder{TB: t}
	fh := clerkhasuratest.NewHasura(rec, &clerkhasuratest.HasuraOptions{JWKURL: p.clerk.JWKSURL(), Project: notes})
	fh.Insert("notes", map[string]any{"owner": "o", "title": "t"})
	refused := []struct {
		name, table string
		row         map[string]any
		want        string
	}{
		{"unique", "notes", map[string]any{"owner": "o", "title": "t"},
			`public.notes: Uniqueness violation. duplicate key value violates unique constraint "notes_owner_title_key" (constraint-violation)`},
		{"not null", "notes", map[string]any{"owner": "o"},
			`public.notes: Not-NULL violation. null value in column "title" of relation "notes" violates not-null constraint (constraint-violation)`},
		{"foreign key", "tags", map[string]any{"note_id": 99, "tag": "t"},
			`public.tags: Foreign key violation. insert or update on table "tags" violates foreign key constraint "tags_note_id_fkey" (constraint-violation)`},
		{"cast", "notes", map[string]any{"id": "x", "owner": "o", "title": "u"},
			`public.notes: invalid input syntax for type integer: "x" (data-exception)`},
		{"column", "notes", map[string]any{"owner": "o", "title": "u", "nope": 1}, `invalid row: public.notes has no column "nope"`},
		{"table", "nope", map[string]any{}, `unknown table: "nope"`},
	}
	for _, tt := range refused {
		t.Run(tt.name, func(t *testing.T) {
			// A good row first: the bad one must take it along.
			good := map[string]any{"owner": "p", "title": "ok"}
			if tt.table == "tags" {
				good = map[string]any{"note_id": 1, "tag": "ok"}
			}
			got := fatalOf(rec, func() { fh.Insert(tt.table, good, tt.row) })
			assert.Equal(t, "clerkhasuratest: Insert: "+tt.want, got)
		})
	}
	assert.Len(t, fh.Table("notes"), 1, "a refused Insert inserts none of its rows")
	assert.Empty(t, fh.Table("tags"))
	assert.Equal(t, `clerkhasuratest: Table: unknown table: "nope"`, fatalOf(rec, func() { fh.Table("nope") }))

	// Seed bypasses casts: it refuses a users table whose columns have
	// other types than examples/hasura's, rather than store a text id in
	// a uuid column.
	assert.Equal(t, "clerkhasuratest: Seed: fakehasura: public.users.id is uuid, not text as in examples/hasura: seed it with Insert",
		fatalOf(rec, func() { fh.Seed(clerkhasuratest.UserRow{ID: "user_x"}) }))
	assert.Empty(t, fh.Rows())
	assert.Empty(t, fh.Table("users"))
	fh.Insert("users", map[string]any{"id": "0b7e2d4c-3f7a-4b8e-9c1d-2a3b4c5d6e7f"}, map[string]any{"name": "random id"})
	users := fh.Table("users")
	require.Len(t, users, 2)
	random := users[0]
	if random["name"] == nil {
		random = users[1]
	}
	assert.Equal(t, "random id", random["name"])
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, random["id"], "gen_random_uuid()")
	assert.Less(t, users[0]["id"], users[1]["id"], "sorted by id")
}

// TestNewHasuraReportsTheProjectAtFault: a project the fake cannot serve
// fails NewHasura with the file and line at fault.
func TestNewHasuraReportsTheProjectAtFault(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	const tags = "metadata/databases/default/tables/public_tags.yaml"
	tests := []struct {
		name  string
		edit  func(fstest.MapFS)
		wants []string
	}{
		{"metadata", func(m fstest.MapFS) {
			m[tags].Data = []byte(strings.Replace(string(m[tags].Data), "- tag", "- label", 1))
		}, []string{"clerkhasuratest: NewHasura: HasuraOptions.Project: " + tags + `:11: undefined: column "label" of public.tags does not exist`}},
		{"no metadata", func(m fstest.MapFS) {
			delete(m, "metadata/databases/databases.yaml")
			delete(m, "migrations.parsed") // Load, not LoadParsed
		}, []string{"clerkhasuratest: NewHasura: HasuraOptions.Project: metadata: undefined: no metadata"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := copyFS(t, notes)
			tt.edit(m)
			got := fatalMessage(t, func(tt2 clerkhasuratest.Tester) {
				clerkhasuratest.NewHasura(tt2, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL(), Project: m})
			})
			for _, want := range tt.wants {
				assert.Contains(t, got, want)
			}
		})
	}
}

// copyFS copies fsys into a map that a test may edit.
func copyFS(t *testing.T, fsys fs.FS) fstest.MapFS {
	t.Helper()
	m := fstest.MapFS{}
	err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		b, err := fs.ReadFile(fsys, path)
		m[path] = &fstest.MapFile{Data: b}
		return err
	})
	require.NoError(t, err)
	return m
}
