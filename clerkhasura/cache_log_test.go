package clerkhasura

import (
	"context"
	"log/slog"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// TestCacheLogsFailedBackgroundRefreshes: a background refresh that fails
// while the stale token is served is logged as a warning with its error,
// never the token; a failed fetch that a caller waits for is the caller's
// error, and is not logged.
func TestCacheLogsFailedBackgroundRefreshes(t *testing.T) {
	testkit.CheckLeaks(t)
	clock := testkit.NewClock()
	src := newSynth(clock, time.Minute)
	var logs testkit.LogBuffer
	opts := withClock(noJitter(), clock)
	opts.Logger = slog.New(slog.NewTextHandler(&logs, nil))
	c := newCache(t, src, opts)
	defer c.Close()
	ctx := context.Background()

	first, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Empty(t, logs.Take(), "a successful fetch logs nothing")

	src.fail(unavailable(0))
	clock.Advance(44 * time.Second) // stale from 43 s
	tok, err := c.Token(ctx)
	require.NoError(t, err)
	assert.Same(t, first, tok)
	c.waitIdle()
	logged := logs.Take()
	assert.Contains(t, logged, "level=WARN")
	assert.Contains(t, logged, "background token refresh failed")
	assert.Contains(t, logged, ErrClerkUnavailable.Error())
	assert.NotContains(t, logged, first.Value)
	assert.Equal(t, 1, strings.Count(logged, "\n"), "one line per failed refresh")

	src.fail(unavailable(0))
	clock.Advance(15 * time.Second) // expired from 55 s, and past the back-off
	_, err = c.Token(ctx)
	require.ErrorIs(t, err, ErrClerkUnavailable)
	assert.Empty(t, logs.Take(), "the caller got the error")
}

// TestSessionTokensLogHoldStart: the instance-wide hold after a 429 or an
// outage is logged once as it starts, with the wait and the error, and
// never a token.
func TestSessionTokensLogHoldStart(t *testing.T) {
	clock := testkit.NewClock()
	var logs testkit.LogBuffer
	fail := true
	var mu sync.Mutex
	m := &sessionMinter{clock: clock, lifetime: time.Minute, mints: map[string]int{}}
	st := newSessionTokens("hasura", &SessionTokensOptions{CacheOptions: CacheOptions{Clock: clock, RefreshJitter: -1,
		Logger: slog.New(slog.NewTextHandler(&logs, nil))}},
		func(ctx context.Context, id string) (*Token, error) {
			mu.Lock()
			defer mu.Unlock()
			if fail {
				return nil, &ClerkError{SessionID: id, Template: "hasura", StatusCode: 429, Kind: ErrRateLimited, RetryAfter: 30 * time.Second}
			}
			return m.fetch(ctx, id)
		})
	defer st.Close()
	ctx := context.Background()

	_, err := st.Source("sess_1").Token(ctx)
	require.ErrorIs(t, err, ErrRateLimited)
	logged := logs.Take()
	assert.Equal(t, 1, strings.Count(logged, "\n"), logged)
	assert.Contains(t, logged, "level=WARN")
	assert.Contains(t, logged, "every session's token fetch waits")
	assert.Contains(t, logged, "wait=30s")
	assert.Contains(t, logged, ErrRateLimited.Error())

	_, err = st.Source("sess_2").Token(ctx)
	require.ErrorIs(t, err, ErrRateLimited, "held back")
	assert.Empty(t, logs.Take(), "a hold is logged as it starts, not per call")

	mu.Lock()
	fail = false
	mu.Unlock()
	clock.Advance(30 * time.Second)
	tok, err := st.Source("sess_2").Token(ctx)
	require.NoError(t, err)
	assert.Empty(t, logs.Take())
	assert.NotContains(t, logged, tok.Value)
}
