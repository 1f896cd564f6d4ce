package clerkhasura_test

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
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
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	ours := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	theirs := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:     theirs.JWKSURL(),
		Clock:      clock,
		HTTPClient: theirs.HTTPClient(),
	})
	sid := ours.CreateSession("user_storm")
	minter := sources.Session(t, ours.SessionClient(), sid, clerkhasuratest.DefaultTemplateName, &clerkhasura.SessionSourceOptions{Clock: clock})
	src := sources.Cached(t, minter, &clerkhasura.CacheOptions{Clock: clock, RefreshJitter: -1})
	t.Cleanup(src.Close)
	c, err := hasura.NewClient(fh.Endpoint(), src, nil)
	require.NoError(t, err)

	const calls = 100
	for i := range calls {
		_, err := c.Me(t.Context())
		require.Error(t, err, "call %d", i)
		require.True(t, errors.Is(err, hasura.ErrAuth), "call %d: %v", i, err)
		// 100 calls over 5 seconds of the cache's time.
		clock.Advance(50 * time.Millisecond)
	}

	minted := ours.Stats().TokensMinted
	t.Logf("%d calls: %d mints, %d requests to Hasura", calls, minted, fh.Stats().Requests)
	assert.LessOrEqual(t, minted, int64(5), "forced mints are limited per session")
	assert.LessOrEqual(t, fh.Stats().Requests, int64(calls)+minted, "a request is sent again only with a new token")
}
