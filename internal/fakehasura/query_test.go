package fakehasura

import (
	"encoding/json"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// seedPeople stores five rows in this insertion order (in byte order,
// "Al_%ice" < "Alice" < "alice" < "bob"):
//
//	u1 "Alice"    2024-01-01 10:00:00
//	u2 "bob"      2024-02-01 00:00:00.5
//	u3 NULL       NULL
//	u4 "Al_%ice"  2024-03-01 12:00:00.123456
//	u5 "alice"    2024-02-01 00:00:00.5
func seedPeople(t *testing.T, f *fixture) {
	t.Helper()
	require.NoError(t, f.eng.Put(
		Row{ID: "u1", Name: strp("Alice"), LastSeen: tsp(t, "2024-01-01 10:00:00")},
		Row{ID: "u2", Name: strp("bob"), LastSeen: tsp(t, "2024-02-01 00:00:00.5")},
		Row{ID: "u3"},
		Row{ID: "u4", Name: strp("Al_%ice"), LastSeen: tsp(t, "2024-03-01 12:00:00.123456")},
		Row{ID: "u5", Name: strp("alice"), LastSeen: tsp(t, "2024-02-01 00:00:00.5")},
	))
}

// ids runs a users query as admin and returns the ids it answered.
func ids(t *testing.T, f *fixture, args string) []string {
	t.Helper()
	body := f.admin(`{ users`+args+` { id } }`, nil)
	var r struct {
		Data struct {
			Users []struct{ ID string } `json:"users"`
		} `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &r), body)
	require.NotNil(t, r.Data.Users, body)
	out := []string{}
	for _, u := range r.Data.Users {
		out = append(out, u.ID)
	}
	return out
}

func TestWhereOperators(t *testing.T) {
	f := newFixture(t)
	seedPeople(t, f)
	tests := []struct {
		where string
		want  []string
	}{
		{`{name: {_eq: "Alice"}}`, []string{"u1"}},
		{`{name: {_neq: "Alice"}}`, []string{"u2", "u4", "u5"}},
		{`{name: {_gt: "Alice"}}`, []string{"u2", "u5"}},
		{`{name: {_gte: "Alice"}}`, []string{"u1", "u2", "u5"}},
		{`{name: {_lt: "alice"}}`, []string{"u1", "u4"}},
		{`{name: {_lte: "alice"}}`, []string{"u1", "u4", "u5"}},
		{`{name: {_in: ["bob", "alice", "nobody"]}}`, []string{"u2", "u5"}},
		{`{name: {_in: []}}`, []string{}},
		{`{name: {_nin: ["bob", "alice"]}}`, []string{"u1", "u4"}},
		{`{name: {_nin: []}}`, []string{"u1", "u2", "u3", "u4", "u5"}},
		{`{name: {_in: "bob"}}`, []string{"u2"}},
		{`{name: {_is_null: true}}`, []string{"u3"}},
		{`{name: {_is_null: false}}`, []string{"u1", "u2", "u4", "u5"}},
		{`{name: {_like: "Al%"}}`, []string{"u1", "u4"}},
		{`{name: {_like: "Al\\_\\%ice"}}`, []string{"u4"}},
		{`{name: {_like: "_ob"}}`, []string{"u2"}},
		{`{name: {_nlike: "Al%"}}`, []string{"u2", "u5"}},
		{`{name: {_ilike: "al%"}}`, []string{"u1", "u4", "u5"}},
		{`{name: {_nilike: "AL%"}}`, []string{"u2"}},
		{`{name: {_similar: "(Alice|bob)"}}`, []string{"u1", "u2"}},
		{`{name: {_similar: "%l_ce"}}`, []string{"u1", "u5"}},
		{`{name: {_nsimilar: "[ab]%"}}`, []string{"u1", "u4"}},
		{`{name: {_regex: "^A"}}`, []string{"u1", "u4"}},
		{`{name: {_regex: "ic"}}`, []string{"u1", "u4", "u5"}},
		{`{name: {_nregex: "^A"}}`, []string{"u2", "u5"}},
		{`{name: {_iregex: "^a.*e$"}}`, []string{"u1", "u4", "u5"}},
		{`{name: {_niregex: "^A"}}`, []string{"u2"}},
		{`{id: {_eq: "u3"}}`, []string{"u3"}},
		{`{last_seen: {_eq: "2024-02-01T00:00:00.5"}}`, []string{"u2", "u5"}},
		{`{last_seen: {_eq: "2024-02-01 00:00:00.500000+02:00"}}`, []string{"u2", "u5"}},
		{`{last_seen: {_neq: "2024-02-01T00:00:00.5"}}`, []string{"u1", "u4"}},
		{`{last_seen: {_gt: "2024-02-01"}}`, []string{"u2", "u4", "u5"}},
		{`{last_seen: {_gte: "2024-03-01T12:00:00.123456Z"}}`, []string{"u4"}},
		{`{last_seen: {_lt: "2024-02-01T00:00:00.5"}}`, []string{"u1"}},
		{`{last_seen: {_lte: "2024-02-01T00:00:00.5"}}`, []string{"u1", "u2", "u5"}},
		{`{last_seen: {_in: ["2024-01-01 10:00", "2024-03-01T12:00:00.123456"]}}`, []string{"u1", "u4"}},
		{`{last_seen: {_nin: ["2024-01-01 10:00"]}}`, []string{"u2", "u4", "u5"}},
		{`{last_seen: {_is_null: true}}`, []string{"u3"}},
		{`{last_seen: {_lt: "now()"}}`, []string{"u1", "u2", "u4", "u5"}},
		{`{_and: [{name: {_ilike: "a%"}}, {last_seen: {_gt: "2024-02-01"}}]}`, []string{"u4", "u5"}},
		{`{_or: [{id: {_eq: "u1"}}, {name: {_is_null: true}}]}`, []string{"u1", "u3"}},
		{`{_not: {name: {_eq: "bob"}}}`, []string{"u1", "u4", "u5"}},
		{`{_not: {name: {_is_null: true}}}`, []string{"u1", "u2", "u4", "u5"}},
		{`{_and: []}`, []string{"u1", "u2", "u3", "u4", "u5"}},
		{`{_or: []}`, []string{}},
		{`{}`, []string{"u1", "u2", "u3", "u4", "u5"}},
		{`{name: {}}`, []string{"u1", "u2", "u3", "u4", "u5"}},
		{`{name: {_gt: "a", _lt: "b"}}`, []string{"u5"}},
		{`{id: {_in: ["u1", "u2"]}, name: {_eq: "bob"}}`, []string{"u2"}},
		{`{_or: [{name: {_eq: "x"}}, {_not: {name: {_eq: "x"}}}]}`, []string{"u1", "u2", "u4", "u5"}},
	}
	for _, tt := range tests {
		t.Run(tt.where, func(t *testing.T) {
			assert.Equal(t, tt.want, ids(t, f, "(where: "+tt.where+")"))
		})
	}
}

func TestOrderingAndPagination(t *testing.T) {
	f := newFixture(t)
	seedPeople(t, f)
	tests := []struct {
		args string
		want []string
	}{
		{``, []string{"u1", "u2", "u3", "u4", "u5"}},
		{`(order_by: {name: asc})`, []string{"u4", "u1", "u5", "u2", "u3"}},
		{`(order_by: {name: desc})`, []string{"u3", "u2", "u5", "u1", "u4"}},
		{`(order_by: {name: asc_nulls_first})`, []string{"u3", "u4", "u1", "u5", "u2"}},
		{`(order_by: {name: asc_nulls_last})`, []string{"u4", "u1", "u5", "u2", "u3"}},
		{`(order_by: {name: desc_nulls_first})`, []string{"u3", "u2", "u5", "u1", "u4"}},
		{`(order_by: {name: desc_nulls_last})`, []string{"u2", "u5", "u1", "u4", "u3"}},
		{`(order_by: {last_seen: desc})`, []string{"u3", "u4", "u2", "u5", "u1"}},
		{`(order_by: [{last_seen: asc}, {id: desc}])`, []string{"u1", "u5", "u2", "u4", "u3"}},
		{`(order_by: {last_seen: asc, id: desc})`, []string{"u5", "u4", "u3", "u2", "u1"}}, // keys apply as id, last_seen, name
		{`(order_by: [{last_seen: asc}, {name: null}, {id: desc}])`, []string{"u1", "u5", "u2", "u4", "u3"}},
		{`(order_by: {id: desc}, limit: 2)`, []string{"u5", "u4"}},
		{`(order_by: {id: desc}, limit: 2, offset: 1)`, []string{"u4", "u3"}},
		{`(order_by: {id: asc}, offset: "3")`, []string{"u4", "u5"}},
		{`(order_by: {id: asc}, offset: 10)`, []string{}},
		{`(limit: 0)`, []string{}},
		{`(limit: null, offset: null, where: null, order_by: null, distinct_on: null)`, []string{"u1", "u2", "u3", "u4", "u5"}},
		{`(distinct_on: last_seen, order_by: [{last_seen: asc}, {id: desc}])`, []string{"u1", "u5", "u4", "u3"}},
		{`(distinct_on: [last_seen], order_by: {last_seen: desc})`, []string{"u3", "u4", "u2", "u1"}},
		{`(distinct_on: last_seen)`, []string{"u1", "u2", "u4", "u3"}},
		{`(distinct_on: last_seen, order_by: {last_seen: asc}, limit: 2, offset: 1)`, []string{"u2", "u4"}},
	}
	for _, tt := range tests {
		t.Run(tt.args, func(t *testing.T) {
			assert.Equal(t, tt.want, ids(t, f, tt.args))
		})
	}
}

func TestQueryShapes(t *testing.T) {
	f := newFixture(t)
	seedPeople(t, f)
	tests := []struct {
		name  string
		query string
		vars  map[string]any
		want  string
	}{
		{"aliases and typename", `{ people: users(limit: 1) { key: id __typename n: name } __typename }`, nil,
			`{"data":{"people":[{"key":"u1","__typename":"users","n":"Alice"}],"__typename":"query_root"}}`},
		{"by pk", `{ users_by_pk(id: "u4") { id name last_seen } }`, nil,
			`{"data":{"users_by_pk":{"id":"u4","name":"Al_%ice","last_seen":"2024-03-01T12:00:00.123456"}}}`},
		{"by pk absent", `{ users_by_pk(id: "nobody") { id } }`, nil, `{"data":{"users_by_pk":null}}`},
		{"several root fields", `{ a: users_by_pk(id: "u1") { id } b: users(where: {id: {_eq: "u3"}}) { id name last_seen } }`, nil,
			`{"data":{"a":{"id":"u1"},"b":[{"id":"u3","name":null,"last_seen":null}]}}`},
		{"variables and defaults", `query Q($id: String!, $limit: Int = 1) { users(where: {id: {_gte: $id}}, limit: $limit) { id } }`, map[string]any{"id": "u4"},
			`{"data":{"users":[{"id":"u4"}]}}`},
		{"variable objects", `query Q($w: users_bool_exp, $o: [users_order_by!]) { users(where: $w, order_by: $o) { id } }`,
			map[string]any{"w": map[string]any{"name": map[string]any{"_ilike": "a%"}}, "o": []any{map[string]any{"id": "desc"}}},
			`{"data":{"users":[{"id":"u5"}, {"id":"u4"}, {"id":"u1"}]}}`},
		{"unset nullable variable", `query Q($w: users_bool_exp) { users(where: $w, limit: 1) { id } }`, nil, `{"data":{"users":[{"id":"u1"}]}}`},
		{"fragments", `query { users(limit: 2) { ...F ... on users { name } ... { last_seen } } } fragment F on users { id }`, nil,
			`{"data":{"users":[{"id":"u1","name":"Alice","last_seen":"2024-01-01T10:00:00"}, {"id":"u2","name":"bob","last_seen":"2024-02-01T00:00:00.5"}]}}`},
		{"fragment on another type is ignored", `{ users(limit: 1) { id ... on query_root { __typename } } }`, nil, `{"data":{"users":[{"id":"u1"}]}}`},
		{"skip and include", `query Q($yes: Boolean!) { users(limit: 1) { id name @skip(if: $yes) last_seen @include(if: $yes) } x: __typename @include(if: false) }`, map[string]any{"yes": true},
			`{"data":{"users":[{"id":"u1","last_seen":"2024-01-01T10:00:00"}]}}`},
		{"merged fields", `{ users(limit: 1) { id } users(limit: 1) { name id } }`, nil, `{"data":{"users":[{"id":"u1","name":"Alice"}]}}`},
		{"operation name", `query A { a: __typename } query B { users_by_pk(id: "u2") { id } }`, nil, ""},
		{"cached directive", `query @cached(ttl: 120) { users_by_pk(id: "u2") { id } }`, nil, `{"data":{"users_by_pk":{"id":"u2"}}}`},
		{"enum name as text", `{ users(where: {id: {_eq: u2}}) { id } }`, nil, `{"data":{"users":[{"id":"u2"}]}}`},
		{"unused variable is accepted", `query Q($unused: Int) { users_by_pk(id: "u2") { id } }`, nil, `{"data":{"users_by_pk":{"id":"u2"}}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.want == "" {
				body, _ := json.Marshal(map[string]any{"query": tt.query, "operationName": "B"})
				_, got := f.post(string(body), map[string]string{"X-Hasura-Admin-Secret": testAdminSecret})
				assert.Equal(t, `{"data":{"users_by_pk":{"id":"u2"}}}`, got)
				return
			}
			assert.Equal(t, tt.want, f.admin(tt.query, tt.vars))
		})
	}
}

func TestUserSeesOnlyOwnRow(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "user_alice", Name: strp("Alice")}, Row{ID: "user_bob", Name: strp("Bob")}))
	assert.Equal(t, `{"data":{"users":[{"id":"user_alice","name":"Alice"}]}}`, f.as("user_alice", `{ users { id name } }`, nil))
	assert.Equal(t, `{"data":{"users_by_pk":null}}`, f.as("user_alice", `{ users_by_pk(id: "user_bob") { id } }`, nil))
	assert.Equal(t, `{"data":{"users":[]}}`, f.as("user_alice", `{ users(where: {id: {_eq: "user_bob"}}) { id } }`, nil))
	assert.Equal(t, `{"data":{"users":[{"id":"user_bob","name":"Bob"}]}}`, f.as("user_bob", `{ users { id name } }`, nil))
}

func TestBatchedRequests(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "u1"}))
	_, body := f.post(`[{"query":"{ users { id } }"},{"query":"{ nope }"}]`, map[string]string{"X-Hasura-Admin-Secret": testAdminSecret})
	assert.Equal(t, `[{"data":{"users":[{"id":"u1"}]}},`+errBody("field 'nope' not found in type: 'query_root'", "$.selectionSet.nope", "validation-failed")+`]`, body)
}

func TestJSONEscaping(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "u1", Name: strp("<a href=\"x\">&\u2028\b\f\x01\\é</a>")}))
	assert.Equal(t, `{"data":{"users":[{"name":"<a href=\"x\">&`+"\u2028"+`\b\f\u0001\\é</a>"}]}}`, f.admin(`{ users { name } }`, nil))
}

// TestNestedFragmentsStayLinear spreads each of 40 fragments twice into
// the next: walked naively that is 2^40 expansions.
func TestNestedFragmentsStayLinear(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "u1"}))
	q := `{ users { ...F0 } }`
	for i := 0; i < 40; i++ {
		q += fmt.Sprintf(` fragment F%d on users { id ...F%d ...F%d }`, i, i+1, i+1)
	}
	q += ` fragment F40 on users { name }`
	assert.Equal(t, `{"data":{"users":[{"id":"u1","name":null}]}}`, f.admin(q, nil))
}

func TestPatternErrors(t *testing.T) {
	f := newFixture(t)
	q := func(where string) string { return f.admin(`{ users(where: `+where+`) { id } }`, nil) }
	assert.Equal(t, `{"data":{"users":[]}}`, q(`{name: {_like: "a\\"}}`), "no row reaches the pattern")
	seedPeople(t, f)
	assert.Equal(t, errBody("LIKE pattern must not end with escape character", "$", "bad-request"), q(`{name: {_like: "a\\"}}`))
	assert.Equal(t, errBody("invalid regular expression: missing closing )", "$", "data-exception"), q(`{name: {_regex: "("}}`))
	assert.Equal(t, `{"data":{"users":[]}}`, q(`{_and: [{id: {_eq: "u3"}}, {name: {_regex: "("}}]}`), "u3's name is NULL")
}

// TestResponsesAreBounded: aliases at each level of relationships double
// the result, so a short query could ask for gigabytes.
func TestResponsesAreBounded(t *testing.T) {
	defer func(n int) { maxResponse = n }(maxResponse)
	maxResponse = 1 << 20
	f := newShopFixture(t)
	seedShop(t, f)
	for i := 0; i < 200; i++ {
		require.NoError(t, f.eng.Insert("todos", map[string]any{"user_id": "alice", "title": fmt.Sprint(i)}))
	}
	q := `{ users { ...L0 } }`
	for i := 0; i < 12; i++ {
		q += fmt.Sprintf(` fragment L%d on users { a: todos { user { ...L%d } } b: todos { user { ...L%d } } }`, i, i+1, i+1)
	}
	q += ` fragment L12 on users { id }`
	assert.Equal(t, errBody("the fake Hasura does not emulate responses larger than 1 MiB", "$", "validation-failed"), f.admin(q, nil))
}
