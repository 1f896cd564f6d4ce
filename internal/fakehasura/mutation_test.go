package fakehasura

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func seedAliceBob(t *testing.T, f *fixture) {
	t.Helper()
	require.NoError(t, f.eng.Put(
		Row{ID: "user_alice", Name: strp("Alice"), LastSeen: tsp(t, "2024-01-01 00:00:00")},
		Row{ID: "user_bob", Name: strp("Bob"), LastSeen: tsp(t, "2024-01-02 00:00:00")},
	))
}

func TestInsertAsUser(t *testing.T) {
	permissionError := func(path string) string {
		return errBody("check constraint of an insert/update permission has failed", path, "permission-error")
	}
	tests := []struct {
		name  string
		user  string
		query string
		want  string
		rows  int
	}{
		{"own row", "user_carol", `mutation { insert_users_one(object: {id: "user_carol", name: "Carol"}) { id name last_seen } }`,
			`{"data":{"insert_users_one":{"id":"user_carol","name":"Carol","last_seen":"2024-05-01T10:20:30.123456"}}}`, 3},
		{"other id", "user_carol", `mutation { insert_users_one(object: {id: "user_dave"}) { id } }`, permissionError("$.selectionSet.insert_users_one.args.object"), 2},
		{"other id among many", "user_carol", `mutation { insert_users(objects: [{id: "user_carol"}, {id: "user_dave"}]) { affected_rows } }`, permissionError("$.selectionSet.insert_users.args.objects"), 2},
		{"duplicate", "user_alice", `mutation { insert_users_one(object: {id: "user_alice"}) { id } }`,
			errBody(`Uniqueness violation. duplicate key value violates unique constraint "users_pkey"`, "$.selectionSet.insert_users_one.args.object", "constraint-violation"), 2},
		{"no id", "user_alice", `mutation { insert_users_one(object: {name: "x"}) { id } }`,
			errBody(`Not-NULL violation. null value in column "id" of relation "users" violates not-null constraint`, "$.selectionSet.insert_users_one.args.object", "constraint-violation"), 2},
		{"last_seen not insertable", "user_carol", `mutation { insert_users_one(object: {id: "user_carol", last_seen: "now()"}) { id } }`,
			errBody("field 'last_seen' not found in type: 'users_insert_input'", "$.selectionSet.insert_users_one.args.object.last_seen", "validation-failed"), 2},
		{"upsert own row", "user_alice", `mutation { insert_users_one(object: {id: "user_alice", name: "Ally"}, on_conflict: {constraint: users_pkey, update_columns: [name, last_seen]}) { id name last_seen } }`,
			`{"data":{"insert_users_one":{"id":"user_alice","name":"Ally","last_seen":"2024-05-01T10:20:30.123456"}}}`, 2},
		{"upsert other row", "user_alice", `mutation { insert_users_one(object: {id: "user_bob", name: "Mallory"}, on_conflict: {constraint: users_pkey, update_columns: [name]}) { id name } }`,
			`{"data":{"insert_users_one":null}}`, 2},
		{"upsert do nothing", "user_alice", `mutation { insert_users_one(object: {id: "user_alice", name: "x"}, on_conflict: {constraint: users_pkey}) { id } }`,
			`{"data":{"insert_users_one":null}}`, 2},
		{"upsert where false", "user_alice", `mutation { insert_users_one(object: {id: "user_alice", name: "x"}, on_conflict: {constraint: users_pkey, update_columns: [name], where: {name: {_eq: "nobody"}}}) { id } }`,
			`{"data":{"insert_users_one":null}}`, 2},
		{"upsert where true", "user_alice", `mutation { insert_users(objects: [{id: "user_alice", name: "x"}], on_conflict: {constraint: users_pkey, update_columns: [name], where: {name: {_eq: "Alice"}}}) { affected_rows returning { name } } }`,
			`{"data":{"insert_users":{"affected_rows" : 1, "returning" : [{"name":"x"}]}}}`, 2},
		{"many with conflicts", "user_alice", `mutation { insert_users(objects: [{id: "user_alice"}, {id: "user_alice"}], on_conflict: {constraint: users_pkey, update_columns: []}) { affected_rows returning { id } } }`,
			`{"data":{"insert_users":{"affected_rows" : 0, "returning" : []}}}`, 2},
		{"row affected twice", "user_alice", `mutation { insert_users(objects: [{id: "user_alice"}, {id: "user_alice"}], on_conflict: {constraint: users_pkey, update_columns: [name]}) { affected_rows } }`,
			errBody("database query error", "$.selectionSet.insert_users.args.objects", "unexpected"), 2},
		{"empty objects", "user_alice", `mutation { insert_users(objects: []) { affected_rows returning { id } } }`,
			`{"data":{"insert_users":{"affected_rows" : 0, "returning" : []}}}`, 2},
		{"bad on_conflict column", "user_alice", `mutation { insert_users_one(object: {id: "user_alice"}, on_conflict: {constraint: users_pkey, update_columns: [id]}) { id } }`,
			errBody("expected one of the values ['last_seen', 'name'] for type 'users_update_column', but found 'id'", "$.selectionSet.insert_users_one.args.on_conflict.update_columns[0]", "validation-failed"), 2},
		{"missing constraint", "user_alice", `mutation { insert_users_one(object: {id: "user_alice"}, on_conflict: {update_columns: [name]}) { id } }`,
			errBody("missing required field 'constraint'", "$.selectionSet.insert_users_one.args.on_conflict.constraint", "validation-failed"), 2},
		{"typename in response", "user_carol", `mutation { insert_users(objects: {id: "user_carol"}) { __typename n: affected_rows } }`,
			`{"data":{"insert_users":{"__typename" : "users_mutation_response", "n" : 1}}}`, 3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			f.setNow(epoch.Add(123456789 * time.Nanosecond))
			seedAliceBob(t, f)
			assert.Equal(t, tt.want, f.as(tt.user, tt.query, nil))
			assert.Len(t, f.eng.Rows(), tt.rows)
		})
	}
}

func TestUpdateAsUser(t *testing.T) {
	tests := []struct {
		name  string
		query string
		want  string
	}{
		{"update own row", `mutation { update_users(where: {}, _set: {last_seen: "now()", name: "A"}) { affected_rows returning { id name last_seen } } }`,
			`{"data":{"update_users":{"affected_rows" : 1, "returning" : [{"id":"user_alice","name":"A","last_seen":"2024-05-01T10:20:30"}]}}}`},
		{"filter by other id", `mutation { update_users(where: {id: {_eq: "user_bob"}}, _set: {name: "x"}) { affected_rows returning { id } } }`,
			`{"data":{"update_users":{"affected_rows" : 0, "returning" : []}}}`},
		{"by pk own", `mutation { update_users_by_pk(pk_columns: {id: "user_alice"}, _set: {name: null}) { id name } }`,
			`{"data":{"update_users_by_pk":{"id":"user_alice","name":null}}}`},
		{"by pk other", `mutation { update_users_by_pk(pk_columns: {id: "user_bob"}, _set: {name: "x"}) { id } }`,
			`{"data":{"update_users_by_pk":null}}`},
		{"many", `mutation { update_users_many(updates: [{where: {}, _set: {name: "one"}}, {where: {name: {_eq: "one"}}, _set: {name: "two"}}, {where: {id: {_eq: "user_bob"}}, _set: {name: "x"}}]) { affected_rows returning { name } } }`,
			`{"data":{"update_users_many":[{"affected_rows" : 1, "returning" : [{"name":"one"}]},{"affected_rows" : 1, "returning" : [{"name":"two"}]},{"affected_rows" : 0, "returning" : []}]}}`},
		{"set id is not allowed", `mutation { update_users(where: {}, _set: {id: "x"}) { affected_rows } }`,
			errBody("field 'id' not found in type: 'users_set_input'", "$.selectionSet.update_users.args._set.id", "validation-failed")},
		{"no _set", `mutation { update_users(where: {}) { affected_rows } }`,
			errBody("at least any one of _set is expected", "$.selectionSet.update_users.args", "validation-failed")},
		{"no where", `mutation { update_users(_set: {name: "x"}) { affected_rows } }`,
			errBody("missing required field 'where'", "$.selectionSet.update_users.args.where", "validation-failed")},
		{"invalid timestamp even without rows", `mutation { update_users(where: {id: {_eq: "nobody"}}, _set: {last_seen: "soon"}) { affected_rows } }`,
			errBody(`invalid input syntax for type timestamp: "soon"`, "$", "data-exception")},
		{"delete is not allowed", `mutation { delete_users(where: {}) { affected_rows } }`,
			errBody("field 'delete_users' not found in type: 'mutation_root'", "$.selectionSet.delete_users", "validation-failed")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t)
			seedAliceBob(t, f)
			assert.Equal(t, tt.want, f.as("user_alice", tt.query, nil))
			bob, _ := f.eng.Rows()[1], 0
			assert.Equal(t, "Bob", *bob.Name, "Bob's row never changes")
		})
	}
}

func TestMutationsAreAtomic(t *testing.T) {
	f := newFixture(t)
	seedAliceBob(t, f)
	body := f.as("user_alice", `mutation { a: update_users(where: {}, _set: {name: "changed"}) { affected_rows } b: insert_users_one(object: {id: "user_bob"}) { id } }`, nil)
	assert.Equal(t, errBody(`Uniqueness violation. duplicate key value violates unique constraint "users_pkey"`, "$.selectionSet.insert_users_one.args.object", "constraint-violation"), body)
	assert.Equal(t, "Alice", *f.eng.Rows()[0].Name, "the first root field was rolled back")

	body = f.as("user_alice", `mutation { a: update_users(where: {}, _set: {name: "changed"}) { affected_rows } b: update_users(where: {}, _set: {last_seen: "2024-06-01"}) { returning { name last_seen } } }`, nil)
	assert.Equal(t, `{"data":{"a":{"affected_rows" : 1},"b":{"returning" : [{"name":"changed","last_seen":"2024-06-01T00:00:00"}]}}}`, body)
}

func TestNowIsTransactionStart(t *testing.T) {
	f := newFixture(t)
	calls := 0
	base := epoch
	f.eng.SetNow(func() time.Time {
		calls++
		return base.Add(time.Duration(calls) * time.Millisecond)
	})
	body := f.admin(`mutation { insert_users(objects: [{id: "a"}, {id: "b", last_seen: "now"}, {id: "c", last_seen: "now()"}]) { returning { last_seen } } }`, nil)
	assert.Equal(t, `{"data":{"insert_users":{"returning" : [{"last_seen":"2024-05-01T10:20:30.001"}, {"last_seen":"2024-05-01T10:20:30.001"}, {"last_seen":"2024-05-01T10:20:30.001"}]}}}`, body)
}

func TestAdminMutations(t *testing.T) {
	f := newFixture(t)
	seedAliceBob(t, f)
	assert.Equal(t, `{"data":{"insert_users_one":{"id":"user_carol","last_seen":"2020-01-01T00:00:00.5"}}}`,
		f.admin(`mutation { insert_users_one(object: {id: "user_carol", last_seen: "2020-01-01T00:00:00.5Z"}) { id last_seen } }`, nil))
	assert.Equal(t, `{"data":{"update_users_by_pk":{"id":"user_caroline"}}}`,
		f.admin(`mutation { update_users_by_pk(pk_columns: {id: "user_carol"}, _set: {id: "user_caroline"}) { id } }`, nil))
	assert.Equal(t, errBody(`Uniqueness violation. duplicate key value violates unique constraint "users_pkey"`, "$", "constraint-violation"),
		f.admin(`mutation { update_users_by_pk(pk_columns: {id: "user_caroline"}, _set: {id: "user_bob"}) { id } }`, nil))
	assert.Equal(t, `{"data":{"delete_users_by_pk":{"id":"user_caroline"},"delete_users":{"affected_rows" : 1, "returning" : [{"id":"user_bob"}]}}}`,
		f.admin(`mutation { delete_users_by_pk(id: "user_caroline") { id } delete_users(where: {name: {_eq: "Bob"}}) { affected_rows returning { id } } }`, nil))
	require.Len(t, f.eng.Rows(), 1)
	assert.Equal(t, "user_alice", f.eng.Rows()[0].ID)
}

func TestChangesNotify(t *testing.T) {
	f := newFixture(t)
	ch, stop := f.eng.Changes()
	defer stop()
	f.admin(`{ users { id } }`, nil)
	select {
	case <-ch:
		t.Fatal("a query must not signal a change")
	default:
	}
	f.admin(`mutation { update_users(where: {}, _set: {name: "x"}) { affected_rows } }`, nil)
	select {
	case <-ch:
		t.Fatal("an update of no rows must not signal a change")
	default:
	}
	f.admin(`mutation { insert_users_one(object: {id: "a"}) { id } }`, nil)
	f.admin(`mutation { insert_users_one(object: {id: "b"}) { id } }`, nil)
	<-ch
	select {
	case <-ch:
		t.Fatal("at most one signal is pending")
	default:
	}
	stop()
	require.NoError(t, f.eng.Put(Row{ID: "c"}))
	select {
	case <-ch:
		t.Fatal("no signal after stop")
	default:
	}
}
