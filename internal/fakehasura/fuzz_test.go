package fakehasura

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
)

// FuzzServeHTTP posts arbitrary bodies and queries: the engine must never
// panic, and must always answer HTTP 200 with a JSON object holding data
// or errors (or, for a batch, an array of them).
func FuzzServeHTTP(f *testing.F) {
	for _, seed := range []struct {
		query, vars string
		raw         bool
	}{
		{`{ users { id name last_seen } }`, ``, false},
		{`query Q($w: users_bool_exp, $n: Int) { users(where: $w, limit: $n, order_by: {name: desc}) { id } }`, `{"w":{"name":{"_ilike":"%a%"}},"n":2}`, false},
		{`mutation { insert_users_one(object: {id: "x", name: "y"}, on_conflict: {constraint: users_pkey, update_columns: [name]}) { id } }`, ``, false},
		{`mutation { update_users(where: {_or: [{id: {_eq: "x"}}, {name: {_similar: "(a|b)%"}}]}, _set: {last_seen: "now()"}) { affected_rows returning { id } } }`, ``, false},
		{`mutation { delete_users(where: {last_seen: {_lt: "2024-01-01"}}) { affected_rows } }`, ``, false},
		{`{ users(distinct_on: name, order_by: [{name: asc}], offset: "1") { ...F } } fragment F on users { id @skip(if: false) }`, ``, false},
		{`subscription { users_by_pk(id: "x") { id } }`, ``, false},
		{`{ users(where: {name: {_regex: "(("}}) { id } }`, ``, false},
		{`{ users(where: {last_seen: {_in: ["2024-02-30", "now"]}}) { id } }`, ``, false},
		{`{"query": "{ __typename }"}`, ``, true},
		{`[{"query": "{ users { id } }"}, {"query": 1}]`, ``, true},
		{`{"query": "query A { __typename } query B { __typename }", "operationName": "B"}`, ``, true},
		{`{`, ``, true},
		{"\x00\xff", ``, true},
	} {
		f.Add(seed.query, seed.vars, seed.raw)
	}
	fx := newFixture(f)
	_ = fx.eng.Put(Row{ID: "x", Name: strp("abc")}, Row{ID: "y"})
	f.Fuzz(func(t *testing.T, query, vars string, raw bool) {
		body := query
		if !raw {
			m := map[string]any{"query": query}
			if json.Valid([]byte(vars)) {
				m["variables"] = json.RawMessage(vars)
			}
			b, err := json.Marshal(m)
			if err != nil {
				return
			}
			body = string(b)
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/v1/graphql", strings.NewReader(body))
		req.Header.Set("X-Hasura-Admin-Secret", testAdminSecret)
		fx.eng.ServeHTTP(rec, req)
		if rec.Code != http.StatusOK {
			t.Fatalf("status %d for %q", rec.Code, body)
		}
		var anyBody any
		if err := json.Unmarshal(rec.Body.Bytes(), &anyBody); err != nil {
			t.Fatalf("invalid JSON %q for %q", rec.Body.String(), body)
		}
		check := func(v any) {
			obj, ok := v.(map[string]any)
			_, hasData := obj["data"]
			_, hasErrors := obj["errors"]
			if !ok || hasData == hasErrors {
				t.Fatalf("answer %q for %q holds neither data nor errors", rec.Body.String(), body)
			}
		}
		if list, ok := anyBody.([]any); ok {
			for _, v := range list {
				check(v)
			}
			return
		}
		check(anyBody)
	})
}

// FuzzShop runs arbitrary operations against the shop project, as admin
// or as the role user: the engine must never panic, and must answer
// HTTP 200 with data or errors.
func FuzzShop(f *testing.F) {
	for _, seed := range []struct {
		query, vars string
		admin       bool
	}{
		{`{ users { id todos(where: {tags: {label: {_ilike: "g%"}}}, order_by: {user: {name: asc}}) { id tags_aggregate { aggregate { count } } } stats { open_todos } } }`, ``, true},
		{`{ todos_aggregate(distinct_on: done, order_by: {done: asc}) { aggregate { count(columns: [priority, mood], distinct: true) sum { priority } avg { priority } max { due created_at } } nodes { meta(path: "$.tags[0]") } } }`, ``, false},
		{`query Q($w: todos_bool_exp) { todos(where: $w) { id } }`, `{"w":{"meta":{"_has_keys_any":["a","b"]},"_or":[{"mood":{"_in":["happy"]}},{"due":{"_lt":"now()"}}]}}`, false},
		{`mutation { insert_users_one(object: {id: "x", todos: {data: [{title: "t", tags: {data: {label: "l", weight: 1.5}}}]}}) { id } }`, ``, true},
		{`mutation { update_todos_many(updates: [{where: {}, _inc: {priority: 1}}, {where: {id: {_eq: 1}}, _set: {done: true}}]) { affected_rows } }`, ``, false},
		{`mutation { delete_users(where: {todos_aggregate: {count: {predicate: {_gte: 0}}}}) { affected_rows } }`, ``, true},
		{`{ __schema { types { name fields { name args { name defaultValue } } } } __type(name: "todos") { kind } }`, ``, false},
		{`{ teams { members { user_id } } billing_invoices(order_by: {amount: desc_nulls_last}) { amount ratio } }`, ``, true},
	} {
		f.Add(seed.query, seed.vars, seed.admin)
	}
	fx := newShopFixture(f)
	seedShop(f, fx)
	tok := sign(f, testKeys(f)[0], "kid-1", shopClaims("alice", mates))
	f.Fuzz(func(t *testing.T, query, vars string, admin bool) {
		m := map[string]any{"query": query}
		if json.Valid([]byte(vars)) {
			m["variables"] = json.RawMessage(vars)
		}
		body, err := json.Marshal(m)
		if err != nil {
			return
		}
		rec := httptest.NewRecorder()
		req := httptest.NewRequest(http.MethodPost, "/v1/graphql", strings.NewReader(string(body)))
		if admin {
			req.Header.Set("X-Hasura-Admin-Secret", testAdminSecret)
		} else {
			req.Header.Set("Authorization", "Bearer "+tok)
		}
		fx.eng.ServeHTTP(rec, req)
		var out map[string]any
		if rec.Code != http.StatusOK || json.Unmarshal(rec.Body.Bytes(), &out) != nil {
			t.Fatalf("status %d, body %q for %q", rec.Code, rec.Body.String(), body)
		}
		_, hasData := out["data"]
		_, hasErrors := out["errors"]
		if hasData == hasErrors {
			t.Fatalf("answer %q for %q holds neither data nor errors", rec.Body.String(), body)
		}
	})
}
