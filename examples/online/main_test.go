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
	cfg, err := configure(func(string) string { return "" }, &st)
	require.NoError(t, err)
	cfg.duration = 2 * 3 * time.Second // two lifetimes of the fakes' 3 s tokens

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var out bytes.Buffer
	s, err := run(ctx, cfg, &out)
	require.NoError(t, err, out.String())
	t.Log("\n" + out.String())

	assert.GreaterOrEqual(t, s.Touches, 10)
	assert.Equal(t, s.Touches, s.Seen, "every touch arrived")
	assert.Equal(t, s.Touches+1, s.Events, "one event per touch, after the initial state")
	assert.GreaterOrEqual(t, s.SwitchOvers, uint64(2), "the watch outlived its tokens")
	assert.Zero(t, s.Reconnects, "no connection was lost")
	assert.Contains(t, out.String(), "touches seen")
}

func TestConfigure(t *testing.T) {
	env := func(vars map[string]string) func(string) string {
		return func(k string) string { return vars[k] }
	}
	var st clerkhasuratest.StandaloneTester
	defer st.Close()

	_, err := configure(env(map[string]string{"CLERK_SECRET_KEY": "sk_test_x"}), &st)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "or none"))

	cfg, err := configure(env(map[string]string{
		"CLERK_SECRET_KEY":        "sk_test_x",
		"HASURA_GRAPHQL_ENDPOINT": "https://example.hasura.app/v1/graphql",
		"CLERK_SESSION_ID":        "sess_1",
	}), &st)
	require.NoError(t, err)
	assert.Equal(t, "hasura", cfg.template)
	assert.Equal(t, "sess_1", cfg.sessionID)
	assert.Equal(t, 150*time.Second, cfg.duration)
}
