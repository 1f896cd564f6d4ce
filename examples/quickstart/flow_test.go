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

// The flow runs through a token's whole lifetime in real time: these
// tests take about as long as the fake's tokens live, in parallel.

func TestQuickstartOnFakes(t *testing.T) {
	t.Parallel()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	var stdout, stderr bytes.Buffer
	code := run(ctx, envOf(nil), &stdout, &stderr)
	out := stdout.String()
	t.Log("\n" + out)
	require.Equal(t, 0, code, stderr.String())
	assert.Empty(t, stderr.String())

	for _, want := range []string{
		"fake Clerk and fake Hasura",
		`Me()                 → user_alice "Alice", last seen 2024-05-01 10:20:30.5 UTC`,
		`User("user_bob")     → ErrNotFound: the user role sees only its own row`,
		"Users(nil)           → rows visible: [user_alice]",
		"TouchLastSeen()      → last_seen is now ",
		"Clerk minted 1 token for 6 token requests: 5 served from the cache, 1 waited (the first)",
		"the token turned stale: still served while one background refresh runs",
		"a fresh token is in use",
		"the old token has expired; requests go on with the fresh one",
		"callers that waited for a token: 0",
		"longest Token call: ",
		"done in ",
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "eyJ", "a JWT was printed")
	assert.NotContains(t, out, clerkhasuratest.DefaultSecretKey)
}

// The path for real services, run against the fakes: a session is
// created for a user without a row, who then gets one.
func TestQuickstartRealPathCreatesSessionAndRow(t *testing.T) {
	t.Parallel()
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL(), HTTPClient: fc.HTTPClient()})
	cfg, err := parseConfig(envOf(map[string]string{
		envSecretKey: fc.SecretKey(),
		envAPIURL:    fc.APIURL(),
		envEndpoint:  fh.Endpoint(),
		envUser:      "user_carol",
	}))
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	w, err := realWorld(ctx, cfg)
	require.NoError(t, err)
	w.lifetime = 3 * time.Second // Clerk's minimum, 30 s, would make the test slow
	var out bytes.Buffer
	s, err := runFlow(ctx, &out, w)
	w.cleanup(ctx)
	t.Log("\n" + out.String())
	require.NoError(t, err)

	assert.Contains(t, out.String(), "created for user_carol")
	assert.Contains(t, out.String(), "Me()                 → ErrNotFound: no row yet")
	assert.Contains(t, out.String(), `UpsertMe("Quickstart user") → created user_carol`)
	row, ok := fh.Row("user_carol")
	require.True(t, ok)
	assert.Equal(t, "Quickstart user", *row.Name)
	assert.True(t, s.OtherHidden)
	assert.Equal(t, uint64(1), s.AfterRequests.Mints)
	assert.True(t, s.Replaced, "the token was replaced before it expired")
	assert.GreaterOrEqual(t, s.Final.Refreshes, uint64(1))
	assert.Zero(t, s.WaitsDuringRefresh, "a caller waited for a token")
	assert.Equal(t, int64(1), fc.Stats().SessionsRevoked, "the session made for the run was revoked")
	assert.False(t, strings.Contains(out.String(), fc.SecretKey()))
}
