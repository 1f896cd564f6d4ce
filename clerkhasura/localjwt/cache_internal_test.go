package localjwt

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

var cacheEpoch = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func tokenEntry(key string, expiry time.Time) *entry {
	return &entry{key: key, tok: &clerkhasura.Token{Value: "v", Expiry: expiry}, exp: expiry.Unix()}
}

func TestSessionCacheBounded(t *testing.T) {
	c := &sessionCache{max: 100}
	now := cacheEpoch
	for i := range 1000 {
		c.store(fmt.Sprintf("sess_%d", i), tokenEntry("k", now.Add(time.Minute)), now)
		require.LessOrEqual(t, c.n.Load(), int64(101), "after %d sessions", i+1)
	}
	count := 0
	c.m.Range(func(any, any) bool { count++; return true })
	assert.Equal(t, int(c.n.Load()), count, "the count matches the map")
}

func TestSessionCacheDropsExpiredFirst(t *testing.T) {
	c := &sessionCache{max: 10}
	now := cacheEpoch
	for i := range 5 {
		c.store(fmt.Sprintf("live_%d", i), tokenEntry("k", now.Add(time.Hour)), now)
	}
	for i := range 5 {
		c.store(fmt.Sprintf("old_%d", i), tokenEntry("k", now.Add(time.Second)), now)
	}
	later := now.Add(time.Minute)
	c.store("new", tokenEntry("k", later.Add(time.Hour)), later)
	for i := range 5 {
		assert.NotNil(t, c.load(fmt.Sprintf("live_%d", i)), "a live token was dropped before the expired ones")
		assert.Nil(t, c.load(fmt.Sprintf("old_%d", i)))
	}
	assert.NotNil(t, c.load("new"))
}

// TestSessionCacheKeepsEndedMarks: the bound never forgets an ended
// session before its time, which would let it sign again.
func TestSessionCacheKeepsEndedMarks(t *testing.T) {
	c := &sessionCache{max: 10}
	now := cacheEpoch
	for i := range 10 {
		c.end(fmt.Sprintf("ended_%d", i), now)
	}
	for i := range 50 {
		c.store(fmt.Sprintf("live_%d", i), tokenEntry("k", now.Add(time.Hour)), now)
	}
	for i := range 10 {
		e := c.load(fmt.Sprintf("ended_%d", i))
		require.NotNil(t, e)
		assert.True(t, e.endedAt(now))
	}
}

// TestSessionCacheEndWinsOverStore: a token signed while the session
// was being ended is not kept.
func TestSessionCacheEndWinsOverStore(t *testing.T) {
	c := &sessionCache{max: 100}
	now := cacheEpoch
	c.end("sess", now)
	c.store("sess", tokenEntry("k", now.Add(time.Minute)), now)
	assert.True(t, c.load("sess").endedAt(now))

	var wg sync.WaitGroup
	for i := range 100 {
		sid := fmt.Sprintf("race_%d", i)
		wg.Add(2)
		go func() { defer wg.Done(); c.store(sid, tokenEntry("k", now.Add(time.Minute)), now) }()
		go func() { defer wg.Done(); c.end(sid, now) }()
	}
	wg.Wait()
	for i := range 100 {
		assert.True(t, c.load(fmt.Sprintf("race_%d", i)).endedAt(now), "race_%d", i)
	}
}

// TestSessionCacheSweepsRarely: ended marks the bound cannot drop do not
// make every insert sweep the whole map.
func TestSessionCacheSweepsRarely(t *testing.T) {
	c := &sessionCache{max: 100}
	now := cacheEpoch
	for i := range 200 {
		c.end(fmt.Sprintf("ended_%d", i), now)
	}
	require.EqualValues(t, 200, c.n.Load())
	c.sweeps.Store(0)
	for i := range 100 {
		c.store(fmt.Sprintf("live_%d", i), tokenEntry("k", now.Add(time.Hour)), now)
	}
	assert.LessOrEqual(t, c.sweeps.Load(), int64(10), "a sweep per tenth of max at most")
	assert.EqualValues(t, 200, countEnded(c, now), "no ended mark dropped")
}

func countEnded(c *sessionCache, now time.Time) int {
	n := 0
	c.m.Range(func(_, v any) bool {
		if v.(*entry).endedAt(now) {
			n++
		}
		return true
	})
	return n
}
