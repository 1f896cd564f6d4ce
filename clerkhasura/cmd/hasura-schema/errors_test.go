package main

import (
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// TestHasuraRefusals: what Hasura refuses gives exit status 2 and one
// line saying what to change.
func TestHasuraRefusals(t *testing.T) {
	w := newWorld(t, shop(t))
	other := clerkhasuratest.NewClerk(t, nil)
	cases := []struct {
		name  string
		setup func()
		args  []string
		want  string
	}{
		{"introspection disabled for the role", nil, []string{"-user", "user_alice", "-role", "anonymous"},
			`hasura-schema: introspection is disabled for role: "anonymous" (Hasura's not-supported: the project's metadata/graphql_schema_introspection.yaml disables introspection for the role; ask for another with -role)`},
		{"a role the token does not allow", nil, []string{"-user", "user_alice", "-role", "admin"},
			"hasura-schema: Hasura refused the role: Your requested role is not in allowed roles (access-denied; -role must be one of the token's x-hasura-allowed-roles)"},
		{"a token Hasura does not trust", func() {
			// Another Clerk instance: Hasura knows none of its keys.
			w.env["CLERK_SECRET_KEY"], w.env["CLERK_API_URL"] = other.SecretKey(), other.APIURL()
		}, []string{"-user", "user_alice"},
			"hasura-schema: Hasura refused the token: Could not verify JWT: JWSError JWSInvalidSignature (invalid-jwt; Hasura's JWT secret must trust the Clerk instance, and the JWT template carry Hasura's claims)"},
	}
	env := w.env
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w.env = map[string]string{}
			for k, v := range env {
				w.env[k] = v
			}
			if tc.setup != nil {
				tc.setup()
			}
			code, stdout, stderr := w.run(tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Equal(t, tc.want+"\n", stderr)
			w.assertOneErrorLine(t, stderr)
		})
	}
	assert.Equal(t, int64(2), w.clerk.Stats().SessionsRevoked, "sessions made for -user are revoked after a refusal too")
	assert.Equal(t, int64(1), other.Stats().SessionsRevoked)
}

// TestNotHasura: an endpoint that does not answer as Hasura's GraphQL
// endpoint gives exit status 2, and its body is never quoted.
func TestNotHasura(t *testing.T) {
	const secret = "s3cret-page-content"
	page := func(status int, contentType, body string) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", contentType)
			rw.WriteHeader(status)
			_, _ = io.WriteString(rw, body)
		})
	}
	cases := []struct {
		name    string
		handler http.Handler
		want    string
	}{
		{"an HTML page", page(200, "text/html; charset=utf-8", "<html><body>"+secret+"</body></html>"), "its answer is not a GraphQL response, text/html"},
		{"a large HTML page", page(200, "text/html", "<html>"+strings.Repeat(secret, 1<<17)+"</html>"), "its answer is not a GraphQL response, text/html"},
		{"a 404", page(404, "text/html", "<h1>"+secret+"</h1>"), "HTTP 404, text/html"},
		{"Hasura's 404 for another path", page(404, "application/json; charset=utf-8", `{"path":"$","error":"resource does not exist","code":"not-found"}`), "HTTP 404, application/json"},
		{"JSON that is not GraphQL", page(200, "application/json", `{"status":"ok","note":"`+secret+`"}`), "its answer is JSON but not a GraphQL response"},
		{"GraphQL without a schema", page(200, "application/json", `{"data":{"hello":"`+secret+`"}}`), "its answer holds no schema"},
		{"a redirect", http.RedirectHandler("https://elsewhere.example/v1/graphql?token="+secret, http.StatusPermanentRedirect), "HTTP 308 redirects to https://elsewhere.example/v1/graphql, which is not followed"},
		{"a 401 from a gateway", page(401, "text/plain", secret), "HTTP 401, text/plain"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, defaultProject(t))
			w.endpoint(t, tc.handler)
			code, stdout, stderr := w.run("-user", "user_alice")
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.Contains(t, stderr, "is not Hasura's GraphQL endpoint: "+tc.want+"; give Hasura's base URL or its /v1/graphql URL")
			assert.NotContains(t, stderr, secret)
			w.assertOneErrorLine(t, stderr)
		})
	}
}

// TestFailures: Clerk and Hasura failures give exit status 1, and never
// touch the output file.
func TestFailures(t *testing.T) {
	huge := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(rw, `{"data":"`)
		chunk := strings.Repeat("x", 1<<20)
		for i := 0; i <= maxAnswer>>20; i++ {
			if _, err := io.WriteString(rw, chunk); err != nil {
				return
			}
		}
	})
	hang := http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		// Once the body is read, the server notices the client leave.
		_, _ = io.Copy(io.Discard, r.Body)
		<-r.Context().Done()
	})
	reply := func(status int, body string) http.Handler {
		return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
			rw.Header().Set("Content-Type", "application/json")
			rw.WriteHeader(status)
			_, _ = io.WriteString(rw, body)
		})
	}
	cases := []struct {
		name    string
		handler http.Handler // nil: the fake Hasura
		setup   func(w *world) []string
		want    string
	}{
		{"an ended session", nil, func(w *world) []string {
			sid := w.clerk.CreateSession("user_alice")
			w.clerk.RevokeSession(sid)
			return []string{"-session", sid}
		}, "hasura-schema: clerkhasura: Clerk session or JWT template not found (session sess_"},
		{"Clerk refuses to create a session", nil, func(w *world) []string {
			w.clerk.FailNext(1, clerkhasuratest.Fault{Status: 422, Path: "/v1/sessions"})
			return []string{"-user", "user_alice"}
		}, "hasura-schema: creating a session for user_alice (development instances only): HTTP 422"},
		{"a bad secret key", nil, func(w *world) []string {
			w.env["CLERK_SECRET_KEY"] = "sk_test_wrong"
			return []string{"-session", w.clerk.CreateSession("user_alice")}
		}, "hasura-schema: clerkhasura: Clerk rejected the secret key (session sess_"},
		{"Hasura down", reply(503, "<html>unavailable</html>"), nil, "hasura-schema: Hasura at http://127.0.0.1:"},
		{"another Hasura error", reply(200, `{"errors":[{"message":"field 'x' not found in type: '__Type'","extensions":{"path":"$.selectionSet.__schema","code":"validation-failed"}}]}`), nil,
			"hasura-schema: Hasura answered an error: field 'x' not found in type: '__Type' (validation-failed at $.selectionSet.__schema)"},
		{"a schema that is not valid", reply(200, `{"data":{"__schema":{"queryType":{"name":"Q"},"types":[{"kind":"OBJECT","name":"Q","fields":[{"name":"a","args":[],"type":{"kind":"SCALAR","name":"Missing"}}]}]}}}`), nil,
			"hasura-schema: the schema Hasura sent is not valid: introspection: the answer does not describe a valid schema: "},
		{"an answer too large", huge, nil, "hasura-schema: Hasura's answer is larger than 64 MiB"},
		{"no answer in time", hang, func(w *world) []string { return []string{"-user", "user_alice", "-timeout", "300ms"} }, "hasura-schema: no answer within 300ms (-timeout)"},
		{"nothing listening", nil, func(w *world) []string {
			w.env["HASURA_GRAPHQL_ENDPOINT"] = "http://127.0.0.1:1/v1/graphql"
			return []string{"-user", "user_alice"}
		}, "hasura-schema: cannot reach Hasura at http://127.0.0.1:1/v1/graphql: "},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w := newWorld(t, defaultProject(t))
			if tc.handler != nil {
				w.endpoint(t, tc.handler)
			}
			args := []string{"-user", "user_alice"}
			if tc.setup != nil {
				args = tc.setup(w)
			}
			out := filepath.Join(t.TempDir(), "schema.graphql")
			require.NoError(t, os.WriteFile(out, []byte("committed"), 0o600))
			code, stdout, stderr := w.run(append(args, "-o", out)...)
			assert.Equal(t, 1, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, tc.want), stderr)
			assert.NotContains(t, stderr, "<html>")
			w.assertOneErrorLine(t, stderr)
			kept, err := os.ReadFile(out)
			require.NoError(t, err)
			assert.Equal(t, "committed", string(kept))
			entries, err := os.ReadDir(filepath.Dir(out))
			require.NoError(t, err)
			assert.Len(t, entries, 1, "the temporary file stayed")
		})
	}
}
