package hasura_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// clWorld is a fake Clerk and a fake Hasura that trusts its keys, with
// separate clocks for Clerk, Hasura and the token caches, so that a test
// can move one without the others.
type clWorld struct {
	clerk  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
	// clerkClock, hasuraClock and localClock start at the same instant.
	clerkClock, hasuraClock, localClock *testkit.Clock
}

func newClWorld(t *testing.T) *clWorld {
	t.Helper()
	// Registered first, so it runs after every other cleanup: closing the
	// caches, subscription clients and servers must leave no goroutine.
	testkit.CheckLeaks(t)
	w := &clWorld{
		clerkClock:  testkit.NewClock(),
		hasuraClock: testkit.NewClock(),
		localClock:  testkit.NewClock(),
	}
	w.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: w.clerkClock})
	w.hasura = clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:     w.clerk.JWKSURL(),
		Clock:      w.hasuraClock,
		HTTPClient: w.clerk.HTTPClient(),
	})
	return w
}

// advanceAll moves every clock by d.
func (w *clWorld) advanceAll(d time.Duration) {
	w.clerkClock.Advance(d)
	w.hasuraClock.Advance(d)
	w.localClock.Advance(d)
}

// source returns a cached token source for a new session of userID,
// minting from the "hasura" template, on the local clock.
func (w *clWorld) source(t *testing.T, userID string) *clerkhasura.CachedTokenSource {
	t.Helper()
	sid := w.clerk.CreateSession(userID)
	minter := sources.Session(t, w.clerk.SessionClient(), sid, clerkhasuratest.DefaultTemplateName, &clerkhasura.SessionSourceOptions{Clock: w.localClock})
	src := sources.Cached(t, minter, &clerkhasura.CacheOptions{Clock: w.localClock, RefreshJitter: -1})
	t.Cleanup(src.Close)
	return src
}

// client returns a Client acting as userID through the fake Hasura.
func (w *clWorld) client(t *testing.T, userID string, opts *hasura.ClientOptions) *hasura.Client {
	t.Helper()
	c, err := hasura.NewClient(w.hasura.Endpoint(), w.source(t, userID), opts)
	require.NoError(t, err)
	return c
}

func clName(s string) *string { return &s }
