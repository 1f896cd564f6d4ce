package forward_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/forward"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// world is a fake Clerk, a fake Hasura trusting it, and a second Clerk
// instance Hasura does not trust, all on one clock.
type world struct {
	clock  *clerkhasuratest.Clock
	clerk  *clerkhasuratest.Clerk
	other  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
}

func newWorld(t *testing.T) *world {
	t.Helper()
	testkit.CheckLeaks(t)
	w := &world{clock: clerkhasuratest.NewClock(time.Now())}
	w.clerk = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: w.clock})
	w.other = clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: w.clock, Issuer: "https://clerk.other.test"})
	w.hasura = clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL: w.clerk.JWKSURL(), HTTPClient: w.clerk.HTTPClient(), Clock: w.clock,
	})
	ada := "Ada"
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: &ada})
	return w
}

// countingHasura counts the requests the client sends to the fake Hasura,
// and records the headers of the last one.
type countingHasura struct {
	requests atomic.Int64
	header   atomic.Pointer[http.Header]
	base     http.RoundTripper
}

func (c *countingHasura) RoundTrip(r *http.Request) (*http.Response, error) {
	c.requests.Add(1)
	h := r.Header.Clone()
	c.header.Store(&h)
	return c.base.RoundTrip(r)
}

// TestForwardedTokenCallsHasura sends a forwarded template token to
// Hasura as it is, with no role header, and returns a refusal without
// sending the request again.
func TestForwardedTokenCallsHasura(t *testing.T) {
	w := newWorld(t)
	for _, tt := range []struct {
		name    string
		clerk   *clerkhasuratest.Clerk
		refused bool
	}{
		{"trusted instance", w.clerk, false},
		{"another instance", w.other, true},
	} {
		t.Run(tt.name, func(t *testing.T) {
			token := tt.clerk.TemplateToken(tt.clerk.CreateSession("user_ada"), "hasura")
			src, err := forward.NewSource(token, w.clock)
			require.NoError(t, err)
			rt := &countingHasura{base: w.hasura.HTTPClient().Transport}
			hc, err := hasura.NewClient(w.hasura.Endpoint(), src, &hasura.ClientOptions{Base: rt})
			require.NoError(t, err)

			me, err := hc.Me(context.Background())
			assert.Equal(t, int64(1), rt.requests.Load(), "one request, never resent")
			h := *rt.header.Load()
			assert.Equal(t, "Bearer "+token, h.Get("Authorization"))
			for name := range h {
				assert.NotContains(t, http.CanonicalHeaderKey(name), "X-Hasura", "no role or admin header")
			}
			if tt.refused {
				require.ErrorIs(t, err, hasura.ErrAuth)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, "user_ada", me.ID)
		})
	}
}

// TestForwardedTokenGoesToHasuraOnly follows a redirect from Hasura's
// origin to another: the forwarded token never leaves the origin.
func TestForwardedTokenGoesToHasuraOnly(t *testing.T) {
	w := newWorld(t)
	var leaked atomic.Bool
	elsewhere := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		leaked.Store(r.Header.Get("Authorization") != "")
		rw.Header().Set("Content-Type", "application/json")
		_, _ = rw.Write([]byte(`{"data":{"users_by_pk":null}}`))
	}))
	t.Cleanup(elsewhere.Close)
	redirector := httptest.NewServer(http.RedirectHandler(elsewhere.URL+"/v1/graphql", http.StatusTemporaryRedirect))
	t.Cleanup(redirector.Close)

	token := w.clerk.TemplateToken(w.clerk.CreateSession("user_ada"), "hasura")
	src, err := forward.NewSource(token, w.clock)
	require.NoError(t, err)
	hc, err := hasura.NewClient(redirector.URL+"/v1/graphql", src, nil)
	require.NoError(t, err)
	_, _ = hc.Me(context.Background())
	assert.False(t, leaked.Load(), "the token was sent to another origin")
}

// TestSubscriptionEndsAtExpiry watches the caller's row over a forwarded
// token: the watch delivers until the token expires, then ends with
// ErrExpired rather than reconnecting for ever.
func TestSubscriptionEndsAtExpiry(t *testing.T) {
	w := newWorld(t)
	token := w.clerk.TemplateToken(w.clerk.CreateSession("user_ada"), "hasura")
	src, err := forward.NewSource(token, w.clock)
	require.NoError(t, err)
	subs, err := subscription.New(w.hasura.Endpoint(), src, &subscription.Options{
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
	require.Equal(t, "user_ada", first.User.ID)

	// Past the expiry, in steps, so that every switch-over the client
	// tries on the way has its turn.
	last := testkit.AdvanceUntilClosed(t, events, func() { w.clock.Advance(time.Second) })
	require.ErrorIs(t, last.Err, forward.ErrExpired)
	select {
	case err := <-errs:
		require.ErrorIs(t, err, forward.ErrExpired)
	case <-ctx.Done():
		t.Fatal("Start's error channel got nothing")
	}
	assert.Less(t, subs.Stats().Connects, uint64(70), "no reconnect loop")
}
