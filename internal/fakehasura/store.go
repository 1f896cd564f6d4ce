package fakehasura

import "sync"

// row is one row: a value per column, by position. A committed row is
// never changed: a statement that updates it stores a new row in its place.
type row struct {
	vals []any
}

func (r *row) clone() *row {
	return &row{vals: append([]any(nil), r.vals...)}
}

// store holds every table's rows in physical order: the order in which a
// sequential scan finds them, which is insertion order here (an update
// keeps a row in place). A query without order_by returns them in this
// order; Postgres promises no order at all.
type store struct {
	tables map[*tableInfo][]*row
}

func newStore(c *catalog) *store {
	s := &store{tables: map[*tableInfo][]*row{}}
	for _, ti := range c.tables {
		s.tables[ti] = nil
	}
	return s
}

// fork returns a store sharing the row slices; a transaction copies a
// table's slice before it first writes to it.
func (s *store) fork() *store {
	out := &store{tables: make(map[*tableInfo][]*row, len(s.tables))}
	for ti, rows := range s.tables {
		out.tables[ti] = rows
	}
	return out
}

// sequences are Postgres sequences: nextval is not undone when the
// transaction that called it rolls back.
type sequences struct {
	mu   sync.Mutex
	last map[string]int64
}

func (s *sequences) next(name string) int64 {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.last == nil {
		s.last = map[string]int64{}
	}
	s.last[name]++
	return s.last[name]
}

// notifier fans a "rows changed" signal out to subscribers. A subscriber's
// channel holds at most one pending signal, so a slow reader sees one
// wake-up for many changes and never blocks a writer.
type notifier struct {
	mu   sync.Mutex
	next int
	subs map[int]chan struct{}
}

func (n *notifier) subscribe() (<-chan struct{}, func()) {
	n.mu.Lock()
	defer n.mu.Unlock()
	if n.subs == nil {
		n.subs = make(map[int]chan struct{})
	}
	id := n.next
	n.next++
	ch := make(chan struct{}, 1)
	n.subs[id] = ch
	var once sync.Once
	return ch, func() {
		once.Do(func() {
			n.mu.Lock()
			defer n.mu.Unlock()
			delete(n.subs, id)
		})
	}
}

func (n *notifier) notify() {
	n.mu.Lock()
	defer n.mu.Unlock()
	for _, ch := range n.subs {
		select {
		case ch <- struct{}{}:
		default:
		}
	}
}
