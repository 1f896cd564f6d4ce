package localjwt

import (
	"sync"
	"sync/atomic"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// entry is a session's kept token, or the mark of an ended session.
// It is immutable once stored.
type entry struct {
	key      string // sub and the claims namespace object
	tok      *clerkhasura.Token
	iat, exp int64     // Unix seconds
	ended    time.Time // non-zero: the session is refused until then
}

func (e *entry) endedAt(now time.Time) bool { return !e.ended.IsZero() && now.Before(e.ended) }

// dead reports whether e can be dropped at now.
func (e *entry) dead(now time.Time) bool {
	if !e.ended.IsZero() {
		return !now.Before(e.ended)
	}
	return !e.tok.Expiry.After(now)
}

// sessionCache holds an entry per session ID. Reads are a sync.Map load;
// its size is kept near max by sweeps run when an insert passes it.
type sessionCache struct {
	m        sync.Map // session ID → *entry
	n        atomic.Int64
	max      int
	sweeping sync.Mutex
	// sweepAt is the size past which the next sweep runs: past max, and
	// a tenth of max beyond what the last sweep left (ended marks it
	// cannot drop), so that sweeps stay rare whatever is left.
	sweepAt atomic.Int64
	sweeps  atomic.Int64
}

func (c *sessionCache) load(sid string) *entry {
	if v, ok := c.m.Load(sid); ok {
		return v.(*entry)
	}
	return nil
}

// store keeps e for sid, unless the session was ended meanwhile.
func (c *sessionCache) store(sid string, e *entry, now time.Time) {
	for {
		old, loaded := c.m.Load(sid)
		if !loaded {
			if _, loaded = c.m.LoadOrStore(sid, e); !loaded {
				c.added(now)
				return
			}
			continue
		}
		if old.(*entry).endedAt(now) || c.m.CompareAndSwap(sid, old, e) {
			return
		}
	}
}

// end marks sid ended for endedFor from now.
func (c *sessionCache) end(sid string, now time.Time) {
	if _, loaded := c.m.Swap(sid, &entry{ended: now.Add(endedFor)}); !loaded {
		c.added(now)
	}
}

func (c *sessionCache) added(now time.Time) {
	if n := c.n.Add(1); n > int64(c.max) && n > c.sweepAt.Load() {
		c.sweep(now)
	}
}

// sweep drops dead entries, then kept tokens, until a tenth of max is
// free, so that sweeps are rare. Ended marks are dropped only when dead:
// forgetting one early would let the session sign again.
func (c *sessionCache) sweep(now time.Time) {
	if !c.sweeping.TryLock() {
		return
	}
	defer c.sweeping.Unlock()
	c.sweeps.Add(1)
	target := int64(c.max - c.max/10)
	c.m.Range(func(k, v any) bool {
		if v.(*entry).dead(now) && c.m.CompareAndDelete(k, v) {
			c.n.Add(-1)
		}
		return true
	})
	c.m.Range(func(k, v any) bool {
		if c.n.Load() <= target {
			return false
		}
		if v.(*entry).ended.IsZero() && c.m.CompareAndDelete(k, v) {
			c.n.Add(-1)
		}
		return true
	})
	c.sweepAt.Store(c.n.Load() + int64(c.max/10))
}
