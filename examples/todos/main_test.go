package main

import (
	"bytes"
	"context"
	"encoding/json"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// envOf is a getenv over vars.
func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

// jwtShape is a compact JWS.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.`)

func TestTodosOnFakes(t *testing.T) {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, envOf(nil), &stdout, &stderr)
	out := stdout.String()
	t.Log("\n" + out)
	require.Equal(t, 0, code, stderr.String())
	assert.Empty(t, stderr.String())
	for _, want := range []*regexp.Regexp{
		regexp.MustCompile(`fake Hasura serving examples/todos/hasura`),
		regexp.MustCompile(`signed in as user_alice\n`),
		regexp.MustCompile(`AddTodo      → todo 3 \[ \] "Try clerkhasura on my own tables" of user_alice, created \d{4}-\d\d-\d\d \d\d:\d\d:\d\d: Hasura set user_id from the token\n`),
		regexp.MustCompile(`MyTodos      → 2 todo\(s\), all yours:\n +todo 2 \[ \] "Buy milk" of user_alice, created [^\n]+\n +todo 3 \[ \] "Try clerkhasura`),
		regexp.MustCompile(`SetDone      → todo 3 \[x\] "Try clerkhasura on my own tables" of user_alice`),
		regexp.MustCompile(`todo 1 \("Bob's surprise party", another user's\): GetTodo, SetDone and DeleteTodo → null`),
		regexp.MustCompile(`DeleteTodo   → todo 3 deleted\n$`),
	} {
		assert.Regexp(t, want, out)
	}
	assert.NotRegexp(t, jwtShape, out, "a JWT was printed")
	assert.NotContains(t, out, clerkhasuratest.DefaultSecretKey)
}

// The path for real services, run against the fakes: a session is
// created for a user without a row, who gets one, and Hasura's base URL
// serves as HASURA_GRAPHQL_ENDPOINT.
func TestTodosRealPath(t *testing.T) {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	f, err := startFakes(&st)
	require.NoError(t, err)
	env := envOf(map[string]string{
		"CLERK_SECRET_KEY":        f.env.SecretKey,
		"CLERK_API_URL":           f.env.APIURL,
		"HASURA_GRAPHQL_ENDPOINT": f.hasura.URL(),
		"CLERK_USER_ID":           "user_carol",
	})
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, env, &stdout, &stderr)
	out := stdout.String()
	t.Log("\n" + out)
	require.Equal(t, 0, code, stderr.String())
	assert.Contains(t, out, "on your Clerk instance and Hasura\nHasura:  "+f.hasura.Endpoint()+"\n")
	assert.Contains(t, out, "UpsertMe: created your row in users")
	assert.Contains(t, out, "MyTodos      → 1 todo(s), all yours:")
	assert.NotContains(t, out, "another user's", "no other user's todo is known on real services")
	assert.NotContains(t, out, f.env.SecretKey)

	users := f.hasura.Table("users")
	require.Len(t, users, 3)
	assert.Equal(t, "user_carol", users[2]["id"])
	for _, todo := range f.hasura.Table("todos") {
		assert.NotEqual(t, "user_carol", todo["user_id"], "the todo the run added is deleted")
	}
	assert.Equal(t, int64(1), f.clerk.Stats().SessionsRevoked, "the session made for the run was revoked")
}

func TestTodosConfig(t *testing.T) {
	full := map[string]string{
		"CLERK_SECRET_KEY":        "sk_test_x",
		"HASURA_GRAPHQL_ENDPOINT": "https://my-project.hasura.app",
		"CLERK_SESSION_ID":        "sess_1",
	}
	with := func(k, v string) map[string]string {
		m := map[string]string{}
		for key, val := range full {
			m[key] = val
		}
		if v == "" {
			delete(m, k)
		} else {
			m[k] = v
		}
		return m
	}
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"template alone", map[string]string{"CLERK_JWT_TEMPLATE": "hasura"}, "todos: CLERK_SECRET_KEY is not set; set CLERK_SECRET_KEY, "},
		{"no endpoint", with("HASURA_GRAPHQL_ENDPOINT", ""), "todos: HASURA_GRAPHQL_ENDPOINT is not set; "},
		{"bad endpoint", with("HASURA_GRAPHQL_ENDPOINT", "my-project.hasura.app"), "todos: HASURA_GRAPHQL_ENDPOINT is not an http(s) URL; "},
		{"bad key", with("CLERK_SECRET_KEY", "pk_test_x"), "todos: CLERK_SECRET_KEY is not a Clerk secret key (those start with sk_); "},
		{"nobody", with("CLERK_SESSION_ID", ""), "todos: CLERK_SESSION_ID (or CLERK_USER_ID) is not set; "},
		{"both", with("CLERK_USER_ID", "user_1"), "todos: both CLERK_SESSION_ID and CLERK_USER_ID are set: set one of them\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), envOf(tt.env), &stdout, &stderr)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout.String())
			assert.True(t, strings.HasPrefix(stderr.String(), tt.want), stderr.String())
			assert.Equal(t, 1, strings.Count(stderr.String(), "\n"))
			assert.NotContains(t, stderr.String(), "sk_test_x")
		})
	}

	cfg, err := readConfig(envOf(full))
	require.NoError(t, err)
	assert.Equal(t, "https://my-project.hasura.app/v1/graphql", cfg.env.Endpoint, "a base URL gets /v1/graphql")
	assert.Equal(t, "hasura", cfg.env.Template)
	assert.False(t, cfg.fakes)
}

// todoID reads the id of a row of fh.Table.
func todoID(t *testing.T, row map[string]any) int {
	t.Helper()
	n, err := row["id"].(json.Number).Int64()
	require.NoError(t, err)
	return int(n)
}
