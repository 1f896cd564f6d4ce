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
