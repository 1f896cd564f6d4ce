package clerkhasura

import (
	"strings"
	"time"
)

const (
	// touchEvery is how often a session's place in the LRU list is renewed
	// while it is in use. Renewing on every hit would take the lock per
	// request; a second of imprecision costs nothing.
	touchEvery = int64(time.Second)
	// idleSweepOnAdd bounds the idle sessions dropped when adding one.
	idleSweepOnAdd = 4
)

// add makes the slot of a session not cached yet.
func (st *SessionTokens) add(sessionID string) TokenSource {
	if err := validateSessionID(sessionID); err != nil {
		return errSource{err}
	}
	now := st.eng.clock.nanos()
	// A copy, so the cache does not pin the caller's request buffer.
	id := strings.Clone(sessionID)
	st.mu.Lock()
	defer st.mu.Unlock()
	if st.eng.closed.Load() {
		return errSource{ErrClosed}
	}
	if s := st.index.lookup(id); s != nil {
		return s
	}
	idle := int64(st.idleTimeout)
	for i := 0; i < idleSweepOnAdd && st.tail != nil && now-st.tail.used.Load() >= idle; i++ {
		st.evict(st.tail)
	}
	for st.index.live >= st.maxSessions && st.tail != nil {
		st.evict(st.tail)
	}
	s := newSlot(st.eng, id)
	s.used.Store(now)
	st.index.insert(s)
	st.pushFront(s)
	return s
}

// touch renews s's place in the LRU list. It never waits: when the lock is
// busy it does nothing, and the session's next request tries again.
func (st *SessionTokens) touch(s *slot, now int64) {
	if !st.mu.TryLock() {
		return
	}
	s.used.Store(now)
	if s.listed && st.head != s {
		st.unlink(s)
		st.pushFront(s)
	}
	st.mu.Unlock()
}

func (st *SessionTokens) evict(s *slot) {
	st.remove(s)
	st.eng.stats.evictions.Add(1)
}

// remove drops s and marks it dead, so that holders of it are sent to the
// session's new slot. st.mu must be held.
func (st *SessionTokens) remove(s *slot) {
	st.index.remove(s)
	st.unlink(s)
	s.drop(true)
}

// sweep drops every session idle for IdleTimeout. The list is in order of
// use, so they are all at its tail.
func (st *SessionTokens) sweep() {
	now := st.eng.clock.nanos()
	idle := int64(st.idleTimeout)
	st.mu.Lock()
	defer st.mu.Unlock()
	for st.tail != nil && now-st.tail.used.Load() >= idle {
		st.evict(st.tail)
	}
}

func (st *SessionTokens) runJanitor(every time.Duration) {
	defer close(st.finished)
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-st.janitor:
			return
		case <-t.C:
			st.sweep()
		}
	}
}

func (st *SessionTokens) pushFront(s *slot) {
	s.prev, s.next = nil, st.head
	if st.head != nil {
		st.head.prev = s
	} else {
		st.tail = s
	}
	st.head = s
	s.listed = true
}

func (st *SessionTokens) unlink(s *slot) {
	if !s.listed {
		return
	}
	if s.prev != nil {
		s.prev.next = s.next
	} else {
		st.head = s.next
	}
	if s.next != nil {
		s.next.prev = s.prev
	} else {
		st.tail = s.prev
	}
	s.prev, s.next, s.listed = nil, nil, false
}
