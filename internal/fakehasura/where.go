package fakehasura

import (
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// tri is SQL's three-valued logic: a WHERE clause keeps a row only when its
// condition is true, not when it is NULL.
type tri int8

const (
	triFalse tri = iota
	triTrue
	triNull
)

func triOf(b bool) tri {
	if b {
		return triTrue
	}
	return triFalse
}

// boolExp is a boolean expression over a table's rows: a GraphQL where
// argument or a permission's filter or check. Its values are still as the
// request or the metadata wrote them; bind casts them for one transaction.
type boolExp interface {
	bind(b *binder, ti *tableInfo) (pred, *Error)
}

// pred evaluates a bound expression on a row. root is the row of the
// table the permission belongs to, which ["$", column] comparisons read.
type pred func(r, root *row) (tri, *Error)

type andExp []boolExp
type orExp []boolExp
type notExp struct{ e boolExp }

// relExp holds when the rows a relationship reaches satisfy e (some row,
// for an array relationship). In a where argument the role's select
// filter on the remote table applies too; in a permission it does not.
type relExp struct {
	rel       *hasuraproject.Relationship
	e         boolExp
	applyPerm bool
}

// existsExp is a permission's _exists: some row of a table satisfies e.
type existsExp struct {
	table *hasuraproject.Table
	e     boolExp
}

func bindAll(b *binder, ti *tableInfo, es []boolExp) ([]pred, *Error) {
	ps := make([]pred, len(es))
	for i, e := range es {
		p, err := e.bind(b, ti)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	return ps, nil
}

func (a andExp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	ps, err := bindAll(b, ti, a)
	if err != nil {
		return nil, err
	}
	return func(r, root *row) (tri, *Error) {
		res := triTrue
		for _, p := range ps {
			v, err := p(r, root)
			if err != nil {
				return 0, err
			}
			if v == triFalse {
				return triFalse, nil
			}
			if v == triNull {
				res = triNull
			}
		}
		return res, nil
	}, nil
}

func (o orExp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	ps, err := bindAll(b, ti, o)
	if err != nil {
		return nil, err
	}
	return func(r, root *row) (tri, *Error) {
		res := triFalse
		for _, p := range ps {
			v, err := p(r, root)
			if err != nil {
				return 0, err
			}
			if v == triTrue {
				return triTrue, nil
			}
			if v == triNull {
				res = triNull
			}
		}
		return res, nil
	}, nil
}

func (n notExp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	p, err := n.e.bind(b, ti)
	if err != nil {
		return nil, err
	}
	return func(r, root *row) (tri, *Error) {
		v, err := p(r, root)
		switch {
		case err != nil:
			return 0, err
		case v == triNull:
			return triNull, nil
		default:
			return triOf(v == triFalse), nil
		}
	}, nil
}

// related returns the rows of the relationship's remote table that the
// row reaches through its column mapping. NULL matches nothing.
func (t *txn) related(ti *tableInfo, rel *hasuraproject.Relationship, r *row) (*tableInfo, []*row) {
	remote := t.cat.info(rel.Remote)
	var out []*row
	for _, rr := range t.rows(remote) {
		if mappingMatches(ti, remote, rel.Mapping, r, rr) {
			out = append(out, rr)
		}
	}
	return remote, out
}

func mappingMatches(ti, remote *tableInfo, mapping []hasuraproject.ColumnMapping, r, rr *row) bool {
	for _, m := range mapping {
		lc, rc := ti.col(m.Column), remote.col(m.RemoteColumn)
		lv, rv := r.vals[lc.idx], rr.vals[rc.idx]
		if lv == nil || rv == nil || !sameKind(lv, rv) || compareValues(lc.typ, lv, rv) != 0 {
			return false
		}
	}
	return true
}

// sameKind reports whether two values can be compared: a manual mapping
// may join columns of different types, which Postgres would cast.
func sameKind(a, b any) bool {
	switch a.(type) {
	case string:
		_, ok := b.(string)
		return ok
	case int64:
		_, ok := b.(int64)
		return ok
	case float64:
		_, ok := b.(float64)
		return ok
	case *numeric:
		_, ok := b.(*numeric)
		return ok
	case bool:
		_, ok := b.(bool)
		return ok
	case Timestamp:
		_, ok := b.(Timestamp)
		return ok
	case jsonValue:
		_, ok := b.(jsonValue)
		return ok
	}
	return false
}

func (e relExp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	remote := b.tx.cat.info(e.rel.Remote)
	sub, err := e.e.bind(b, remote)
	if err != nil {
		return nil, err
	}
	var perm pred
	if e.applyPerm {
		if perm, err = b.tx.selectFilter(remote); err != nil {
			return nil, err
		}
	}
	return func(r, root *row) (tri, *Error) {
		_, rows := b.tx.related(ti, e.rel, r)
		for _, rr := range rows {
			// The remote table's own filter reads its own row as root.
			ok, err := matches(rr, rr, perm)
			if err == nil && ok {
				ok, err = matches(rr, root, sub)
			}
			if err != nil || ok {
				return triOf(ok), err
			}
		}
		return triFalse, nil
	}, nil
}

func (e existsExp) bind(b *binder, _ *tableInfo) (pred, *Error) {
	target := b.tx.cat.info(e.table)
	sub, err := e.e.bind(b, target)
	if err != nil {
		return nil, err
	}
	return func(_, root *row) (tri, *Error) {
		for _, rr := range b.tx.rows(target) {
			ok, err := matches(rr, root, sub)
			if err != nil || ok {
				return triOf(ok), err
			}
		}
		return triFalse, nil
	}, nil
}

// matches applies the predicates in order, as an AND that stops at the
// first one that is not true. Nil predicates are true.
func matches(r, root *row, ps ...pred) (bool, *Error) {
	for _, p := range ps {
		if p == nil {
			continue
		}
		v, err := p(r, root)
		if err != nil || v != triTrue {
			return false, err
		}
	}
	return true, nil
}
