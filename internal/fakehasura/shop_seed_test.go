package fakehasura

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSeedAppliesDefaultsAndTypes(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	todos, err := f.eng.TableRows("public.todos")
	require.NoError(t, err)
	require.Len(t, todos, 3)
	assert.Equal(t, map[string]any{
		"id": json.Number("1"), "user_id": "alice", "title": "write tests", "done": false, "priority": json.Number("2"),
		"mood": "happy", "meta": map[string]any{"size": json.Number("3"), "tags": []any{"go"}}, "due": "2024-05-01",
		"created_at": "2024-05-01T08:00:00+00:00",
	}, todos[0], "serial from 1, false by default, jsonb and date as Postgres prints them")
	assert.Equal(t, "2024-05-02T06:00:00+00:00", todos[1]["created_at"], "timestamptz input is moved to UTC")
	assert.Equal(t, json.Number("3"), todos[2]["id"])

	tags, err := f.eng.TableRows("tags")
	require.NoError(t, err)
	assert.Equal(t, []any{json.Number("2.25"), json.Number("1.50"), json.Number("0.5")},
		[]any{tags[0]["weight"], tags[1]["weight"], tags[2]["weight"]}, "numeric keeps its scale; the default is 1.50")

	invoices, err := f.eng.TableRows("billing_invoices")
	require.NoError(t, err)
	assert.Equal(t, []any{json.Number("1"), json.Number("2")}, []any{invoices[0]["id"], invoices[1]["id"]})
	assert.Equal(t, []any{true, false}, []any{invoices[0]["paid"], invoices[1]["paid"]})

	users, err := f.eng.TableRows("users")
	require.NoError(t, err)
	assert.Equal(t, []any{"alice", "bob", "carol"}, []any{users[0]["id"], users[1]["id"], users[2]["id"]}, "sorted by primary key")
	assert.Nil(t, users[2]["last_seen"], "an explicit nil is NULL, not the default")
}

func TestSeedGeneratesUUIDsAndTimes(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	f.setNow(time.Date(2025, 1, 2, 3, 4, 5, 6000, time.UTC))
	require.NoError(t, f.eng.Insert("tags", map[string]any{"todo_id": 2, "label": "new"}))
	require.NoError(t, f.eng.Insert("users", map[string]any{"id": "dave"}))
	tags, err := f.eng.TableRows("tags")
	require.NoError(t, err)
	var id string
	for _, tg := range tags {
		if tg["label"] == "new" {
			id = tg["id"].(string)
		}
	}
	assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`, id)
	users, err := f.eng.TableRows("users")
	require.NoError(t, err)
	assert.Equal(t, "2025-01-02T03:04:05.000006", users[3]["last_seen"], "now() on the engine's clock")
}

func TestSeedChecksConstraints(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	tests := []struct {
		name  string
		table string
		row   map[string]any
		msg   string
	}{
		{"not null", "todos", map[string]any{"user_id": "alice"}, `Not-NULL violation. null value in column "title" of relation "todos" violates not-null constraint`},
		{"primary key", "users", map[string]any{"id": "alice"}, `Uniqueness violation. duplicate key value violates unique constraint "users_pkey"`},
		{"unique", "users", map[string]any{"id": "zed", "email": "alice@example.com"}, `Uniqueness violation. duplicate key value violates unique constraint "users_email_key"`},
		{"two-column unique", "tags", map[string]any{"todo_id": 1, "label": "go"}, `Uniqueness violation. duplicate key value violates unique constraint "tags_todo_id_label_key"`},
		{"foreign key", "todos", map[string]any{"user_id": "nobody", "title": "x"}, `Foreign key violation. insert or update on table "todos" violates foreign key constraint "todos_user_id_fkey"`},
		{"enum", "todos", map[string]any{"user_id": "alice", "title": "x", "mood": "angry"}, `invalid input value for enum mood: "angry"`},
		{"uuid", "tags", map[string]any{"id": "nope", "todo_id": 1, "label": "x"}, `invalid input syntax for type uuid: "nope"`},
		{"integer", "todos", map[string]any{"user_id": "alice", "title": "x", "priority": "high"}, `invalid input syntax for type integer: "high"`},
		{"integer range", "todos", map[string]any{"user_id": "alice", "title": "x", "priority": "3000000000"}, `value "3000000000" is out of range for type integer`},
		{"numeric", "billing.invoices", map[string]any{"user_id": "bob", "amount": "lots"}, `invalid input syntax for type numeric: "lots"`},
		{"json", "todos", map[string]any{"user_id": "alice", "title": "x", "meta": "{oops"}, `invalid input syntax for type json`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before, err := f.eng.TableRows(tt.table)
			require.NoError(t, err)
			if tt.table == "users" {
				// The first row is fine: all rows or none are inserted.
				err = f.eng.Insert(tt.table, map[string]any{"id": "ok1"}, tt.row)
			} else {
				err = f.eng.Insert(tt.table, tt.row)
			}
			var re *RowError
			require.True(t, errors.As(err, &re), "%v", err)
			assert.Equal(t, tt.msg, re.Err.Message)
			after, _ := f.eng.TableRows(tt.table)
			assert.Equal(t, before, after, "nothing inserted")
		})
	}
	_, err := f.eng.TableRows("nope")
	assert.ErrorIs(t, err, ErrUnknownTable)
	assert.ErrorIs(t, f.eng.Insert("users", map[string]any{"id": "x", "age": 3}), ErrInvalidRow)
	assert.ErrorIs(t, f.eng.Insert("users", map[string]any{"id": time.Now()}), ErrInvalidRow)
}

func TestUpdateAndDeleteRows(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	n, err := f.eng.UpdateRows("todos", map[string]any{"user_id": "alice"}, map[string]any{"priority": 1})
	require.NoError(t, err)
	assert.Equal(t, 2, n)

	_, err = f.eng.DeleteRows("members", map[string]any{"user_id": "alice"})
	require.NoError(t, err)
	_, err = f.eng.DeleteRows("users", map[string]any{"id": "alice"})
	var re *RowError
	require.True(t, errors.As(err, &re), "%v", err)
	assert.Equal(t, `Foreign key violation. update or delete on table "users" violates foreign key constraint "invoices_user_id_fkey" on table "invoices"`, re.Err.Message)

	n, err = f.eng.DeleteRows("billing.invoices", map[string]any{"user_id": "alice"})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	n, err = f.eng.DeleteRows("users", map[string]any{"id": "alice"})
	require.NoError(t, err)
	assert.Equal(t, 1, n)
	todos, _ := f.eng.TableRows("todos")
	tags, _ := f.eng.TableRows("tags")
	assert.Len(t, todos, 1, "alice's todos went with her (ON DELETE CASCADE)")
	assert.Len(t, tags, 1, "and their tags with them")

	_, err = f.eng.DeleteRows("members", map[string]any{"user_id": "bob"})
	require.NoError(t, err)
	_, err = f.eng.DeleteRows("teams", map[string]any{"name": "core"})
	require.NoError(t, err)
	_, err = f.eng.DeleteRows("teams", map[string]any{"name": "ops"})
	require.True(t, errors.As(err, &re))
	assert.Equal(t, `Foreign key violation. update or delete on table "teams" violates foreign key constraint "members_team_id_fkey" on table "members"`, re.Err.Message)
}
