package clerkhasura_test

import (
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
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
	tr, err := clerkhasura.NewTransport(fh.Endpoint(), src, nil)
	require.NoError(t, err)

	first, err := src.Token(t.Context())
	require.NoError(t, err)
	clock.Set(first.Expiry.Add(-2500 * time.Millisecond)) // stale, not expired, for the cache
	req, err := http.NewRequestWithContext(t.Context(), http.MethodPost, fh.Endpoint(),
		strings.NewReader(`{"query":"query { users { id } }"}`))
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: tr}).Do(req)
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.JSONEq(t, `{"data":{"users":[{"id":"user_edge"}]}}`, string(body), "refused at the edge, resent with the next token")
	assert.Equal(t, int64(2), fc.Stats().TokensMinted)
	assert.Equal(t, int64(2), fh.Stats().Requests, "the first send was refused")
	assert.Equal(t, map[string]int64{"invalid-jwt": 1}, fh.Stats().Errors)
}
