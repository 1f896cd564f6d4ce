package clerkhasura_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// TestNewClientDoesNotStackTransports gives NewClient an HTTP client
// whose Transport already is a clerkhasura.Transport: a rejected token is
// still retried once, with the Client's own source.
func TestNewClientDoesNotStackTransports(t *testing.T) {
	hasura := newTrHasura(t, trOnly(), trRejectWith(http.StatusOK, trExpiredBody))
	counting := &clCounting{base: http.DefaultTransport}
	inner := &trSource{}
	hc := &http.Client{Transport: newTransport(t, hasura.endpoint(), inner, &clerkhasura.TransportOptions{Base: counting})}
	src := &trSource{}
	c, err := clerkhasura.NewClient(hasura.endpoint(), src, &clerkhasura.ClientOptions{HTTPClient: hc})
	require.NoError(t, err)

	_, err = c.Users(context.Background(), nil)
	require.ErrorIs(t, err, clerkhasura.ErrAuth)
	assert.Equal(t, int32(2), counting.n.Load(), "one request and one retry reach the inner Base")
	seen := hasura.requests()
	require.Len(t, seen, 2)
	assert.Equal(t, "Bearer tok-1", seen[0].Authorization)
	assert.Equal(t, "Bearer tok-2", seen[1].Authorization)
	calls, _, _ := inner.stats()
	assert.Zero(t, calls, "the inner Transport's source is not asked")
}

// TestClientMintsOncePerCallOnAnUncachedSource counts the tokens the fake
// Clerk mints for a Client over a source that mints on every call.
func TestClientMintsOncePerCallOnAnUncachedSource(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c, err := clerkhasura.NewClient(f.endpoint(), f.source(), nil)
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
	before := f.clerk.Stats().TokensMinted
	for _, cl := range calls {
		require.NoError(t, cl.call(context.Background()), cl.name)
	}
	assert.Equal(t, int64(1), f.clerk.Stats().TokensMinted-before, "one token serves every call")
}

func TestClientTokenErrorsArePrefixedOnce(t *testing.T) {
	f := newSubFixture(t, subFixtureOptions{})
	c, err := clerkhasura.NewClient(f.endpoint(), f.source(), nil)
	require.NoError(t, err)
	f.clerk.RevokeSession(f.sid)
	_, err = c.Me(context.Background())
	require.ErrorIs(t, err, clerkhasura.ErrSessionGone)
	assert.True(t, strings.HasPrefix(err.Error(), "clerkhasura: getting a token to read the user ID: Clerk session or JWT template not found"), err.Error())
	assert.Equal(t, 1, strings.Count(err.Error(), "clerkhasura:"), err.Error())
}
