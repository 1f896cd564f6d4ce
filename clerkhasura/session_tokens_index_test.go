package clerkhasura

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSessionIndex(t *testing.T) {
	var x sessionIndex
	x.init("hasura")
	key := func(i int) sessionKey { return sessionKey{fmt.Sprint("sess_", i), "hasura"} }
	slots := make([]*slot, 1000)
	for i := range slots {
		slots[i] = newSlot(nil, key(i).sessionID)
		x.insert(key(i), slots[i])
	}
	for i := range slots {
		require.Same(t, slots[i], x.lookup(key(i)))
	}
	assert.Nil(t, x.lookup(key(-1)))
	assert.Equal(t, 1000, x.live)

	for i := 0; i < len(slots); i += 2 {
		x.remove(key(i), slots[i])
	}
	x.remove(key(1), slots[0]) // not the slot under that key: kept
	for i := range slots {
		if i%2 == 0 {
			require.Nil(t, x.lookup(key(i)))
		} else {
			require.Same(t, slots[i], x.lookup(key(i)))
		}
	}
	assert.Equal(t, 500, x.live)

	// Churn: removed buckets are reclaimed by rebuilds, so the table stays
	// proportional to the live slots.
	for round := range 20 {
		for i := 0; i < len(slots); i += 2 {
			k := sessionKey{fmt.Sprint("churn_", round, "_", i), "hasura"}
			s := newSlot(nil, k.sessionID)
			x.insert(k, s)
			require.Same(t, s, x.lookup(k))
			x.remove(k, s)
		}
	}
	assert.Equal(t, 500, x.live)
	assert.LessOrEqual(t, len(x.table.Load().buckets), 4096)
	for i := 1; i < len(slots); i += 2 {
		require.Same(t, slots[i], x.lookup(key(i)))
	}
	x.clear()
	assert.Nil(t, x.lookup(key(1)))
}

// TestSessionTokensConcurrentChurn runs lookups, mints, evictions and
// invalidations at once, for the race detector.
func TestSessionTokensConcurrentChurn(t *testing.T) {
	st, _, clock := newTestSessionTokens(t, &CacheOptions{MaxSessions: 20, IdleTimeout: time.Minute})
	ctx := context.Background()
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 300 {
				id := fmt.Sprint("sess_", (g*7+i)%50)
				src := st.Source(id)
				tok, err := src.Token(ctx)
				if !assert.NoError(t, err) {
					return
				}
				assert.True(t, tok.Valid(clock.Now()))
				switch i % 25 {
				case 0:
					st.Invalidate(id)
				case 1:
					src.(interface{ Invalidate(*Token) }).Invalidate(tok)
				case 2:
					clock.Advance(time.Second)
				case 3:
					st.sweep()
				}
			}
		})
	}
	wg.Wait()
	s := st.Stats()
	assert.LessOrEqual(t, s.Sessions, 20)
	assert.Positive(t, s.Evictions)
}
