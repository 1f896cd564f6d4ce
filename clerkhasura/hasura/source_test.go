package hasura_test

import (
	"context"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// clientCalls are the Client's methods, each with the tokens it asks its
// source for: one per request, and one more to read the user ID.
func clientCalls(c *hasura.Client) []struct {
	name   string
	tokens int64
	call   func(ctx context.Context) error
} {
	return []struct {
		name   string
		tokens int64
		call   func(ctx context.Context) error
	}{
		{"Me", 2, func(ctx context.Context) error { _, err := c.Me(ctx); return err }},
		{"TouchLastSeen", 2, func(ctx context.Context) error { _, err := c.TouchLastSeen(ctx); return err }},
		{"UpsertMe", 2, func(ctx context.Context) error { _, err := c.UpsertMe(ctx, "Ada"); return err }},
		{"Users", 1, func(ctx context.Context) error { _, err := c.Users(ctx, nil); return err }},
	}
}

// TestClientMintsOnceOnACachedSource counts the tokens the fake Clerk
// mints for a Client over the source its documentation asks for.
func TestClientMintsOnceOnACachedSource(t *testing.T) {
	w := newClWorld(t)
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: clName("v0")})
	src := sources.Cached(t, sources.Session(t, w.clerk.SessionClient(), w.clerk.CreateSession("user_ada"), clerkhasuratest.DefaultTemplateName, nil), nil)
	c, err := hasura.NewClient(w.hasura.Endpoint(), src, nil)
	require.NoError(t, err)
	before := w.clerk.Stats().TokensMinted
	for _, cl := range clientCalls(c) {
		require.NoError(t, cl.call(context.Background()), cl.name)
	}
	assert.Equal(t, int64(1), w.clerk.Stats().TokensMinted-before, "one token serves every call")
}

// TestClientLeavesAnUncachedSourceUncached checks that NewClient puts no
// cache of its own around a source: a caller who chose a source that
// mints on every call, to learn at once that a session ended, gets what
// it chose, and a cache nobody can close is never made behind its back.
func TestClientLeavesAnUncachedSourceUncached(t *testing.T) {
	w := newClWorld(t)
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: clName("v0")})
	src := sources.Session(t, w.clerk.SessionClient(), w.clerk.CreateSession("user_ada"), clerkhasuratest.DefaultTemplateName, nil)
	c, err := hasura.NewClient(w.hasura.Endpoint(), src, nil)
	require.NoError(t, err)
	for _, cl := range clientCalls(c) {
		before := w.clerk.Stats().TokensMinted
		require.NoError(t, cl.call(context.Background()), cl.name)
		assert.Equal(t, cl.tokens, w.clerk.Stats().TokensMinted-before, cl.name)
	}
}

func TestClientTokenErrorsArePrefixedOnce(t *testing.T) {
	w := newClWorld(t)
	sid := w.clerk.CreateSession("user_ada")
	src := sources.Session(t, w.clerk.SessionClient(), sid, clerkhasuratest.DefaultTemplateName, nil)
	c, err := hasura.NewClient(w.hasura.Endpoint(), src, nil)
	require.NoError(t, err)
	w.clerk.RevokeSession(sid)
	_, err = c.Me(context.Background())
	require.ErrorIs(t, err, clerkhasura.ErrSessionGone)
	assert.True(t, strings.HasPrefix(err.Error(), "clerkhasura: getting a token to read the user ID: Clerk session or JWT template not found"), err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "clerkhasura:"), err.Error())
}
