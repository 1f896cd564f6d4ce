package fakehasura

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShopMutationsAsUser(t *testing.T) {
	cv := func(msg, path string) string { return errBody(msg, path, "constraint-violation") }
	checkFailed := func(path string) string { return errBody(errCheckFailed, path, "permission-error") }
	tests := []struct {
		name, query, want string
	}{
		{"insert with a preset and defaults",
			`mutation { insert_todos_one(object: {title: "new", mood: sad, meta: {a: [1, 2.50]}, due: "2024-06-01"}) { id user_id title done mood meta due created_at user { name } } }`,
			`{"data":{"insert_todos_one":{"id":4,"user_id":"alice","title":"new","done":false,"mood":"sad","meta":{"a": [1, 2.5]},"due":"2024-06-01","created_at":"2024-05-01T10:20:30+00:00","user":{"name":"Alice"}}}}`},
		{"a preset column is not an input",
			`mutation { insert_todos_one(object: {title: "x", user_id: "bob"}) { id } }`,
			errBody("field 'user_id' not found in type: 'todos_insert_input'", "$.selectionSet.insert_todos_one.args.object.user_id", "validation-failed")},
		{"insert check through a relationship",
			`mutation { insert_tags_one(object: {todo_id: 3, label: "mine now"}) { id } }`,
			checkFailed("$.selectionSet.insert_tags_one.args.object")},
		{"foreign key before the check",
			`mutation { insert_tags(objects: [{todo_id: 1, label: "ok"}, {todo_id: 99, label: "dangling"}]) { affected_rows } }`,
			cv(`Foreign key violation. insert or update on table "tags" violates foreign key constraint "tags_todo_id_fkey"`, "$.selectionSet.insert_tags.args.objects")},
		{"upsert on a unique constraint without update permission does nothing",
			`mutation { insert_tags_one(object: {todo_id: 1, label: "go"}, on_conflict: {constraint: tags_todo_id_label_key, update_columns: []}) { id } }`,
			`{"data":{"insert_tags_one":null}}`},
		{"a column outside the insert permission",
			`mutation { insert_tags_one(object: {id: "00000000-0000-4000-8000-000000000001", todo_id: 1, label: "other"}, on_conflict: {constraint: tags_todo_id_label_key, update_columns: []}) { id } }`,
			errBody("field 'id' not found in type: 'tags_insert_input'", "$.selectionSet.insert_tags_one.args.object.id", "validation-failed")},
		{"nested insert through an array relationship",
			`mutation { insert_todos_one(object: {title: "with tags", tags: {data: [{label: "a"}, {label: "b", weight: 3}]}}) { id tags(order_by: {label: asc}) { label weight todo { title } } } }`,
			`{"data":{"insert_todos_one":{"id":4,"tags":[{"label":"a","weight":1.50,"todo":{"title":"with tags"}}, {"label":"b","weight":3,"todo":{"title":"with tags"}}]}}}`},
		{"_inc",
			`mutation { update_todos(where: {id: {_eq: 1}}, _inc: {priority: 2}) { affected_rows returning { id priority } } }`,
			`{"data":{"update_todos":{"affected_rows" : 1, "returning" : [{"id":1,"priority":4}]}}}`},
		{"update check",
			`mutation { update_todos(where: {id: {_eq: 1}}, _inc: {priority: 10}) { affected_rows } }`,
			checkFailed("$")},
		{"update of another user's row by primary key",
			`mutation { update_todos_by_pk(pk_columns: {id: 3}, _set: {title: "mine"}) { id } }`,
			`{"data":{"update_todos_by_pk":null}}`},
		{"operators on one column twice",
			`mutation { update_todos(where: {}, _set: {priority: 1}, _inc: {priority: 1}) { affected_rows } }`,
			errBody(`column found in multiple operators; "priority" in _set, _inc`, "$.selectionSet.update_todos.args", "validation-failed")},
		{"no operator",
			`mutation { update_todos(where: {}) { affected_rows } }`,
			errBody("at least any one of _set, _inc is expected", "$.selectionSet.update_todos.args", "validation-failed")},
		{"unique violation on update",
			`mutation { update_users(where: {}, _set: {email: "bob@example.com"}) { affected_rows } }`,
			cv(`Uniqueness violation. duplicate key value violates unique constraint "users_email_key"`, "$")},
		{"update check on users",
			`mutation { update_users(where: {}, _set: {name: ""}) { affected_rows } }`,
			checkFailed("$")},
		{"delete within the permission's filter",
			`mutation { delete_todos(where: {}) { affected_rows returning { id } } }`,
			`{"data":{"delete_todos":{"affected_rows" : 1, "returning" : [{"id":2}]}}}`},
		{"delete by primary key outside the filter",
			`mutation { delete_todos_by_pk(id: 1) { id } }`,
			`{"data":{"delete_todos_by_pk":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newShopFixture(t)
			seedShop(t, f)
			require.NoError(t, f.eng.Insert("users", map[string]any{"id": "bobby", "email": "bob@example.com"}))
			before, _ := f.eng.TableRows("tags")
			assert.Equal(t, tt.want, f.asWith("alice", mates, tt.query, nil))
			if strings.HasPrefix(tt.want, `{"errors"`) {
				after, _ := f.eng.TableRows("tags")
				assert.Equal(t, before, after, "a failed mutation changes nothing")
			}
		})
	}
}

func TestShopMutationsAsAdmin(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	body := f.admin(`mutation {
		insert_users(objects: [{id: "dave", name: "Dave", todos: {data: [{title: "one", tags: {data: [{label: "x"}]}}, {title: "two"}]}}]) { affected_rows returning { id todos(order_by: {id: asc}) { id title } } }
	}`, nil)
	assert.Equal(t, `{"data":{"insert_users":{"affected_rows" : 4, "returning" : [{"id":"dave","todos":[{"id":4,"title":"one"}, {"id":5,"title":"two"}]}]}}}`, body)

	body = f.admin(`mutation { insert_todos_one(object: {title: "orphan", user: {data: {id: "erin"}}}) { id user_id user { id } } }`, nil)
	assert.Equal(t, `{"data":{"insert_todos_one":{"id":6,"user_id":"erin","user":{"id":"erin"}}}}`, body, "an object relationship's row first")

	body = f.admin(`mutation { insert_tags_one(object: {id: "00000000-0000-4000-8000-000000000001", todo_id: 1, label: "other"}, on_conflict: {constraint: tags_todo_id_label_key, update_columns: [weight]}) { id } }`, nil)
	assert.Equal(t, errBody(`Uniqueness violation. duplicate key value violates unique constraint "tags_pkey"`, "$.selectionSet.insert_tags_one.args.object", "constraint-violation"), body,
		"on_conflict covers its own constraint only")
	body = f.admin(`mutation { insert_tags_one(object: {todo_id: 1, label: "go", weight: 9}, on_conflict: {constraint: tags_todo_id_label_key, update_columns: [weight]}) { id weight } }`, nil)
	assert.Equal(t, `{"data":{"insert_tags_one":{"id":"00000000-0000-4000-8000-000000000001","weight":9}}}`, body)
	body = f.admin(`mutation { insert_tags_one(object: {id: "00000000-0000-4000-8000-000000000003", todo_id: 1, label: "go", weight: 8}, on_conflict: {constraint: tags_todo_id_label_key, update_columns: [weight]}) { id weight } }`, nil)
	assert.Equal(t, `{"data":{"insert_tags_one":{"id":"00000000-0000-4000-8000-000000000001","weight":8}}}`, body,
		"a conflict on on_conflict's constraint wins over one on the primary key")

	body = f.admin(`mutation { insert_todos_one(object: {title: "t", user: {data: {id: "bob"}, on_conflict: {constraint: users_pkey, update_columns: []}}}) { id } }`, nil)
	assert.Equal(t, errBody(`cannot proceed to insert object relation "user" since insert to table "users" affects zero rows`,
		"$.selectionSet.insert_todos_one.args.object.user", "validation-failed"), body)

	body = f.admin(`mutation { delete_users_by_pk(id: "alice") { id } }`, nil)
	assert.Equal(t, errBody(`Foreign key violation. update or delete on table "users" violates foreign key constraint "invoices_user_id_fkey" on table "invoices"`, "$", "constraint-violation"), body)

	body = f.admin(`mutation { a: delete_billing_invoices(where: {user_id: {_eq: "alice"}}) { affected_rows } b: delete_members(where: {user_id: {_eq: "alice"}}) { affected_rows } c: delete_users_by_pk(id: "alice") { id } }`, nil)
	assert.Equal(t, `{"data":{"a":{"affected_rows" : 1},"b":{"affected_rows" : 1},"c":{"id":"alice"}}}`, body)
	assert.Equal(t, `{"data":{"todos_aggregate":{"aggregate" : {"count" : 4}},"tags_aggregate":{"aggregate" : {"count" : 2}}}}`,
		f.admin(`{ todos_aggregate { aggregate { count } } tags_aggregate { aggregate { count } } }`, nil), "alice's todos and their tags cascaded")

	body = f.admin(`mutation { update_users_by_pk(pk_columns: {id: "bob"}, _set: {id: "robert"}) { id todos { user_id } } }`, nil)
	assert.Equal(t, errBody(`Foreign key violation. update or delete on table "users" violates foreign key constraint "invoices_user_id_fkey" on table "invoices"`, "$", "constraint-violation"), body, "ON UPDATE NO ACTION")
}

func TestSequencesAreNotRolledBack(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	body := f.admin(`mutation { insert_todos_one(object: {user_id: "alice"}) { id } }`, nil)
	assert.Equal(t, errBody(`Not-NULL violation. null value in column "title" of relation "todos" violates not-null constraint`, "$.selectionSet.insert_todos_one.args.object", "constraint-violation"), body)
	assert.Equal(t, `{"data":{"insert_todos_one":{"id":5}}}`, f.admin(`mutation { insert_todos_one(object: {user_id: "alice", title: "x"}) { id } }`, nil),
		"the failed insert used nextval 4")
}

func TestShopTimestamptzUsesTheClock(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	f.setNow(time.Date(2024, 7, 1, 12, 0, 0, 500000000, time.FixedZone("CEST", 7200)))
	assert.Equal(t, `{"data":{"insert_todos_one":{"created_at":"2024-07-01T10:00:00.5+00:00"}}}`,
		f.admin(`mutation { insert_todos_one(object: {user_id: "alice", title: "t"}) { created_at } }`, nil))
}
