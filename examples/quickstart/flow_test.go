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

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
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
	fc := clerkhasuratest.NewClerk(&st, &clerkhasuratest.ClerkOptions{Templates: fakeTemplates()})
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
	require.Equal(t, realLifetime, w.lifetime)
	// Clerk's shortest expires_in_seconds, 30 s, would make the test slow;
	// the fake template's own lifetime, fakeLifetime, sets the pace instead.
	w.lifetime = 0
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

// The real path asks Clerk for realLifetime, which the fake Clerk, held to
// Clerk's bounds on expires_in_seconds, must grant as asked.
func TestQuickstartRealPathAsksForALifetimeClerkAccepts(t *testing.T) {
	t.Parallel()
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)
	cfg, err := parseConfig(envOf(map[string]string{
		envSecretKey: fc.SecretKey(),
		envAPIURL:    fc.APIURL(),
		envEndpoint:  "https://my-project.hasura.app/v1/graphql",
		envSession:   fc.CreateSession("user_dave"),
	}))
	require.NoError(t, err)

	ctx := context.Background()
	w, err := realWorld(ctx, cfg)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, w.lifetime, time.Duration(fakeclerk.MinExpiresInSeconds)*time.Second)

	tokens, err := clerkhasura.NewSessionTokens(w.sessions, w.template, &clerkhasura.SessionTokensOptions{Lifetime: w.lifetime})
	require.NoError(t, err)
	defer tokens.Close()
	tok, err := tokens.Source(w.sessionID).Token(ctx)
	require.NoError(t, err, "Clerk refuses the lifetime the quickstart asks for")
	claims, err := jwtclaims.Peek(tok.Value)
	require.NoError(t, err)
	assert.Equal(t, w.lifetime, claims.Expiry.Sub(claims.IssuedAt))
	assert.Zero(t, fc.Stats().BadRequests)
}
