package fakehasura

import "sync"

// Row is one row of public.users.
type Row struct {
	ID       string
	Name     *string    // NULL when nil
	LastSeen *Timestamp // NULL when nil
}

func (r *Row) clone() *Row {
	c := *r
	if r.Name != nil {
		n := *r.Name
		c.Name = &n
	}
	if r.LastSeen != nil {
		ts := *r.LastSeen
		c.LastSeen = &ts
	}
	return &c
}

// table holds the rows in physical order: the order in which a sequential
// scan finds them, which is insertion order here. A query without order_by
// returns them in this order; PostgreSQL promises no order at all.
type table struct {
	rows []*Row
}

func (t *table) clone() *table {
	c := &table{rows: make([]*Row, len(t.rows))}
	for i, r := range t.rows {
		c.rows[i] = r.clone()
	}
	return c
}

func (t *table) find(id string) (int, *Row) {
	for i, r := range t.rows {
		if r.ID == id {
			return i, r
		}
	}
	return -1, nil
}

func (t *table) remove(i int) {
	t.rows = append(t.rows[:i], t.rows[i+1:]...)
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
