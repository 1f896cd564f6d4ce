package main

import (
	"bytes"
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func envOf(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestRunRefusesIncompleteSettings(t *testing.T) {
	const (
		key      = "sk_test_quickstartSecretValue"
		endpoint = "https://my-project.hasura.app/v1/graphql"
	)
	cases := []struct {
		name string
		env  map[string]string
		want string // the variable the message must name first
	}{
		{"key only", map[string]string{envSecretKey: key},
			"HASURA_GRAPHQL_ENDPOINT and CLERK_SESSION_ID (or CLERK_USER_ID) are not set"},
		{"endpoint only", map[string]string{envEndpoint: endpoint},
			"CLERK_SECRET_KEY and CLERK_SESSION_ID (or CLERK_USER_ID) are not set"},
		{"session only", map[string]string{envSession: "sess_1"},
			"CLERK_SECRET_KEY and HASURA_GRAPHQL_ENDPOINT are not set"},
		{"template only", map[string]string{envTemplate: "hasura"},
			"CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and CLERK_SESSION_ID (or CLERK_USER_ID) are not set"},
		{"no session or user", map[string]string{envSecretKey: key, envEndpoint: endpoint},
			"CLERK_SESSION_ID (or CLERK_USER_ID) is not set"},
		{"no key", map[string]string{envEndpoint: endpoint, envUser: "user_1"},
			"CLERK_SECRET_KEY is not set"},
		{"no endpoint", map[string]string{envSecretKey: key, envSession: "sess_1"},
			"HASURA_GRAPHQL_ENDPOINT is not set"},
		{"session and user", map[string]string{envSecretKey: key, envEndpoint: endpoint, envSession: "sess_1", envUser: "user_1"},
			"both CLERK_SESSION_ID and CLERK_USER_ID are set"},
		{"publishable key", map[string]string{envSecretKey: "pk_test_abc", envEndpoint: endpoint, envSession: "sess_1"},
			"CLERK_SECRET_KEY is not a Clerk secret key"},
		{"endpoint not a URL", map[string]string{envSecretKey: key, envEndpoint: "my-project.hasura.app", envSession: "sess_1"},
			"HASURA_GRAPHQL_ENDPOINT is not an http(s) URL"},
		{"API URL not a URL", map[string]string{envSecretKey: key, envEndpoint: endpoint, envSession: "sess_1", envAPIURL: "api.clerk.com"},
			"CLERK_API_URL is not an http(s) URL"},
		{"blank values count as unset", map[string]string{envSecretKey: key, envEndpoint: "  ", envSession: "sess_1"},
			"HASURA_GRAPHQL_ENDPOINT is not set"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), envOf(tc.env), &stdout, &stderr)
			assert.Equal(t, 2, code)
			assert.Empty(t, stdout.String())
			msg := stderr.String()
			assert.Equal(t, 1, strings.Count(msg, "\n"), "one line: %q", msg)
			assert.True(t, strings.HasPrefix(msg, "quickstart: "+tc.want), msg)
			assert.NotContains(t, msg, "quickstartSecretValue", "the key is quoted")
		})
	}
}

func TestParseConfig(t *testing.T) {
	cfg, err := parseConfig(envOf(nil))
	require.NoError(t, err)
	assert.Equal(t, config{fakes: true, template: "hasura"}, cfg)

	cfg, err = parseConfig(envOf(map[string]string{
		envSecretKey: "sk_test_x", envEndpoint: "https://h.example/v1/graphql", envUser: "user_1",
	}))
	require.NoError(t, err)
	assert.Equal(t, config{secretKey: "sk_test_x", endpoint: "https://h.example/v1/graphql", userID: "user_1", template: "hasura"}, cfg)

	cfg, err = parseConfig(envOf(map[string]string{
		envSecretKey: "sk_test_x", envEndpoint: "https://h.example", envUser: "user_1",
	}))
	require.NoError(t, err)
	assert.Equal(t, "https://h.example/v1/graphql", cfg.endpoint, "a base URL, as the Hasura CLI reads it")

	cfg, err = parseConfig(envOf(map[string]string{
		envSecretKey: "sk_live_x", envEndpoint: "http://localhost:8080/v1/graphql", envSession: "sess_1",
		envTemplate: "hasura-admin", envAPIURL: "http://localhost:9999/v1",
	}))
	require.NoError(t, err)
	assert.Equal(t, config{secretKey: "sk_live_x", endpoint: "http://localhost:8080/v1/graphql", sessionID: "sess_1",
		template: "hasura-admin", apiURL: "http://localhost:9999/v1"}, cfg)
}
