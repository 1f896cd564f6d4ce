package fakehasura

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestValidationErrors(t *testing.T) {
	f := newFixture(t)
	vf := func(msg, path string) string { return errBody(msg, path, "validation-failed") }
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  string
	}{
		{"syntax", `{ users { id }`, nil, vf("not a valid graphql query", "$.query")},
		{"empty document", ``, nil, vf("not a valid graphql query", "$.query")},
		{"duplicate argument", `{ users(limit: 1, limit: 2) { id } }`, nil, vf("not a valid graphql query", "$.query")},
		{"duplicate object key", `{ users(where: {id: {_eq: "a"}, id: {_eq: "b"}}) { id } }`, nil, vf("not a valid graphql query", "$.query")},
		{"unknown root field", `{ todos { id } }`, nil, vf("field 'todos' not found in type: 'query_root'", "$.selectionSet.todos")},
		{"unknown column", `{ users { id xyz } }`, nil, vf("field 'xyz' not found in type: 'users'", "$.selectionSet.users.selectionSet.xyz")},
		{"unknown column under alias", `{ u: users { xyz } }`, nil, vf("field 'xyz' not found in type: 'users'", "$.selectionSet.users.selectionSet.xyz")},
		{"unknown argument", `{ users(first: 1) { id } }`, nil, vf("'users' has no argument named 'first'", "$.selectionSet.users")},
		{"missing selection set", `{ users }`, nil, vf("missing selection set for 'users'", "$.selectionSet.users.selectionSet")},
		{"subselection on a scalar", `{ users { id { x } } }`, nil, vf("unexpected subselection set for non-object field", "$.selectionSet.users.selectionSet.id")},
		{"argument on a scalar", `{ users { id(x: 1) } }`, nil, vf("'id' has no argument named 'x'", "$.selectionSet.users.selectionSet.id")},
		{"missing required argument", `{ users_by_pk { id } }`, nil, vf("missing required field 'id'", "$.selectionSet.users_by_pk.args.id")},
		{"unknown where column", `{ users(where: {email: {_eq: "x"}}) { id } }`, nil, vf("field 'email' not found in type: 'users_bool_exp'", "$.selectionSet.users.args.where.email")},
		{"unknown operator", `{ users(where: {id: {_contains: "x"}}) { id } }`, nil, vf("field '_contains' not found in type: 'String_comparison_exp'", "$.selectionSet.users.args.where.id._contains")},
		{"timestamp has no like", `{ users(where: {last_seen: {_like: "x"}}) { id } }`, nil, vf("field '_like' not found in type: 'timestamp_comparison_exp'", "$.selectionSet.users.args.where.last_seen._like")},
		{"null comparison", `{ users(where: {id: {_eq: null}}) { id } }`, nil, vf("unexpected null value for type 'String'", "$.selectionSet.users.args.where.id._eq")},
		{"null timestamp comparison", `{ users(where: {last_seen: {_gt: null}}) { id } }`, nil, vf("unexpected null value for type 'timestamp'", "$.selectionSet.users.args.where.last_seen._gt")},
		{"number for text", `{ users(where: {id: {_eq: 5}}) { id } }`, nil, errBody("parsing Text failed, expected String, but encountered Number", "$.selectionSet.users.args.where.id._eq", "parse-failed")},
		{"number for timestamp", `{ users(where: {last_seen: {_eq: 5}}) { id } }`, nil, errBody("parsing LocalTime failed, expected String, but encountered Number", "$.selectionSet.users.args.where.last_seen._eq", "parse-failed")},
		{"null column comparison", `{ users(where: {id: null}) { id } }`, nil, vf("expected an object for type 'String_comparison_exp', but found null", "$.selectionSet.users.args.where.id")},
		{"null _and", `{ users(where: {_and: null}) { id } }`, nil, vf("expected a list, but found null", "$.selectionSet.users.args.where._and")},
		{"is_null a string", `{ users(where: {name: {_is_null: "yes"}}) { id } }`, nil, vf("expected a boolean for type 'Boolean', but found a string", "$.selectionSet.users.args.where.name._is_null")},
		{"in item null", `{ users(where: {id: {_in: ["a", null]}}) { id } }`, nil, vf("unexpected null value for type 'String'", "$.selectionSet.users.args.where.id._in[1]")},
		{"order_by string", `{ users(order_by: {id: "asc"}) { id } }`, nil, vf("expected an enum value for type 'order_by', but found a string", "$.selectionSet.users.args.order_by[0].id")},
		{"order_by bad value", `{ users(order_by: {id: up}) { id } }`, nil, vf("expected one of the values ['asc', 'asc_nulls_first', 'asc_nulls_last', 'desc', 'desc_nulls_first', 'desc_nulls_last'] for type 'order_by', but found 'up'", "$.selectionSet.users.args.order_by[0].id")},
		{"negative limit", `{ users(limit: -1) { id } }`, nil, vf("expected a non-negative 32-bit integer for type 'Int', but found an integer", "$.selectionSet.users.args.limit")},
		{"float limit", `{ users(limit: 1.5) { id } }`, nil, vf("expected a non-negative 32-bit integer for type 'Int', but found a float", "$.selectionSet.users.args.limit")},
		{"huge limit", `{ users(limit: 3000000000) { id } }`, nil, errBody("The value 3.0e9 lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?", "$.selectionSet.users.args.limit", "parse-failed")},
		{"negative offset", `{ users(offset: -1) { id } }`, nil, errBody("OFFSET must not be negative", "$", "data-exception")},
		{"distinct_on mismatch", `{ users(distinct_on: name, order_by: {id: asc}) { id } }`, nil, vf(`"distinct_on" columns must match initial "order_by" columns`, "$.selectionSet.users.args")},
		{"distinct_on unknown column", `{ users(distinct_on: email) { id } }`, nil, vf("expected one of the values ['id', 'last_seen', 'name'] for type 'users_select_column', but found 'email'", "$.selectionSet.users.args.distinct_on[0]")},
		{"two anonymous operations", `{ a: __typename } { b: __typename }`, nil, vf("exactly one operation has to be present in the document when operationName is not specified", "$")},
		{"undefined fragment", `{ users { ...F } }`, nil, vf(`reference to undefined fragment "F"`, "$.selectionSet.users.selectionSet")},
		{"fragment cycle", `{ users { ...A } } fragment A on users { ...B } fragment B on users { ...A }`, nil, vf("the fragment definition(s) A and B form a cycle", "$.selectionSet.users.selectionSet.A.selectionSet.B.selectionSet")},
		{"duplicate fragment", `{ users { ...A } } fragment A on users { id } fragment A on users { id }`, nil, errBody(`multiple definitions for fragment "A"`, "$", "parse-failed")},
		{"unbound variable", `{ users(limit: $n) { id } }`, nil, vf(`unbound variable "n"`, "$")},
		{"missing variable", `query Q($id: String!) { users_by_pk(id: $id) { id } }`, nil, vf(`expecting a value for non-nullable variable: "id"`, "$")},
		{"null variable", `query Q($id: String!) { users_by_pk(id: $id) { id } }`, map[string]any{"id": nil}, vf(`null value found for non-nullable type: "String!"`, "$")},
		{"unexpected variables", `{ users { id } }`, map[string]any{"b": 1, "a": 2}, vf("unexpected variables in variableValues: a, b", "$")},
		{"duplicate variable", `query Q($a: Int, $a: Int) { users(limit: $a) { id } }`, nil, errBody(`multiple definitions for variable "a"`, "$", "parse-failed")},
		{"variable type mismatch", `query Q($n: String) { users(limit: $n) { id } }`, nil, vf("variable 'n' is declared as 'String', but used where 'Int' is expected", "$.selectionSet.users.args.limit")},
		{"nullable variable at non-null", `query Q($id: String) { users_by_pk(id: $id) { id } }`, nil, vf("variable 'id' is declared as 'String', but used where 'String!' is expected", "$.selectionSet.users_by_pk.args.id")},
		{"json variable of the wrong kind", `query Q($id: String!) { users_by_pk(id: $id) { id } }`, map[string]any{"id": 7}, errBody("parsing Text failed, expected String, but encountered Number", "$.selectionSet.users_by_pk.args.id", "parse-failed")},
		{"json variable with a bad key", `query Q($w: users_bool_exp) { users(where: $w) { id } }`, map[string]any{"w": map[string]any{"a-b": 1}}, vf(`variable value contains object with key "a-b", which is not a legal GraphQL name`, "$.selectionSet.users.args.where")},
		{"json limit", `query Q($n: Int) { users(limit: $n) { id } }`, map[string]any{"n": "x"}, vf("expected a non-negative 32-bit integer for type 'Int', but found a string", "$.selectionSet.users.args.limit")},
		{"json limit fraction", `query Q($n: Int) { users(limit: $n) { id } }`, map[string]any{"n": 1.5}, errBody("The value 1.5 lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?", "$.selectionSet.users.args.limit", "parse-failed")},
		{"unknown directive", `{ users { id @upper } }`, nil, vf("directive 'upper' is not defined in the schema", "$.selectionSet.users.selectionSet")},
		{"skip without if", `{ users { id @skip } }`, nil, vf("missing required field 'if'", "$.selectionSet.users.selectionSet.skip.args.if")},
		{"skip twice", `{ users { id @skip(if: false) @skip(if: false) } }`, nil, vf("the following directives are used more than once: ['skip']", "$.selectionSet.users.selectionSet")},
		{"include on the query", `query @include(if: true) { users { id } }`, nil, vf("directive 'include' is not allowed on a query", "$")},
		{"conflicting aliases", `{ x: users { id } x: users_by_pk(id: "a") { id } }`, nil, vf("selection of both 'users' and 'users_by_pk' specify the same response name, 'x'", "$.selectionSet")},
		{"inconsistent arguments", `{ users(limit: 1) { id } users(limit: 2) { id } }`, nil, vf("inconsistent arguments between multiple selections of field 'users'", "$.selectionSet")},
		{"introspection of an unknown field", `{ __schema { types { specifiedByURL } } }`, nil, vf("field 'specifiedByURL' not found in type: '__Type'", "$.selectionSet.__schema.selectionSet.types.selectionSet.specifiedByURL")},
		{"subscription over HTTP", `subscription { users { id } }`, nil, errBody("subscriptions are not supported over HTTP, use websockets instead", "$", "unexpected-payload")},
		{"invalid subscription", `subscription { users { nope } }`, nil, vf("field 'nope' not found in type: 'users'", "$.selectionSet.users.selectionSet.nope")},
		{"stream without a cursor", `subscription { users_stream(batch_size: 1, cursor: []) { id } }`, nil, vf("one streaming column field is expected", "$.selectionSet.users_stream.args")},
		{"stream with two cursors", `subscription { users_stream(batch_size: 1, cursor: [{initial_value: {id: "a"}}, {initial_value: {name: "b"}}]) { id } }`, nil, vf("multiple column cursors are not supported yet", "$.selectionSet.users_stream.args")},
		{"invalid timestamp", `{ users(where: {last_seen: {_eq: "yesterday-ish"}}) { id } }`, nil, errBody(`invalid input syntax for type timestamp: "yesterday-ish"`, "$", "data-exception")},
		{"out of range timestamp", `{ users(where: {last_seen: {_eq: "2024-02-30"}}) { id } }`, nil, errBody(`date/time field value out of range: "2024-02-30"`, "$", "data-exception")},
		{"NUL in text", `{ users(where: {id: {_eq: "a\u0000b"}}) { id } }`, nil, errBody(`invalid byte sequence for encoding "UTF8": 0x00`, "$", "data-exception")},
		{"mutation field in a query", `{ insert_users_one(object: {id: "a"}) { id } }`, nil, vf("field 'insert_users_one' not found in type: 'query_root'", "$.selectionSet.insert_users_one")},
		{"no such operation", `query A { __typename }`, map[string]any{}, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				b, _ := json.Marshal(map[string]any{"query": tt.query, "operationName": "B"})
				_, got := f.post(string(b), map[string]string{"Authorization": "Bearer " + f.token("user_alice")})
				assert.Equal(t, vf(`no such operation found in the document: "B"`, "$"), got)
				return
			}
			assert.Equal(t, tt.want, f.as("user_alice", tt.query, tt.vars))
		})
	}
}

func TestBodyErrors(t *testing.T) {
	f := newFixture(t)
	auth := map[string]string{"Authorization": "Bearer " + f.token("user_alice")}
	tests := []struct {
		body string
		want string
	}{
		{``, errBody("Error in $: not enough input", "$", "invalid-json")},
		{`{"query":`, errBody("Error in $: Failed reading: not a valid json value", "$", "invalid-json")},
		{`"x"`, errBody("parsing GQLReq failed, expected Object, but encountered String", "$", "parse-failed")},
		{`{}`, errBody(`key "query" not found`, "$", "parse-failed")},
		{`{"query":1}`, errBody("parsing Text failed, expected String, but encountered Number", "$.query", "parse-failed")},
		{`{"query":"{ __typename }","variables":[]}`, errBody("parsing HashMap failed, expected Object, but encountered Array", "$.variables", "parse-failed")},
		{`{"query":"{ __typename }","operationName":"1x"}`, errBody("1x is not valid GraphQL name", "$.operationName", "parse-failed")},
		{`[{"query":"{ __typename }"},{}]`, errBody(`key "query" not found`, "$[1]", "parse-failed")},
		{`{"query":"{ __typename }","variables":null,"operationName":null}`, `{"data":{"__typename":"query_root"}}`},
	}
	for _, tt := range tests {
		t.Run(tt.body, func(t *testing.T) {
			status, got := f.post(tt.body, auth)
			assert.Equal(t, 200, status)
			assert.Equal(t, tt.want, got)
		})
	}
}

func TestRoutes(t *testing.T) {
	f := newFixture(t)
	resp, err := f.srv.Client().Get(f.srv.URL + "/v1/graphql")
	if assert.NoError(t, err) {
		assert.Equal(t, 405, resp.StatusCode)
		resp.Body.Close()
	}
	resp, err = f.srv.Client().Get(f.srv.URL + "/v1/metadata")
	if assert.NoError(t, err) {
		assert.Equal(t, 404, resp.StatusCode)
		resp.Body.Close()
	}
	resp, err = f.srv.Client().Get(f.srv.URL + "/healthz")
	if assert.NoError(t, err) {
		assert.Equal(t, 200, resp.StatusCode)
		resp.Body.Close()
	}
}
