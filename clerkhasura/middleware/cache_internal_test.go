package middleware

import (
	"crypto/sha256"
	"strconv"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func entry(sid string, exp time.Time) *verified {
	return &verified{claims: &clerk.SessionClaims{Claims: clerk.Claims{SessionID: sid}}, kind: kindSession, exp: exp}
}

func keyOf(s string) [sha256.Size]byte { return sha256.Sum256([]byte(s)) }

// TestVerifiedTokensBounded: past its size the cache drops expired tokens
// first, then others, and never holds more than its size.
func TestVerifiedTokensBounded(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	c := newVerifiedTokens(16)
	for i := range 8 {
		require.False(t, c.add(keyOf("old"+strconv.Itoa(i)), entry("sess_old", now.Add(-time.Second)), now))
	}
	for i := range 8 {
		require.False(t, c.add(keyOf("new"+strconv.Itoa(i)), entry("sess_new", now.Add(time.Minute)), now))
	}
	require.False(t, c.add(keyOf("one more"), entry("sess_new", now.Add(time.Minute)), now))
	for i := range 8 {
		assert.Nil(t, c.get(keyOf("old"+strconv.Itoa(i))), "an expired token outlived the room made")
		assert.NotNil(t, c.get(keyOf("new"+strconv.Itoa(i))), "a valid token was dropped while expired ones freed room")
	}
	for i := range 1000 {
		c.add(keyOf("flood"+strconv.Itoa(i)), entry("sess_flood", now.Add(time.Minute)), now)
		require.LessOrEqual(t, len(c.tokens), 16)
	}
}

// TestVerifiedTokensEndSession: ending a session forgets its tokens, and
// refuses to remember one verified while it ended, for endedFor.
func TestVerifiedTokensEndSession(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	for _, size := range []int{16, 0} {
		c := newVerifiedTokens(size)
		c.add(keyOf("a"), entry("sess_a", now.Add(time.Minute)), now)
		c.add(keyOf("b"), entry("sess_b", now.Add(time.Minute)), now)
		c.endSession("sess_a", now)
		assert.Nil(t, c.get(keyOf("a")))
		assert.Equal(t, size > 0, c.get(keyOf("b")) != nil, "another session's token")
		assert.True(t, c.add(keyOf("a2"), entry("sess_a", now.Add(time.Minute)), now), "an ended session's token was remembered")
		assert.False(t, c.add(keyOf("a3"), entry("sess_a", now.Add(endedFor+time.Minute)), now.Add(endedFor)), "refused past endedFor")
		assert.False(t, c.add(keyOf("t"), entry("", now.Add(time.Minute)), now), "a template token names no session")
	}
}

// TestVerifiedTokensEndedBounded: the ended sessions are bounded too, and
// a storm of ends within endedFor forgets the oldest first, never one
// just ended.
func TestVerifiedTokensEndedBounded(t *testing.T) {
	start := time.Unix(1_800_000_000, 0)
	now := start
	c := newVerifiedTokens(0)
	for i := range maxEnded + 100 {
		now = start.Add(time.Duration(i) * time.Millisecond)
		c.endSession("sess_"+strconv.Itoa(i), now)
		require.LessOrEqual(t, len(c.ended), maxEnded)
	}
	for i := range maxEnded + 100 {
		_, kept := c.ended["sess_"+strconv.Itoa(i)]
		require.Equal(t, i >= 100, kept, "sess_%d: only the oldest marks are forgotten", i)
	}
	assert.True(t, c.add(keyOf("x"), entry("sess_"+strconv.Itoa(maxEnded+99), now.Add(time.Minute)), now), "the last ended is kept")
}
