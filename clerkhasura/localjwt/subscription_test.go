package localjwt_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// TestSubscriptionEndsWithTheSessionToken: a subscription on a signer's
// source ends, with ErrSessionExpired, once the session token it was
// made from has expired, instead of retrying a source that cannot give
// another token.
func TestSubscriptionEndsWithTheSessionToken(t *testing.T) {
	w := newWorld(t, localjwt.Options{}, nil)
	fh := w.hasura(t, clerkhasuratest.HasuraOptions{
		JWTSecrets: cloudSecrets(w.fc.JWKSURL(), w.jwks.URL, ""),
	})
	sid := w.fc.CreateSession("user_alice")
	src, err := w.signer.Source(sessionClaims(t, w.fc, w.clock, w.fc.SessionToken(sid)))
	require.NoError(t, err)
	subs, err := subscription.New(fh.Endpoint(), src, &subscription.Options{
		Clock: w.clock, ReconnectJitter: -1, KeepAliveTimeout: -1,
	})
	require.NoError(t, err)
	t.Cleanup(func() { _ = subs.Close() })
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	errs, err := subs.Start(ctx)
	require.NoError(t, err)
	events, err := subs.WatchMe(ctx)
	require.NoError(t, err)
	first := <-events
	require.NoError(t, first.Err)
	require.Equal(t, "user_alice", first.User.ID)

	last := testkit.AdvanceUntilClosed(t, events, func() { w.clock.Advance(time.Second) })
	require.ErrorIs(t, last.Err, localjwt.ErrSessionExpired)
	select {
	case err := <-errs:
		require.ErrorIs(t, err, localjwt.ErrSessionExpired)
	case <-ctx.Done():
		t.Fatal("Start's error channel got nothing")
	}
	assert.Less(t, subs.Stats().Connects, uint64(70), "no reconnect loop")
}
