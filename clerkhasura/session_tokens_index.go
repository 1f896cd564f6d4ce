package clerkhasura

import (
	"hash/maphash"
	"math/bits"
	"sync/atomic"
)

// sessionKey names a cached token: one session's token from one template.
// A [SessionTokens] has one template, so its keys differ by session only.
type sessionKey struct {
	sessionID string
	template  string
}

// sessionIndex finds a session's slot without taking a lock: an open
// addressing table with linear probing, whose buckets readers load
// atomically. Writers hold SessionTokens.mu. A reader may miss a slot
// being added, or find one being removed; both are safe, because a miss
// leads to add, which looks again under the lock, and a removed slot is
// dead and sends its callers back here.
type sessionIndex struct {
	seed  maphash.Seed
	salt  uint64 // the template's hash, mixed into every key's
	table atomic.Pointer[indexTable]
	live  int // slots in the table
	used  int // buckets ever filled in the table, deleted ones included
}

type indexTable struct {
	mask    uint64
	buckets []indexBucket
}

// indexBucket holds one slot and its key's hash. A hash of 0 marks a
// bucket never used; a nil slot with a hash, one whose slot was removed:
// lookups probe past it.
type indexBucket struct {
	hash atomic.Uint64
	slot atomic.Pointer[slot]
}

const minIndexSize = 16

func (x *sessionIndex) init(template string) {
	x.seed = maphash.MakeSeed()
	x.salt = maphash.String(x.seed, template)
	x.table.Store(newIndexTable(minIndexSize))
}

func newIndexTable(size int) *indexTable {
	return &indexTable{mask: uint64(size - 1), buckets: make([]indexBucket, size)}
}

func (x *sessionIndex) hash(k sessionKey) uint64 {
	return (maphash.String(x.seed, k.sessionID) ^ x.salt) | 1
}

// lookup returns k's slot, or nil. Only the template of k's own index is
// ever asked for, so comparing session IDs compares keys.
func (x *sessionIndex) lookup(k sessionKey) *slot {
	h := x.hash(k)
	t := x.table.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		b := &t.buckets[i]
		switch bh := b.hash.Load(); {
		case bh == 0:
			return nil
		case bh == h:
			if s := b.slot.Load(); s != nil && s.id == k.sessionID {
				return s
			}
		}
	}
}

// insert adds s, which must not be in the index. SessionTokens.mu held.
func (x *sessionIndex) insert(k sessionKey, s *slot) {
	t := x.table.Load()
	if (x.used+1)*4 > len(t.buckets)*3 {
		t = x.rebuild(t, x.live+1)
	}
	h := x.hash(k)
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		b := &t.buckets[i]
		if b.hash.Load() == 0 {
			b.hash.Store(h)
			b.slot.Store(s)
			x.live++
			x.used++
			return
		}
	}
}

// remove deletes s, found under k. SessionTokens.mu held.
func (x *sessionIndex) remove(k sessionKey, s *slot) {
	h := x.hash(k)
	t := x.table.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		b := &t.buckets[i]
		switch bh := b.hash.Load(); {
		case bh == 0:
			return
		case bh == h && b.slot.Load() == s:
			b.slot.Store(nil)
			x.live--
			return
		}
	}
}

// rebuild publishes a table holding the live slots of t, sized so that
// live of them fill between a quarter and a half of it. Readers still on t
// find what they found before.
func (x *sessionIndex) rebuild(t *indexTable, live int) *indexTable {
	size := max(minIndexSize, 1<<bits.Len(uint(2*live-1)))
	nt := newIndexTable(size)
	x.used = 0
	for i := range t.buckets {
		b := &t.buckets[i]
		s := b.slot.Load()
		if s == nil {
			continue
		}
		h := b.hash.Load()
		for j := h & nt.mask; ; j = (j + 1) & nt.mask {
			nb := &nt.buckets[j]
			if nb.hash.Load() == 0 {
				nb.hash.Store(h)
				nb.slot.Store(s)
				x.used++
				break
			}
		}
	}
	x.table.Store(nt)
	return nt
}

// clear drops every slot. SessionTokens.mu held.
func (x *sessionIndex) clear() {
	x.table.Store(newIndexTable(minIndexSize))
	x.live, x.used = 0, 0
}
