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
	x.init()
	id := func(i int) string { return fmt.Sprint("sess_", i) }
	slots := make([]*slot, 1000)
	for i := range slots {
		slots[i] = newSlot(nil, id(i))
		x.insert(slots[i])
	}
	for i := range slots {
		require.Same(t, slots[i], x.lookup(id(i)))
	}
	assert.Nil(t, x.lookup(id(-1)))
	assert.Equal(t, 1000, x.live)

	for i := 0; i < len(slots); i += 2 {
		x.remove(slots[i])
	}
	x.remove(newSlot(nil, id(1))) // not the slot under that ID: kept
	for i := range slots {
		if i%2 == 0 {
			require.Nil(t, x.lookup(id(i)))
		} else {
			require.Same(t, slots[i], x.lookup(id(i)))
		}
	}
	assert.Equal(t, 500, x.live)

	// Churn: removed buckets are reclaimed by rebuilds, so the table stays
	// proportional to the live slots.
	for round := range 20 {
		for i := 0; i < len(slots); i += 2 {
			s := newSlot(nil, fmt.Sprint("churn_", round, "_", i))
			x.insert(s)
			require.Same(t, s, x.lookup(s.id))
			x.remove(s)
		}
	}
	assert.Equal(t, 500, x.live)
	assert.LessOrEqual(t, len(x.table.Load().buckets), 4096)
	for i := 1; i < len(slots); i += 2 {
		require.Same(t, slots[i], x.lookup(id(i)))
	}
	x.clear()
	assert.Nil(t, x.lookup(id(1)))
}

// TestSessionTokensConcurrentChurn runs lookups, mints, evictions and
// invalidations at once, for the race detector.
func TestSessionTokensConcurrentChurn(t *testing.T) {
	st, _, clock := newTestSessionTokens(t, &SessionTokensOptions{MaxSessions: 20, IdleTimeout: time.Minute})
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
					st.EndSession(id)
				case 1:
					src.(Invalidator).Invalidate(tok)
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
