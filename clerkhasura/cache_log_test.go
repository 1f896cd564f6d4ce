package clerkhasura

import (
	"context"
	"log/slog"
	"strings"
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
	c.s.waitIdle()
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
