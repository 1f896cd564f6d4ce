package fakehasura

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// The shop project (testdata/shop) has users, todos (serial key, foreign
// key to users with ON DELETE CASCADE, an enum, jsonb, date and
// timestamptz columns), tags (uuid key from gen_random_uuid(), numeric,
// a two-column unique key), teams and members (a two-column key),
// billing.invoices (another schema, bigserial, a foreign key without an
// action), readings (an identity key, citext, real, json, a date
// defaulting to CURRENT_DATE) and the view user_stats with manual
// relationships both ways.
// The role user sees every user but its own todos only (a filter through
// a relationship), inserts todos with user_id preset from the session,
// sees teams it is a member of (_exists with a root column comparison)
// and members whose user_id is in the session's X-Hasura-Team-Mates
// array, and updates readings with a preset note. The role anonymous sees
// user ids, and may not introspect.

var (
	shopOnce    sync.Once
	shopProject *hasuraproject.Project
	shopErr     error
)

// shop loads testdata/shop once per test binary, from its committed
// parse (go generate writes it), so that tests do not start the parser.
func shop(t testing.TB) *hasuraproject.Project {
	t.Helper()
	shopOnce.Do(func() {
		var parsed []byte
		if parsed, shopErr = os.ReadFile("testdata/shop.parsed"); shopErr == nil {
			shopProject, _, shopErr = hasuraproject.LoadParsed(os.DirFS("testdata/shop"), parsed)
		}
	})
	require.NoError(t, shopErr)
	return shopProject
}

func newShopFixture(t testing.TB) *fixture {
	t.Helper()
	return newFixture(t, func(c *Config) {
		c.Project = shop(t)
		c.UnauthorizedRole = "anonymous"
	})
}

// shopClaims are a user-role token's claims with extra session variables.
func shopClaims(user string, vars map[string]any) map[string]any {
	c := userClaims(user)
	ns := c[DefaultClaimsNamespace].(map[string]any)
	for k, v := range vars {
		ns[k] = v
	}
	return c
}

// asWith runs query as user with extra session variables in the token.
func (f *fixture) asWith(user string, vars map[string]any, query string, variables map[string]any) string {
	f.t.Helper()
	tok := sign(f.t, testKeys(f.t)[0], "kid-1", shopClaims(user, vars))
	status, body := f.post(gqlBody(query, variables), map[string]string{"Authorization": "Bearer " + tok})
	require.Equal(f.t, http.StatusOK, status)
	return body
}

// anonymous runs query without credentials: the unauthorized role.
func (f *fixture) anonymous(query string) string {
	f.t.Helper()
	status, body := f.post(gqlBody(query, nil), nil)
	require.Equal(f.t, http.StatusOK, status)
	return body
}

// seedShop stores two users with todos, tags, an invoice, a team and a
// stats row:
//
//	users   alice (Alice, alice@example.com), bob (Bob), carol (no name)
//	todos   1 alice "write tests" done=false priority 2 mood happy meta {"tags":["go"],"size":3} due 2024-05-01
//	        2 alice "ship" done=true priority 5
//	        3 bob   "rest" done=false
//	tags    (1, "go", 2.25), (1, "test", default), (3, "sofa", 0.5)
//	teams   1 "core" with members alice and bob; 2 "ops" with carol
//	invoices alice 19.99 paid, bob 5
//	user_stats alice 1, bob 1
func seedShop(t testing.TB, f *fixture) {
	t.Helper()
	e := f.eng
	require.NoError(t, e.Insert("users",
		map[string]any{"id": "alice", "name": "Alice", "email": "alice@example.com", "last_seen": "2024-05-01 10:00:00"},
		map[string]any{"id": "bob", "name": "Bob", "last_seen": "2024-05-02 10:00:00"},
		map[string]any{"id": "carol", "last_seen": nil},
	))
	require.NoError(t, e.Insert("todos",
		map[string]any{"user_id": "alice", "title": "write tests", "priority": 2, "mood": "happy", "meta": map[string]any{"tags": []any{"go"}, "size": 3}, "due": "2024-05-01", "created_at": "2024-05-01T08:00:00Z"},
		map[string]any{"user_id": "alice", "title": "ship", "done": true, "priority": 5, "created_at": "2024-05-02T08:00:00+02:00"},
		map[string]any{"user_id": "bob", "title": "rest", "created_at": "2024-05-03T08:00:00Z"},
	))
	require.NoError(t, e.Insert("tags",
		map[string]any{"id": "00000000-0000-4000-8000-000000000001", "todo_id": 1, "label": "go", "weight": "2.25"},
		map[string]any{"id": "00000000-0000-4000-8000-000000000002", "todo_id": 1, "label": "test"},
		map[string]any{"id": "00000000-0000-4000-8000-000000000003", "todo_id": 3, "label": "sofa", "weight": 0.5},
	))
	require.NoError(t, e.Insert("teams", map[string]any{"name": "core"}, map[string]any{"name": "ops"}))
	require.NoError(t, e.Insert("public.members",
		map[string]any{"team_id": 1, "user_id": "alice"},
		map[string]any{"team_id": 1, "user_id": "bob"},
		map[string]any{"team_id": 2, "user_id": "carol"},
	))
	require.NoError(t, e.Insert("billing.invoices",
		map[string]any{"user_id": "alice", "amount": "19.99", "paid": true, "ratio": 0.25},
		map[string]any{"user_id": "bob", "amount": 5},
	))
	require.NoError(t, e.Insert("user_stats",
		map[string]any{"user_id": "alice", "open_todos": 1},
		map[string]any{"user_id": "bob", "open_todos": 1},
	))
}

// newEngineWSFixture serves an engine's websocket transport.
func newEngineWSFixture(t *testing.T, eng *Engine) *wsFixture {
	t.Helper()
	f := &wsFixture{t: t, ws: NewWSServer(eng, &WSOptions{KeepAlive: -1})}
	f.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		f.ws.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		f.ws.Close()
		f.http.Close()
	})
	return f
}

// decodeIDs returns the list a query answered under field.
func decodeIDs(t testing.TB, body, field string) []any {
	t.Helper()
	var r struct {
		Data map[string][]any `json:"data"`
	}
	require.NoError(t, json.Unmarshal([]byte(body), &r), body)
	list, ok := r.Data[field]
	require.True(t, ok, body)
	return list
}
