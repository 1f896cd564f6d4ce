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

// TestClientMintsOncePerCallOnAnUncachedSource counts the tokens the fake
// Clerk mints for a Client over a source that mints on every call.
func TestClientMintsOncePerCallOnAnUncachedSource(t *testing.T) {
	w := newClWorld(t)
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: clName("v0")})
	src := sources.Session(t, w.clerk.SessionClient(), w.clerk.CreateSession("user_ada"), clerkhasuratest.DefaultTemplateName, nil)
	c, err := hasura.NewClient(w.hasura.Endpoint(), src, nil)
	require.NoError(t, err)
	calls := []struct {
		name string
		call func(ctx context.Context) error
	}{
		{"Me", func(ctx context.Context) error { _, err := c.Me(ctx); return err }},
		{"TouchLastSeen", func(ctx context.Context) error { _, err := c.TouchLastSeen(ctx); return err }},
		{"UpsertMe", func(ctx context.Context) error { _, err := c.UpsertMe(ctx, "Ada"); return err }},
		{"Users", func(ctx context.Context) error { _, err := c.Users(ctx, nil); return err }},
	}
	before := w.clerk.Stats().TokensMinted
	for _, cl := range calls {
		require.NoError(t, cl.call(context.Background()), cl.name)
	}
	assert.Equal(t, int64(1), w.clerk.Stats().TokensMinted-before, "one token serves every call")
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
