package fakehasura

import (
	"errors"
	"fmt"
	"strings"
)

// Row is one row of public.users, the table of examples/hasura: id text
// primary key, name text, last_seen timestamp.
type Row struct {
	ID       string
	Name     *string    // NULL when nil
	LastSeen *Timestamp // NULL when nil
}

// usersTable returns public.users with the columns Row holds. Put
// bypasses casts and constraints, so a project's users table must have
// their types too: a uuid id or a timestamptz last_seen would hold values
// of the wrong kind.
func (e *Engine) usersTable() (*tableInfo, error) {
	ti, err := e.cat.table("public.users")
	if err != nil {
		return nil, err
	}
	for _, c := range []struct{ name, typ string }{{"id", "text"}, {"name", "text"}, {"last_seen", "timestamp"}} {
		col := ti.col(c.name)
		if col == nil {
			return nil, fmt.Errorf("%w: public.users has no column %q", ErrUnknownTable, c.name)
		}
		if col.typ.enum != nil || col.typ.name != c.typ {
			return nil, fmt.Errorf("fakehasura: public.users.%s is %s, not %s as in examples/hasura: seed it with Insert", c.name, col.typ.sqlName(), c.typ)
		}
	}
	return ti, nil
}

// Rows returns copies of the rows of public.users, in physical order; none
// when the project has no such table.
func (e *Engine) Rows() []Row {
	ti, err := e.usersTable()
	if err != nil {
		return nil
	}
	id, name, last := ti.col("id").idx, ti.col("name").idx, ti.col("last_seen").idx
	e.mu.RLock()
	defer e.mu.RUnlock()
	out := make([]Row, 0, len(e.st.tables[ti]))
	for _, r := range e.st.tables[ti] {
		u := Row{}
		u.ID, _ = r.vals[id].(string)
		if s, ok := r.vals[name].(string); ok {
			u.Name = &s
		}
		if ts, ok := r.vals[last].(Timestamp); ok {
			u.LastSeen = &ts
		}
		out = append(out, u)
	}
	return out
}

// Put inserts rows into public.users, replacing any row with the same id
// in place, and signals a change. It bypasses permissions and defaults,
// as a test's fixture does: a nil field is NULL.
func (e *Engine) Put(rows ...Row) error {
	ti, err := e.usersTable()
	if err != nil {
		return err
	}
	for _, r := range rows {
		if r.ID == "" || strings.ContainsRune(r.ID, 0) || (r.Name != nil && strings.ContainsRune(*r.Name, 0)) {
			return errors.New("fakehasura: a row needs a non-empty id, and text without NUL")
		}
	}
	id, name, last := ti.col("id").idx, ti.col("name").idx, ti.col("last_seen").idx
	e.mu.Lock()
	t := &txn{cat: e.cat, st: e.st.fork()}
	for _, r := range rows {
		next := &row{vals: make([]any, len(ti.cols))}
		next.vals[id] = r.ID
		if r.Name != nil {
			next.vals[name] = *r.Name
		}
		if r.LastSeen != nil {
			next.vals[last] = *r.LastSeen
		}
		if old := findByText(t.rows(ti), id, r.ID); old != nil {
			copy(next.vals, mergeUnknown(old.vals, next.vals, id, name, last))
			t.replaceRow(ti, old, next)
		} else {
			t.appendRow(ti, next)
		}
	}
	e.st = t.st
	e.mu.Unlock()
	e.changes.notify()
	return nil
}

// mergeUnknown keeps the old values of the columns Row does not hold.
func mergeUnknown(old, next []any, known ...int) []any {
	out := append([]any(nil), old...)
	for _, k := range known {
		out[k] = next[k]
	}
	return out
}

func findByText(rows []*row, col int, v string) *row {
	for _, r := range rows {
		if s, ok := r.vals[col].(string); ok && s == v {
			return r
		}
	}
	return nil
}

// Delete removes the row of public.users with the given id and reports
// whether it existed.
func (e *Engine) Delete(id string) bool {
	ti, err := e.usersTable()
	if err != nil {
		return false
	}
	e.mu.Lock()
	t := &txn{cat: e.cat, st: e.st.fork()}
	old := findByText(t.rows(ti), ti.col("id").idx, id)
	if old != nil {
		t.removeRows(ti, map[*row]bool{old: true})
		e.st = t.st
	}
	e.mu.Unlock()
	if old != nil {
		e.changes.notify()
	}
	return old != nil
}
