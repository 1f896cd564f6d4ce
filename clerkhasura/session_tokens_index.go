package clerkhasura

import (
	"hash/maphash"
	"math/bits"
	"sync/atomic"
)

// sessionIndex finds a session's slot without taking a lock: an open
// addressing table with linear probing, whose buckets readers load
// atomically. Writers hold SessionTokens.mu. A reader may miss a slot
// being added, or find one being removed; both are safe, because a miss
// leads to add, which looks again under the lock, and a removed slot is
// dead and sends its callers back here.
//
// A [SessionTokens] has one template, so a session ID is the whole key.
type sessionIndex struct {
	seed  maphash.Seed
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

func (x *sessionIndex) init() {
	x.seed = maphash.MakeSeed()
	x.table.Store(newIndexTable(minIndexSize))
}

func newIndexTable(size int) *indexTable {
	return &indexTable{mask: uint64(size - 1), buckets: make([]indexBucket, size)}
}

func (x *sessionIndex) hash(id string) uint64 {
	return maphash.String(x.seed, id) | 1
}

// lookup returns the slot of session id, or nil.
func (x *sessionIndex) lookup(id string) *slot {
	h := x.hash(id)
	t := x.table.Load()
	for i := h & t.mask; ; i = (i + 1) & t.mask {
		b := &t.buckets[i]
		switch bh := b.hash.Load(); {
		case bh == 0:
			return nil
		case bh == h:
			if s := b.slot.Load(); s != nil && s.id == id {
				return s
			}
		}
	}
}

// insert adds s, which must not be in the index. SessionTokens.mu held.
func (x *sessionIndex) insert(s *slot) {
	t := x.table.Load()
	if (x.used+1)*4 > len(t.buckets)*3 {
		t = x.rebuild(t, x.live+1)
	}
	h := x.hash(s.id)
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

// remove deletes s. SessionTokens.mu held.
func (x *sessionIndex) remove(s *slot) {
	h := x.hash(s.id)
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
