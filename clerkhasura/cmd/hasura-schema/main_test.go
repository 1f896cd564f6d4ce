package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/Khan/genqlient/generate"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraschema"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// TestSchemaOfTheUserRole: for examples/hasura, the role user's schema is
// graphql/schema.graphql, the same bytes at every run, to stdout or to a
// file, whether HASURA_GRAPHQL_ENDPOINT is the base URL or the GraphQL
// one.
func TestSchemaOfTheUserRole(t *testing.T) {
	w := newWorld(t, defaultProject(t))
	want := formatted(t, graphql.Schema)

	code, stdout, stderr := w.run("-user", "user_alice")
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stderr)
	assert.Equal(t, want, stdout)

	sid := w.clerk.CreateSession("user_bob")
	require.Regexp(t, jwtShape, w.clerk.TemplateToken(sid, "hasura"), "the check that no token is printed sees tokens")
	w.env["HASURA_GRAPHQL_ENDPOINT"] = w.hasura.URL
	out := filepath.Join(t.TempDir(), "schema.graphql")
	require.NoError(t, os.WriteFile(out, []byte("old"), 0o600))
	code, stdout, stderr = w.run("-session", sid, "-o", out)
	require.Equal(t, 0, code, stderr)
	assert.Empty(t, stdout)
	written, err := os.ReadFile(out)
	require.NoError(t, err)
	assert.Equal(t, want, string(written), "a second run, to a file")
	entries, err := os.ReadDir(filepath.Dir(out))
	require.NoError(t, err)
	assert.Len(t, entries, 1, "the temporary file stayed")

	assert.Equal(t, int64(1), w.clerk.Stats().SessionsRevoked, "the session made for -user was revoked, the given one kept")
}

// TestSchemaGeneratesTheSDKsCode: genqlient, with the SDK's own
// configuration and operations, generates from the fetched schema exactly
// the committed graphql/generated.go.
func TestSchemaGeneratesTheSDKsCode(t *testing.T) {
	w := newWorld(t, defaultProject(t))
	schema := filepath.Join(t.TempDir(), "schema.graphql")
	code, _, stderr := w.run("-user", "user_alice", "-o", schema)
	require.Equal(t, 0, code, stderr)

	config, err := filepath.Abs("../../../graphql/genqlient.yaml")
	require.NoError(t, err)
	cfg, err := generate.ReadAndValidateConfig(config)
	require.NoError(t, err)
	cfg.Schema = []string{schema}
	files, err := generate.Generate(cfg)
	require.NoError(t, err)
	committed, err := filepath.Abs("../../../graphql/generated.go")
	require.NoError(t, err)
	require.Contains(t, files, committed)
	want, err := os.ReadFile(committed)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(files[committed]))
}

// TestSchemaOfAProject: the schema of a project with several tables and
// Hasura's custom scalars is the one the fake generates for the role.
func TestSchemaOfAProject(t *testing.T) {
	w := newWorld(t, shop(t))
	code, stdout, stderr := w.run("-user", "user_alice", "-role", "user")
	require.Equal(t, 0, code, stderr)
	want, err := hasuraschema.Generate(shop(t), "user")
	require.NoError(t, err)
	assert.Equal(t, formatted(t, want.SDL()), stdout)
	for _, s := range []string{"scalar timestamptz", "scalar jsonb", "type todos {", "input todos_insert_input {"} {
		assert.Contains(t, stdout, s)
	}
}

func TestHelp(t *testing.T) {
	var stdout, stderr bytes.Buffer
	code := run([]string{"-h"}, func(string) string { return "" }, &stdout, &stderr)
	assert.Equal(t, 0, code)
	assert.Empty(t, stderr.String())
	for _, want := range []string{"usage: hasura-schema", "CLERK_SECRET_KEY", "HASURA_GRAPHQL_ENDPOINT", "Exit status", "-session", "-user", "-role", "-o", "-timeout"} {
		assert.Contains(t, stdout.String(), want)
	}
}

func TestUsage(t *testing.T) {
	w := newWorld(t, defaultProject(t))
	full := w.env
	without := func(name string) map[string]string {
		env := map[string]string{}
		for k, v := range full {
			if k != name {
				env[k] = v
			}
		}
		return env
	}
	missingDir := filepath.Join(t.TempDir(), "missing", "schema.graphql")
	cases := []struct {
		name string
		env  map[string]string
		args []string
		want string
	}{
		{"no identity", full, nil, "-session or -user is required"},
		{"both identities", full, []string{"-session", "s", "-user", "u"}, "-session and -user exclude each other"},
		{"an argument", full, []string{"-user", "u", "schema.graphql"}, `unexpected argument "schema.graphql"`},
		{"unknown flag", full, []string{"-user", "u", "-out", "x"}, "flag provided but not defined: -out"},
		{"bad timeout", full, []string{"-user", "u", "-timeout", "0s"}, "-timeout must be positive"},
		{"no secret key", without("CLERK_SECRET_KEY"), []string{"-user", "u"}, "CLERK_SECRET_KEY is not set"},
		{"no endpoint", without("HASURA_GRAPHQL_ENDPOINT"), []string{"-user", "u"}, "HASURA_GRAPHQL_ENDPOINT is not set"},
		{"endpoint not a URL", map[string]string{"CLERK_SECRET_KEY": "sk_test_1", "HASURA_GRAPHQL_ENDPOINT": "localhost:8080"}, []string{"-user", "u"}, "HASURA_GRAPHQL_ENDPOINT is not an http(s) URL"},
		{"unwritable output", full, []string{"-user", "u", "-o", missingDir}, "-o " + missingDir + ": cannot write there"},
	}
	before := w.clerk.Stats().Requests
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			w.env = tc.env
			code, stdout, stderr := w.run(tc.args...)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout)
			assert.True(t, strings.HasPrefix(stderr, "hasura-schema: "+tc.want), stderr)
			w.assertOneErrorLine(t, stderr)
		})
	}
	assert.Equal(t, before, w.clerk.Stats().Requests, "a usage error reached Clerk")
}
