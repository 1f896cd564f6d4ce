package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func TestOnlineOnFakes(t *testing.T) {
	if testing.Short() {
		t.Skip("runs through several token lifetimes")
	}
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	cfg, err := startFakes(&st, 3*time.Second)
	require.NoError(t, err)
	cfg.duration = 2 * 3 * time.Second // two lifetimes of the fakes' 3 s tokens

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	s, err := watch(ctx, cfg, &out)
	require.NoError(t, err, out.String())
	t.Log("\n" + out.String())

	assert.GreaterOrEqual(t, s.Touches, 10)
	assert.Equal(t, s.Touches, s.Seen, "every touch arrived")
	assert.Equal(t, s.Touches+1, s.Events, "one event per touch, after the initial state")
	assert.GreaterOrEqual(t, s.SwitchOvers, uint64(2), "the watch outlived its tokens")
	assert.Zero(t, s.Reconnects, "no connection was lost")
	assert.Contains(t, out.String(), "touches seen")
}

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestConfigure(t *testing.T) {
	cfg, err := configure(env(nil))
	require.NoError(t, err)
	assert.True(t, cfg.fakes)

	_, err = configure(env(map[string]string{"CLERK_SECRET_KEY": "sk_test_x"}))
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "or none"))

	cfg, err = configure(env(map[string]string{
		"CLERK_SECRET_KEY":        "sk_test_x",
		"HASURA_GRAPHQL_ENDPOINT": "https://example.hasura.app/v1/graphql",
		"CLERK_SESSION_ID":        "sess_1",
	}))
	require.NoError(t, err)
	assert.False(t, cfg.fakes)
	assert.Equal(t, "hasura", cfg.template)
	assert.Equal(t, "sess_1", cfg.sessionID)
	assert.Equal(t, 150*time.Second, cfg.duration)
	assert.Equal(t, "https://example.hasura.app/v1/graphql", cfg.endpoint)

	cfg, err = configure(env(map[string]string{
		"CLERK_SECRET_KEY":        "sk_test_x",
		"HASURA_GRAPHQL_ENDPOINT": "https://example.hasura.app",
		"CLERK_SESSION_ID":        "sess_1",
	}))
	require.NoError(t, err)
	assert.Equal(t, "https://example.hasura.app/v1/graphql", cfg.endpoint, "a base URL, as the Hasura CLI reads it")
}

func TestRunExitStatus(t *testing.T) {
	const secret = "sk_test_never_printed"
	tests := []struct {
		name     string
		args     []string
		vars     map[string]string
		code     int
		stderr   string
		oneLine  bool
		contains string
	}{
		{"half-set environment", nil, map[string]string{"CLERK_SECRET_KEY": secret}, 2,
			"online: set all of CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and CLERK_SESSION_ID, or none\n", true, ""},
		{"unknown flag", []string{"-nope"}, nil, 2, "", false, "flag provided but not defined: -nope"},
		{"bad duration", []string{"-duration", "soon"}, nil, 2, "", false, "invalid value"},
		{"help", []string{"-h"}, nil, 0, "", false, "-duration"},
		{"the real services fail", nil, map[string]string{
			"CLERK_SECRET_KEY":        secret,
			"HASURA_GRAPHQL_ENDPOINT": "ftp://example.com/v1/graphql",
			"CLERK_SESSION_ID":        "sess_1",
		}, 1, "", true, "online: "},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var stdout, stderr bytes.Buffer
			code := run(context.Background(), tt.args, env(tt.vars), &stdout, &stderr)
			assert.Equal(t, tt.code, code, stderr.String())
			if tt.stderr != "" {
				assert.Equal(t, tt.stderr, stderr.String())
			}
			if tt.oneLine {
				assert.Equal(t, 1, strings.Count(stderr.String(), "\n"), stderr.String())
			}
			assert.Contains(t, stderr.String(), tt.contains)
			assert.NotContains(t, stderr.String()+stdout.String(), secret)
		})
	}
}
