package fakehasura

import (
	"sort"
	"strings"
)

// selectFilter is the role's select filter on a table, bound; nil for
// admin. A role without select permission sees no row.
func (t *txn) selectFilter(ti *tableInfo) (pred, *Error) {
	p := t.rs.perm(ti)
	switch {
	case p == nil:
		return nil, nil
	case p.sel == nil:
		return func(_, _ *row) (tri, *Error) { return triFalse, nil }, nil
	}
	return p.selFilter.bind(t.b, ti)
}

// bindOpt binds an optional expression; nil stays nil.
func (t *txn) bindOpt(e boolExp, ti *tableInfo) (pred, *Error) {
	if e == nil {
		return nil, nil
	}
	return e.bind(t.b, ti)
}

// filter keeps the rows every predicate holds for.
func filter(rows []*row, ps ...pred) ([]*row, *Error) {
	out := []*row{}
	for _, r := range rows {
		ok, err := matches(r, r, ps...)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}

// selectRows runs a select over base, some of ti's rows: the role's
// filter and the where argument, then order_by, distinct_on, offset, and
// the smaller of the limit argument and the permission's limit.
func (t *txn) selectRows(ti *tableInfo, s *selectArgs, base []*row) ([]*row, *Error) {
	perm, err := t.selectFilter(ti)
	if err != nil {
		return nil, err
	}
	where, err := t.bindOpt(s.where, ti)
	if err != nil {
		return nil, err
	}
	rows, err := filter(base, perm, where)
	if err != nil {
		return nil, err
	}
	order := s.orderBy
	if len(order) == 0 && len(s.distinct) > 0 {
		for _, col := range s.distinct {
			order = append(order, orderItem{col: col})
		}
	}
	if err := t.sortRows(ti, rows, order); err != nil {
		return nil, err
	}
	if len(s.distinct) > 0 {
		rows = distinctOn(rows, s.distinct)
	}
	if s.offset != nil {
		if *s.offset < 0 {
			return nil, dataException("OFFSET must not be negative")
		}
		if *s.offset >= int64(len(rows)) {
			rows = nil
		} else {
			rows = rows[*s.offset:]
		}
	}
	limit := s.limit
	if p := t.rs.perm(ti); p != nil && p.sel != nil && p.sel.Limit != nil {
		if pl := int64(*p.sel.Limit); limit == nil || pl < *limit {
			limit = &pl
		}
	}
	if limit != nil && *limit < int64(len(rows)) {
		rows = rows[:*limit]
	}
	return rows, nil
}

// selectByPK finds the row with the given primary key that the role may
// see (when checkPerm) and nil when there is none.
func (t *txn) selectByPK(ti *tableInfo, pk []pkValue, checkPerm bool) (*row, *Error) {
	var perm pred
	var err *Error
	if checkPerm {
		if perm, err = t.selectFilter(ti); err != nil {
			return nil, err
		}
	}
	vals := make([]any, len(pk))
	for i, p := range pk {
		if vals[i], err = t.b.value(p.col.typ, p.val); err != nil {
			return nil, err
		}
	}
	for _, r := range t.rows(ti) {
		found := true
		for i, p := range pk {
			if v := r.vals[p.col.idx]; v == nil || compareValues(p.col.typ, v, vals[i]) != 0 {
				found = false
				break
			}
		}
		if found {
			ok, err := matches(r, r, perm)
			if err != nil || !ok {
				return nil, err
			}
			return r, nil
		}
	}
	return nil, nil
}

// sortKey is one row's value for one order_by item; typ orders it.
type sortKey struct {
	v   any
	typ colType
}

// sortRows sorts stably by the order_by items, with Postgres' NULL
// placement: ascending puts NULLs last, descending first, unless the item
// says otherwise. Text sorts in byte order (the C collation).
func (t *txn) sortRows(ti *tableInfo, rows []*row, order []orderItem) *Error {
	if len(order) == 0 {
		return nil
	}
	keys := make(map[*row][]sortKey, len(rows))
	for _, r := range rows {
		ks := make([]sortKey, len(order))
		for i, o := range order {
			k, err := t.orderKey(ti, r, o)
			if err != nil {
				return err
			}
			ks[i] = k
		}
		keys[r] = ks
	}
	sort.SliceStable(rows, func(i, j int) bool {
		a, b := keys[rows[i]], keys[rows[j]]
		for k, o := range order {
			av, bv := a[k].v, b[k].v
			switch {
			case av == nil && bv == nil:
				continue
			case av == nil:
				return o.nullsFirst
			case bv == nil:
				return !o.nullsFirst
			}
			c := orderValues(a[k].typ, av, bv)
			if c == 0 {
				continue
			}
			if o.desc {
				return c > 0
			}
			return c < 0
		}
		return false
	})
	return nil
}

// orderKey follows an item's object relationships (NULL when a row has
// no related row the role may see) to its column or aggregate.
func (t *txn) orderKey(ti *tableInfo, r *row, o orderItem) (sortKey, *Error) {
	for _, rel := range o.path {
		remote, related := t.related(ti, rel, r)
		perm, err := t.selectFilter(remote)
		if err != nil {
			return sortKey{}, err
		}
		related, err = filter(related, perm)
		if err != nil || len(related) == 0 {
			return sortKey{}, err
		}
		ti, r = remote, related[0]
	}
	if o.agg == nil {
		return sortKey{v: r.vals[o.col.idx], typ: o.col.typ}, nil
	}
	remote, related := t.related(ti, o.agg.rel, r)
	perm, err := t.selectFilter(remote)
	if err != nil {
		return sortKey{}, err
	}
	if related, err = filter(related, perm); err != nil {
		return sortKey{}, err
	}
	if o.agg.op == "count" {
		return sortKey{v: int64(len(related)), typ: colType{name: "int8"}}, nil
	}
	vals := make([]any, len(related))
	for i, rr := range related {
		vals[i] = rr.vals[o.agg.col.idx]
	}
	v, ct, err := aggregate(o.agg.op, o.agg.col.typ, vals)
	return sortKey{v: v, typ: ct}, err
}

// distinctOn keeps the first row of each group of equal distinct_on
// columns, NULLs being equal to each other as DISTINCT ON treats them.
func distinctOn(rows []*row, cols []*colInfo) []*row {
	seen := map[string]bool{}
	var out []*row
	for _, r := range rows {
		var key strings.Builder
		for _, c := range cols {
			key.WriteString(valueKey(c.typ, r.vals[c.idx]) + "\x00")
		}
		if !seen[key.String()] {
			seen[key.String()] = true
			out = append(out, r)
		}
	}
	return out
}

// visible keeps the rows the role may select: the rows a mutation's
// "returning" shows.
func (t *txn) visible(ti *tableInfo, rows []*row) ([]*row, *Error) {
	perm, err := t.selectFilter(ti)
	if err != nil || perm == nil {
		return rows, err
	}
	return filter(rows, perm)
}
