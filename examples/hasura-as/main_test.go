package main

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// fakes is a fake Clerk and a fake Hasura trusting it, with rows for
// Alice and Bob, and the environment that points the tool at them.
type fakes struct {
	clerk  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
	env    map[string]string
}

func newFakes(t *testing.T) *fakes {
	t.Helper()
	f := &fakes{clerk: clerkhasuratest.NewClerk(t, nil)}
	f.hasura = clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{JWKURL: f.clerk.JWKSURL(), HTTPClient: f.clerk.HTTPClient()})
	alice, bob := "Alice", "Bob"
	f.hasura.Seed(
		clerkhasuratest.UserRow{ID: "user_alice", Name: &alice, LastSeenText: "2024-05-01T10:20:30.5"},
		clerkhasuratest.UserRow{ID: "user_bob", Name: &bob},
	)
	f.env = map[string]string{
		"CLERK_SECRET_KEY":        f.clerk.SecretKey(),
		"CLERK_API_URL":           f.clerk.APIURL(),
		"HASURA_GRAPHQL_ENDPOINT": f.hasura.Endpoint(),
	}
	return f
}

// run runs the tool and returns its exit status, stdout and stderr.
func (f *fakes) run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, func(k string) string { return f.env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func TestHasuraAsRunsQueriesAsTheUser(t *testing.T) {
	f := newFakes(t)
	alice := f.clerk.CreateSession("user_alice")
	file := filepath.Join(t.TempDir(), "get_user.graphql")
	require.NoError(t, os.WriteFile(file, []byte(`
query GetUser($id: String!) { users_by_pk(id: $id) { id name } }
query AllUsers { users(order_by: {id: asc}) { id } }
`), 0o600))

	cases := []struct {
		name   string
		args   []string
		stdout string
	}{
		{"own rows", []string{"-session", alice, "-query", "{ users { id name last_seen } }"},
			"{\n  \"users\": [\n    {\n      \"id\": \"user_alice\",\n      \"name\": \"Alice\",\n      \"last_seen\": \"2024-05-01T10:20:30.5\"\n    }\n  ]\n}\n"},
		{"another user's row is invisible", []string{"-session", alice, "-op", "GetUser", "-vars", `{"id":"user_bob"}`, file},
			"{\n  \"users_by_pk\": null\n}\n"},
		{"a user, through a session made for the run", []string{"-user", "user_bob", "-op", "GetUser", "-vars", `{"id":"user_bob"}`, file},
			"{\n  \"users_by_pk\": {\n    \"id\": \"user_bob\",\n    \"name\": \"Bob\"\n  }\n}\n"},
		{"the other operation", []string{"-user", "user_bob", "-op", "AllUsers", file},
			"{\n  \"users\": [\n    {\n      \"id\": \"user_bob\"\n    }\n  ]\n}\n"},
		{"a mutation", []string{"-session", alice, "-query", `mutation { update_users_by_pk(pk_columns: {id: "user_alice"}, _set: {name: "Alicia"}) { name } }`},
			"{\n  \"update_users_by_pk\": {\n    \"name\": \"Alicia\"\n  }\n}\n"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := f.run(tc.args...)
			assert.Equal(t, 0, code, stderr)
			assert.Empty(t, stderr)
			assert.Equal(t, tc.stdout, stdout)
		})
	}
	assert.Equal(t, int64(2), f.clerk.Stats().SessionsRevoked, "the sessions made for -user were revoked")
	assert.Equal(t, int64(5), f.clerk.Stats().TokensMinted, "one token per run")
}

func TestHasuraAsReportsErrors(t *testing.T) {
	f := newFakes(t)
	alice := f.clerk.CreateSession("user_alice")
	ended := f.clerk.CreateSession("user_alice")
	f.clerk.RevokeSession(ended)

	cases := []struct {
		name   string
		args   []string
		stderr string
		stdout string
	}{
		{"field the role may not see", []string{"-session", alice, "-query", "{ users { id email } }"},
			"hasura-as: field 'email' not found in type: 'users' (validation-failed at $.selectionSet.users.selectionSet.email)\n", ""},
		{"role not allowed", []string{"-session", alice, "-role", "admin", "-query", "{ users { id } }"},
			"(access-denied at $)\n", ""},
		{"update of another row", []string{"-session", alice, "-query", `mutation { update_users_by_pk(pk_columns: {id: "user_bob"}, _set: {name: "x"}) { id } }`},
			"", "{\n  \"update_users_by_pk\": null\n}\n"},
		{"ended session", []string{"-session", ended, "-query", "{ users { id } }"},
			"Clerk session or JWT template not found", ""},
		{"unknown session", []string{"-session", "sess_unknown", "-query", "{ users { id } }"},
			"Clerk session or JWT template not found", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, stdout, stderr := f.run(tc.args...)
			assert.Equal(t, tc.stdout, stdout)
			if tc.stderr == "" {
				assert.Equal(t, 0, code, stderr)
				return
			}
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, tc.stderr)
			assert.True(t, strings.HasPrefix(stderr, "hasura-as: "), stderr)
			assert.NotContains(t, stderr, f.clerk.SecretKey())
			assert.NotContains(t, stderr, "eyJ", "a JWT reached stderr")
		})
	}
}

func TestHasuraAsUsage(t *testing.T) {
	f := newFakes(t)
	without := func(name string) map[string]string {
		env := map[string]string{}
		for k, v := range f.env {
			if k != name {
				env[k] = v
			}
		}
		return env
	}
	q := []string{"-session", "sess_1", "-query", "{ users { id } }"}
	before := f.clerk.Stats().Requests
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no identity", f.env, []string{"-query", "{ users { id } }"}, "-session or -user is required"},
		{"both identities", f.env, []string{"-session", "s", "-user", "u", "-query", "{ a }"}, "-session and -user exclude each other"},
		{"no query", f.env, []string{"-session", "s"}, "a query is required"},
		{"query twice", f.env, []string{"-session", "s", "-query", "{ a }", "q.graphql"}, "-query and FILE exclude each other"},
		{"two files", f.env, []string{"-session", "s", "a.graphql", "b.graphql"}, "more than one FILE given"},
		{"missing file", f.env, []string{"-session", "s", filepath.Join(t.TempDir(), "none.graphql")}, "reading the query"},
		{"empty query", f.env, []string{"-session", "s", "-query", "  "}, "the query is empty"},
		{"vars not an object", f.env, append([]string{"-vars", "[1]"}, q...), "-vars is not a JSON object"},
		{"vars not JSON", f.env, append([]string{"-vars", "{id:"}, q...), "-vars is not a JSON object"},
		{"unknown flag", f.env, append([]string{"-verbose"}, q...), "flag provided but not defined: -verbose"},
		{"bad timeout", f.env, append([]string{"-timeout", "0s"}, q...), "-timeout must be positive"},
		{"no secret key", without("CLERK_SECRET_KEY"), q, "CLERK_SECRET_KEY is not set"},
		{"not a secret key", map[string]string{"CLERK_SECRET_KEY": "pk_test_1", "HASURA_GRAPHQL_ENDPOINT": "http://h/v1/graphql"}, q,
			"CLERK_SECRET_KEY is not a Clerk secret key"},
		{"no endpoint", without("HASURA_GRAPHQL_ENDPOINT"), q, "HASURA_GRAPHQL_ENDPOINT is not set"},
		{"endpoint not a URL", map[string]string{"CLERK_SECRET_KEY": "sk_test_1", "HASURA_GRAPHQL_ENDPOINT": "h/v1/graphql"}, q,
			"HASURA_GRAPHQL_ENDPOINT is not an http(s) URL"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			f.env = tc.env
			code, stdout, stderr := f.run(tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Equal(t, "hasura-as: "+tc.want, stderr[:min(len(stderr), len("hasura-as: ")+len(tc.want))])
			assert.True(t, strings.HasSuffix(stderr, "(run hasura-as -h for help)\n"), stderr)
			assert.Equal(t, 1, strings.Count(stderr, "\n"))
		})
	}
	assert.Equal(t, before, f.clerk.Stats().Requests, "a usage error reached Clerk")
}

func TestHasuraAsHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-h"}, func(string) string { return "" }, &stdout, &stderr)
	assert.Equal(t, 0, code)
	assert.Empty(t, stderr.String())
	for _, want := range []string{"usage: hasura-as", "CLERK_SECRET_KEY", "HASURA_GRAPHQL_ENDPOINT", "Exit status", "-session", "-vars", "-op"} {
		assert.Contains(t, stdout.String(), want)
	}
}

// A proxy in front of Hasura may answer with a page that echoes the
// request, token included; the tool says what it was, never what it said.
func TestHasuraAsNeverQuotesAProxyPage(t *testing.T) {
	f := newFakes(t)
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<pre>"+r.Header.Get("Authorization")+"</pre>")
	}))
	defer proxy.Close()
	f.env["HASURA_GRAPHQL_ENDPOINT"] = proxy.URL + "/v1/graphql"
	code, stdout, stderr := f.run("-session", f.clerk.CreateSession("user_alice"), "-query", "{ users { id } }")
	assert.Equal(t, 1, code)
	assert.Empty(t, stdout)
	assert.Regexp(t, `^hasura-as: HTTP 502 Bad Gateway \(non-JSON body, \d+ bytes\)\n$`, stderr)
	assert.NotContains(t, stderr, "eyJ", "a JWT reached stderr")
}

// TestHasuraAsAcceptsTheBaseURL: HASURA_GRAPHQL_ENDPOINT may be Hasura's
// base URL, as the Hasura CLI reads it, as well as its /v1/graphql URL.
func TestHasuraAsAcceptsTheBaseURL(t *testing.T) {
	f := newFakes(t)
	alice := f.clerk.CreateSession("user_alice")
	base := strings.TrimSuffix(f.hasura.Endpoint(), "/v1/graphql")
	require.NotEqual(t, f.hasura.Endpoint(), base)
	for _, endpoint := range []string{base, base + "/"} {
		f.env["HASURA_GRAPHQL_ENDPOINT"] = endpoint
		code, stdout, stderr := f.run("-session", alice, "-query", "{ users { id } }")
		assert.Equal(t, 0, code, stderr)
		assert.Equal(t, "{\n  \"users\": [\n    {\n      \"id\": \"user_alice\"\n    }\n  ]\n}\n", stdout, endpoint)
	}
}
