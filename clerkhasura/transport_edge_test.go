package clerkhasura_test

import (
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

// TestTokenAtTheEdgeCostsTheCallerNothing: with the default early expiry
// (2 s for Clerk's 60 s tokens), a Hasura whose clock runs 4 s ahead
// refuses a token the cache still serves. The Transport resends the
// request with the next token, so the call succeeds.
func TestTokenAtTheEdgeCostsTheCallerNothing(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:     fc.JWKSURL(),
		Clock:      clock.Offset(4 * time.Second),
		HTTPClient: fc.HTTPClient(),
	})
	sid := fc.CreateSession("user_edge")
	fh.InsertUser("user_edge", nil, clock.Now())
	minter := sources.Session(t, fc.SessionClient(), sid, clerkhasuratest.DefaultTemplateName, &clerkhasura.SessionSourceOptions{Clock: clock})
	src := sources.Cached(t, minter, &clerkhasura.CacheOptions{Clock: clock, RefreshJitter: -1})
	t.Cleanup(src.Close)
	c, err := hasura.NewClient(fh.Endpoint(), src, nil)
	require.NoError(t, err)

	first, err := src.Token(t.Context())
	require.NoError(t, err)
	clock.Set(first.Expiry.Add(-2500 * time.Millisecond)) // stale, not expired, for the cache
	_, err = c.Me(t.Context())
	require.NoError(t, err, "refused at the edge, resent with the next token")
	assert.Equal(t, int64(2), fc.Stats().TokensMinted)
	assert.Equal(t, int64(2), fh.Stats().Requests, "the first send was refused")
}
