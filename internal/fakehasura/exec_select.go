package fakehasura

import (
	"sort"
	"strings"
)

// txn is one transaction: the rows it reads (a private copy while a
// mutation runs), the session, and the values bound for it.
type txn struct {
	rs  *roleSchema
	tbl *table
	b   *binder
}

func (t *txn) bindPerm(e boolExp) (pred, *Error) {
	if t.rs.admin || e == nil {
		return nil, nil
	}
	return e.bind(t.b)
}

func (t *txn) bindOpt(e boolExp) (pred, *Error) {
	if e == nil {
		return nil, nil
	}
	return e.bind(t.b)
}

// matches applies the predicates in order, as an AND that stops at the
// first one that is not true.
func matches(r *Row, ps ...pred) (bool, *Error) {
	for _, p := range ps {
		if p == nil {
			continue
		}
		v, err := p(r)
		if err != nil || v != triTrue {
			return false, err
		}
	}
	return true, nil
}

// selectFilter is the role's select permission, bound; nil for admin and
// for roles that may not select (their schema has no field to reach it).
func (t *txn) selectFilter() (pred, *Error) {
	if t.rs.perms == nil {
		return nil, nil
	}
	return t.bindPerm(t.rs.perms.selectFilter)
}

func (t *txn) selectRows(s *selectArgs) ([]*Row, *Error) {
	perm, err := t.selectFilter()
	if err != nil {
		return nil, err
	}
	where, err := t.bindOpt(s.where)
	if err != nil {
		return nil, err
	}
	var rows []*Row
	for _, r := range t.tbl.rows {
		ok, err := matches(r, perm, where)
		if err != nil {
			return nil, err
		}
		if ok {
			rows = append(rows, r)
		}
	}
	order := s.orderBy
	if len(order) == 0 && len(s.distinct) > 0 {
		for _, col := range s.distinct {
			order = append(order, orderItem{col: col})
		}
	}
	sortRows(rows, order)
	if len(s.distinct) > 0 {
		rows = distinctOn(rows, s.distinct)
	}
	if s.offset != nil {
		if *s.offset < 0 {
			return nil, newError(CodeDataException, "$", "OFFSET must not be negative")
		}
		if *s.offset >= int64(len(rows)) {
			rows = nil
		} else {
			rows = rows[*s.offset:]
		}
	}
	if s.limit != nil && *s.limit < int64(len(rows)) {
		rows = rows[:*s.limit]
	}
	return rows, nil
}

func (t *txn) selectByPK(id string) (*Row, *Error) {
	perm, err := t.selectFilter()
	if err != nil {
		return nil, err
	}
	if strings.ContainsRune(id, 0) {
		return nil, newError(CodeDataException, "$", `invalid byte sequence for encoding "UTF8": 0x00`)
	}
	_, r := t.tbl.find(id)
	if r == nil {
		return nil, nil
	}
	ok, err := matches(r, perm)
	if err != nil || !ok {
		return nil, err
	}
	return r, nil
}

// sortRows sorts stably by the order_by items, with PostgreSQL's NULL
// placement: ascending puts NULLs last, descending first, unless the item
// says otherwise. Text sorts in byte order (the C collation).
func sortRows(rows []*Row, order []orderItem) {
	if len(order) == 0 {
		return
	}
	sort.SliceStable(rows, func(i, j int) bool {
		for _, o := range order {
			a, aok := columnValue(rows[i], o.col)
			b, bok := columnValue(rows[j], o.col)
			switch {
			case !aok && !bok:
				continue
			case !aok:
				return o.nullsFirst
			case !bok:
				return !o.nullsFirst
			}
			c := compareValues(o.col, a, b)
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
}

// distinctOn keeps the first row of each group of equal distinct_on
// columns, NULLs being equal to each other as DISTINCT ON treats them.
func distinctOn(rows []*Row, cols []string) []*Row {
	seen := map[string]bool{}
	var out []*Row
	for _, r := range rows {
		var key strings.Builder
		for _, col := range cols {
			v, ok := columnValue(r, col)
			switch {
			case !ok:
				key.WriteString("N|")
			case isTimestampColumn(col):
				key.WriteString("V" + v.ts.String() + "|")
			default:
				key.WriteString("V" + strings.ReplaceAll(v.text, "|", "||") + "|")
			}
		}
		if !seen[key.String()] {
			seen[key.String()] = true
			out = append(out, r)
		}
	}
	return out
}
