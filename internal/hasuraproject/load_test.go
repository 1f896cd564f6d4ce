package hasuraproject

import (
	"fmt"
	"os"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLoadExampleProject(t *testing.T) {
	p, r, err := Load(os.DirFS("../../examples/hasura"))
	require.NoError(t, err)
	assert.Equal(t, "default", p.Source)
	assert.Equal(t, []string{"migrations/default/1700000000000_create_users/up.sql"}, r.Migrations)
	assert.Empty(t, r.Skipped)
	require.Len(t, p.Tables, 1)
	users := p.Tables[0]
	assert.Equal(t, "public", users.Schema)
	assert.Equal(t, "users", users.Name)
	assert.Equal(t, KindTable, users.Kind)
	assert.Equal(t, &Constraint{Name: "users_pkey", Columns: []string{"id"}}, users.PrimaryKey)
	assert.Equal(t, Type{Name: "text"}, column(t, users, "id").Type)
	assert.False(t, column(t, users, "id").Nullable)
	assert.True(t, column(t, users, "name").Nullable)
	lastSeen := column(t, users, "last_seen")
	assert.Equal(t, Type{Name: "timestamp"}, lastSeen.Type)
	assert.Equal(t, Default{Kind: NowDefault, Expr: "now()"}, lastSeen.Default)
	assert.Equal(t, Position{File: "metadata/databases/default/tables/public_users.yaml", Line: 1}, users.Tracked)

	assert.Equal(t, []string{"user"}, p.Roles())
	perms := users.Permissions["user"]
	require.NotNil(t, perms)
	isUser := Compare{Column: "id", Op: "_eq", Value: Value{Session: "x-hasura-user-id"}}
	require.NotNil(t, perms.Select)
	assert.Equal(t, []string{"id", "name", "last_seen"}, perms.Select.Columns)
	assert.Equal(t, isUser, perms.Select.Filter)
	assert.False(t, perms.Select.AllowAggregations)
	assert.Nil(t, perms.Select.Limit)
	require.NotNil(t, perms.Insert)
	assert.Equal(t, []string{"id", "name"}, perms.Insert.Columns)
	assert.Equal(t, isUser, perms.Insert.Check)
	require.NotNil(t, perms.Update)
	assert.Equal(t, []string{"name", "last_seen"}, perms.Update.Columns)
	assert.Equal(t, isUser, perms.Update.Filter)
	assert.Equal(t, isUser, perms.Update.Check)
	assert.Nil(t, perms.Delete)
}

// describe renders what both migration styles must agree on.
func describe(p *Project) string {
	var b strings.Builder
	for _, t := range p.Tables {
		fmt.Fprintf(&b, "%s.%s %s ins=%v upd=%v del=%v pk=%v uniq=%v\n", t.Schema, t.Name, t.Kind, t.Insertable, t.Updatable, t.Deletable, t.PrimaryKey, t.UniqueConstraints)
		for _, c := range t.Columns {
			fmt.Fprintf(&b, "  %s %s null=%v default=%d %q %q\n", c.Name, c.Type.Name, c.Nullable, c.Default.Kind, c.Default.Value, c.Default.Sequence)
		}
		for _, fk := range t.ForeignKeys {
			fmt.Fprintf(&b, "  fk %+v\n", *fk)
		}
		for _, r := range t.Relationships {
			fmt.Fprintf(&b, "  rel %s kind=%d remote=%s manual=%v nullable=%v %v\n", r.Name, r.Kind, r.Remote.Name, r.Manual, r.Nullable, r.Mapping)
		}
	}
	return b.String()
}

func TestYardstickProjectsAgree(t *testing.T) {
	hand, _, err := Load(os.DirFS("testdata/yardstick-handwritten"))
	require.NoError(t, err)
	dump, report, err := Load(os.DirFS("testdata/yardstick-pgdump"))
	require.NoError(t, err)
	assert.Equal(t, describe(hand), describe(dump))

	todos := table(t, dump, "public", "todos")
	assert.Equal(t, Default{Kind: SequenceDefault, Sequence: "public.todos_id_seq", Expr: "nextval('public.todos_id_seq'::regclass)"}, column(t, todos, "id").Default)
	assert.Equal(t, Default{Kind: ConstantDefault, Value: "false", Expr: "false"}, column(t, todos, "is_public").Default)
	assert.Equal(t, []*ForeignKey{{Name: "todos_user_id_fkey", Columns: []string{"user_id"}, RefSchema: "public", RefTable: "users",
		RefColumns: []string{"id"}, OnUpdate: Cascade, OnDelete: Cascade}}, todos.ForeignKeys)
	user := todos.Relationship("user")
	require.NotNil(t, user)
	assert.False(t, user.Nullable, "todos.user_id is NOT NULL")
	assert.Equal(t, []ColumnMapping{{Column: "user_id", RemoteColumn: "id"}}, user.Mapping)
	assert.Equal(t, []ColumnMapping{{Column: "id", RemoteColumn: "user_id"}}, table(t, dump, "public", "users").Relationship("todos").Mapping)

	online := table(t, dump, "public", "online_users")
	assert.Equal(t, KindView, online.Kind)
	assert.True(t, online.Insertable && online.Updatable && online.Deletable, "a one-table view is automatically updatable")
	assert.Nil(t, online.PrimaryKey)
	assert.True(t, column(t, online, "id").Nullable, "view columns are nullable")
	assert.Equal(t, "timestamptz", column(t, online, "last_seen").Type.Name)
	assert.True(t, online.Relationship("user").Manual)
	assert.Equal(t, "password", table(t, dump, "public", "users").Columns[4].Name, "the second migration adds the column")

	const up = "migrations/default/1700000000000_init/up.sql"
	var skipped []string
	for _, s := range report.Skipped {
		require.Equal(t, up, s.File)
		skipped = append(skipped, fmt.Sprintf("%d %s", s.Line, s.Kind))
	}
	assert.Equal(t, []string{
		"5 SET statement_timeout", "6 SET lock_timeout", "7 SET client_encoding", "8 SET standard_conforming_strings",
		"10 SET check_function_bodies", "11 SET client_min_messages", "13 CREATE EXTENSION", "14 COMMENT ON EXTENSION",
		"16 COMMENT ON SCHEMA", "18 CREATE FUNCTION", "30 SET default_tablespace", "31 SET default_table_access_method",
		"42 ALTER TABLE OWNER TO", "75 CREATE TRIGGER", "77 COMMENT ON TRIGGER",
	}, skipped)
	assert.Equal(t, []string{up, "migrations/default/1700000000001_add_users_password/up.sql"}, report.Migrations)
}

// TestConcurrentLoads runs loads in parallel: the parser is shared by the
// whole process.
func TestConcurrentLoads(t *testing.T) {
	var wg sync.WaitGroup
	errs := make([]error, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dir := "testdata/yardstick-handwritten"
			if i%2 == 1 {
				dir = "testdata/yardstick-pgdump"
			}
			p, _, err := Load(os.DirFS(dir))
			if err == nil && len(p.Tables) != 3 {
				err = fmt.Errorf("%d tables", len(p.Tables))
			}
			errs[i] = err
		}()
	}
	wg.Wait()
	for _, err := range errs {
		assert.NoError(t, err)
	}
}
