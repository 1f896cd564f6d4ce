package fakehasura

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// mates is the session variable the members filter reads: a Postgres
// array literal, as Hasura expects for _in.
var mates = map[string]any{"x-hasura-team-mates": "{alice,bob}"}

func TestShopReadsAsUser(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	tests := []struct {
		name, query, want string
	}{
		{"relationships with their own arguments",
			`{ users(order_by: {id: asc}) { id name todos(order_by: {id: desc}, limit: 1) { id title } stats { open_todos } } }`,
			`{"data":{"users":[{"id":"alice","name":"Alice","todos":[{"id":2,"title":"ship"}],"stats":{"open_todos":1}}, {"id":"bob","name":"Bob","todos":[],"stats":null}, {"id":"carol","name":null,"todos":[],"stats":null}]}}`},
		{"column types as Postgres prints them",
			`{ todos(where: {id: {_eq: 1}}) { id done priority mood meta due created_at } }`,
			`{"data":{"todos":[{"id":1,"done":false,"priority":2,"mood":"happy","meta":{"size": 3, "tags": ["go"]},"due":"2024-05-01","created_at":"2024-05-01T08:00:00+00:00"}]}}`},
		{"filter through a relationship",
			`{ todos(where: {user: {name: {_eq: "Alice"}}}, order_by: {id: asc}) { id user { name } } }`,
			`{"data":{"todos":[{"id":1,"user":{"name":"Alice"}}, {"id":2,"user":{"name":"Alice"}}]}}`},
		{"another user's rows are invisible",
			`{ todos_by_pk(id: 3) { id } mine: todos_by_pk(id: 1) { title } }`,
			`{"data":{"todos_by_pk":null,"mine":{"title":"write tests"}}}`},
		{"the remote table's filter applies in a where",
			`{ users(where: {todos: {title: {_eq: "rest"}}}) { id } }`,
			`{"data":{"users":[]}}`},
		{"_exists with a column of the permission's table",
			`{ teams { id name } }`,
			`{"data":{"teams":[{"id":1,"name":"core"}]}}`},
		{"_in with an array session variable",
			`{ members(order_by: [{team_id: asc}, {user_id: asc}]) { user_id team_id } }`,
			`{"data":{"members":[{"user_id":"alice","team_id":1}, {"user_id":"bob","team_id":1}]}}`},
		{"another schema's table and a view's manual relationship",
			`{ billing_invoices { id amount paid ratio user { id } } user_stats { user_id open_todos user { name } } }`,
			`{"data":{"billing_invoices":[{"id":1,"amount":19.99,"paid":true,"ratio":0.25,"user":{"id":"alice"}}],"user_stats":[{"user_id":"alice","open_todos":1,"user":{"name":"Alice"}}]}}`},
		{"aggregates",
			`{ todos_aggregate { aggregate { count(columns: priority) max { priority due created_at } min { title } avg { priority } sum { priority } } nodes { id } } }`,
			`{"data":{"todos_aggregate":{"aggregate" : {"count" : 2, "max" : {"priority" : 5, "due" : "2024-05-01", "created_at" : "2024-05-02T06:00:00+00:00"}, "min" : {"title" : "ship"}, "avg" : {"priority" : 3.5000000000000000}, "sum" : {"priority" : 7}}, "nodes" : [{"id":1}, {"id":2}]}}}`},
		{"aggregate relationship and typenames",
			`{ users(where: {id: {_eq: "alice"}}) { todos_aggregate(where: {done: {_eq: false}}) { __typename aggregate { __typename count } } } }`,
			`{"data":{"users":[{"todos_aggregate":{"__typename" : "todos_aggregate", "aggregate" : {"__typename" : "todos_aggregate_fields", "count" : 1}}}]}}`},
		{"order by an aggregate of an array relationship",
			`{ users(order_by: [{todos_aggregate: {count: desc}}, {id: desc}]) { id } }`,
			`{"data":{"users":[{"id":"alice"}, {"id":"carol"}, {"id":"bob"}]}}`},
		{"order by an object relationship",
			`{ todos(order_by: [{user: {name: desc}}, {title: asc}]) { title } }`,
			`{"data":{"todos":[{"title":"ship"}, {"title":"write tests"}]}}`},
		{"where on an array relationship's aggregate",
			`{ users(where: {todos_aggregate: {count: {predicate: {_gt: 1}}}}) { id } }`,
			`{"data":{"users":[{"id":"alice"}]}}`},
		{"bool_or over an array relationship",
			`{ users(where: {todos_aggregate: {bool_or: {arguments: done, predicate: {_eq: true}}}}) { id } }`,
			`{"data":{"users":[{"id":"alice"}]}}`},
		{"jsonb operators and path",
			`{ a: todos(where: {meta: {_contains: {tags: ["go"]}}}) { id meta(path: "tags[0]") } b: todos(where: {meta: {_has_key: "size"}}) { id } c: todos(where: {meta: {_cast: {String: {_like: "%size%"}}}}) { id } }`,
			`{"data":{"a":[{"id":1,"meta":"go"}],"b":[{"id":1}],"c":[{"id":1}]}}`},
		{"enum, date and timestamptz comparisons",
			`{ a: todos(where: {mood: {_in: [happy, sad]}}) { id } b: todos(where: {due: {_lte: "2024-05-01"}}) { id } c: todos(where: {created_at: {_gt: "2024-05-02T07:00:00+02:00"}}) { id } }`,
			`{"data":{"a":[{"id":1}],"b":[{"id":1}],"c":[{"id":2}]}}`},
		{"enum values order as declared",
			`{ todos(where: {mood: {_gt: "happy"}}) { id } }`,
			`{"data":{"todos":[]}}`},
		{"distinct_on",
			`{ todos(distinct_on: done, order_by: [{done: asc}, {id: desc}]) { id } }`,
			`{"data":{"todos":[{"id":1}, {"id":2}]}}`},
		{"session variable missing",
			`{ members { user_id } }`,
			errBody(`missing session variable: "x-hasura-team-mates"`, "$", "not-found")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			vars := mates
			if tt.name == "session variable missing" {
				vars = nil
			}
			assert.Equal(t, tt.want, f.asWith("alice", vars, tt.query, nil))
		})
	}
}

func TestShopValidatesAgainstTheRolesSchema(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	vf := func(msg, path string) string { return errBody(msg, path, "validation-failed") }
	tests := []struct {
		name, query, want string
	}{
		{"a column the role may not select", `{ users { email } }`, vf("field 'email' not found in type: 'users'", "$.selectionSet.users.selectionSet.email")},
		{"aggregates without allow_aggregations", `{ users_aggregate { aggregate { count } } }`, vf("field 'users_aggregate' not found in type: 'query_root'", "$.selectionSet.users_aggregate")},
		{"a mutation without permission", `mutation { delete_users(where: {}) { affected_rows } }`, vf("field 'delete_users' not found in type: 'mutation_root'", "$.selectionSet.delete_users")},
		{"number for an integer", `{ todos(where: {priority: {_eq: 1.5}}) { id } }`, errBody("parsing Int32 failed, value is either floating or will cause over or underflow 1.5", "$.selectionSet.todos.args.where.priority._eq", "parse-failed")},
		{"boolean for text", `{ todos(where: {title: {_eq: true}}) { id } }`, errBody("parsing Text failed, expected String, but encountered Boolean", "$.selectionSet.todos.args.where.title._eq", "parse-failed")},
		{"number for an enum", `{ todos(where: {mood: {_eq: 1}}) { id } }`, errBody("A string is expected for type: mood", "$.selectionSet.todos.args.where.mood._eq", "parse-failed")},
		{"bad enum value", `{ todos(where: {mood: {_eq: angry}}) { id } }`, errBody(`invalid input value for enum mood: "angry"`, "$", "data-exception")},
		{"bad json path", `{ todos { meta(path: "$[") } }`, vf("parse json path error: unterminated bracket", "$.selectionSet.todos.selectionSet.meta.args.path")},
		{"aggregate not emulated", `{ todos_aggregate { aggregate { stddev { priority } } } }`, vf("the fake Hasura does not emulate the aggregate stddev", "$.selectionSet.todos_aggregate.selectionSet.aggregate.selectionSet.stddev")},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, f.asWith("alice", mates, tt.query, nil))
		})
	}
}

func TestShopRowLimits(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	for i := 0; i < 12; i++ {
		require.NoError(t, f.eng.Insert("todos", map[string]any{"user_id": "alice", "title": fmt.Sprintf("t%02d", i)}))
	}
	count := func(body string) int {
		return len(decodeIDs(t, body, "todos"))
	}
	assert.Equal(t, 10, count(f.as("alice", `{ todos { id } }`, nil)), "the permission's limit")
	assert.Equal(t, 3, count(f.as("alice", `{ todos(limit: 3) { id } }`, nil)), "a smaller limit argument")
	assert.Equal(t, 10, count(f.as("alice", `{ todos(limit: 30) { id } }`, nil)), "a larger one")
	assert.Equal(t, `{"data":{"todos_aggregate":{"aggregate" : {"count" : 10}}}}`,
		f.as("alice", `{ todos_aggregate { aggregate { count } } }`, nil), "aggregates see the limited rows")
	assert.Equal(t, 14, count(f.admin(`{ todos(where: {user_id: {_eq: "alice"}}) { id } }`, nil)), "admin has no limit")
}

func TestUnauthorizedRole(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	assert.Equal(t, `{"data":{"users":[{"id":"alice"}, {"id":"bob"}, {"id":"carol"}]}}`, f.anonymous(`{ users(order_by: {id: asc}) { id } }`))
	assert.Equal(t, errBody("field 'todos' not found in type: 'query_root'", "$.selectionSet.todos", "validation-failed"), f.anonymous(`{ todos { id } }`))
	assert.Equal(t, errBody("no mutations exist", "$", "validation-failed"), f.anonymous(`mutation { delete_users(where: {}) { affected_rows } }`))
}
