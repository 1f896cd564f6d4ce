package clerkhasura_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// TestRefusingHasuraDoesNotTurnRequestsIntoMints: a Hasura that trusts
// another Clerk instance's keys refuses every token. Each refusal asks the
// cache to drop the token, but the cache mints again at most once every
// few seconds per session; in between it keeps the token, the Transport
// sees the same token again and returns the refusal at once. So requests
// fail fast with ErrAuth and cost Clerk next to nothing.
//
// The limit is the cache's: CachedTokenSource.Invalidate must decline to
// drop a session's token again so soon. Without it, every call costs a
// mint: 101 for 100 calls.
func TestRefusingHasuraDoesNotTurnRequestsIntoMints(t *testing.T) {
	checkLeaks(t)
	clock := clerkhasura.NewTestClock()
	ours := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Now: clock.Now})
	theirs := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Now: clock.Now})
	hasura := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:     theirs.JWKSURL(),
		Now:        clock.Now,
		HTTPClient: theirs.HTTPClient(),
	})
	sid := ours.CreateSession("user_storm")
	minter := clerkhasura.NewSessionTokenSourceWithOptions(ours.SessionClient(), sid,
		clerkhasuratest.DefaultTemplateName, &clerkhasura.SessionSourceOptions{Clock: clock})
	src := clerkhasura.NewCachedTokenSource(minter, &clerkhasura.CacheOptions{Clock: clock, RefreshJitter: -1})
	t.Cleanup(func() { require.NoError(t, src.Close()) })
	c, err := clerkhasura.NewClient(hasura.Endpoint(), src, nil)
	require.NoError(t, err)

	const calls = 100
	for i := range calls {
		_, err := c.Me(t.Context())
		require.Error(t, err, "call %d", i)
		require.True(t, errors.Is(err, clerkhasura.ErrAuth), "call %d: %v", i, err)
		// 100 calls over 5 seconds of the cache's time.
		clock.Advance(50 * time.Millisecond)
	}

	minted := ours.Stats().TokensMinted
	t.Logf("%d calls: %d mints, %d requests to Hasura", calls, minted, hasura.Stats().Requests)
	assert.LessOrEqual(t, minted, int64(5), "forced mints are limited per session")
	assert.LessOrEqual(t, hasura.Stats().Requests, int64(calls)+minted, "a request is sent again only with a new token")
}
