package fakehasura

import (
	"math"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// aggregate computes an aggregate function over a column's values, NULLs
// skipped, as Postgres does: nil when there is no value, and the type of
// the result.
func aggregate(op string, ct colType, vals []any) (any, colType, *Error) {
	var nonNull []any
	for _, v := range vals {
		if v != nil {
			nonNull = append(nonNull, v)
		}
	}
	switch op {
	case "max", "min":
		var best any
		for _, v := range nonNull {
			if best == nil || (op == "max") == (compareValues(ct, v, best) > 0) {
				best = v
			}
		}
		return best, ct, nil
	case "sum":
		return sum(ct, nonNull)
	case "avg":
		return avg(ct, nonNull)
	}
	return nil, ct, notEmulated("$", "the aggregate %s", op)
}

func sum(ct colType, vals []any) (any, colType, *Error) {
	switch {
	case ct.name == "int2" || ct.name == "int4":
		out := colType{name: "int8"}
		if len(vals) == 0 {
			return nil, out, nil
		}
		var s int64
		for _, v := range vals {
			n := v.(int64)
			if (n > 0 && s > math.MaxInt64-n) || (n < 0 && s < math.MinInt64-n) {
				return nil, out, dataException("bigint out of range")
			}
			s += n
		}
		return s, out, nil
	case ct.name == "int8" || ct.name == "numeric":
		out := colType{name: "numeric"}
		if len(vals) == 0 {
			return nil, out, nil
		}
		s := numericFromInt(0)
		for _, v := range vals {
			s = s.add(asNumeric(v))
		}
		return s, out, nil
	case ct.isFloat():
		if len(vals) == 0 {
			return nil, ct, nil
		}
		var s float64
		for _, v := range vals {
			s += v.(float64)
			if ct.name == "float4" {
				s = float64(float32(s))
			}
		}
		return s, ct, nil
	}
	return nil, ct, notEmulated("$", "sum over values of type %s", ct.sqlName())
}

func asNumeric(v any) *numeric {
	if n, ok := v.(int64); ok {
		return numericFromInt(n)
	}
	return v.(*numeric)
}

func avg(ct colType, vals []any) (any, colType, *Error) {
	if ct.isFloat() {
		out := colType{name: "float8"}
		if len(vals) == 0 {
			return nil, out, nil
		}
		var s float64
		for _, v := range vals {
			s += v.(float64)
		}
		return s / float64(len(vals)), out, nil
	}
	out := colType{name: "numeric"}
	if !ct.isInt() && ct.name != "numeric" {
		return nil, out, notEmulated("$", "avg over values of type %s", ct.sqlName())
	}
	if len(vals) == 0 {
		return nil, out, nil
	}
	s := numericFromInt(0)
	for _, v := range vals {
		s = s.add(asNumeric(v))
	}
	return s.div(numericFromInt(int64(len(vals)))), out, nil
}

// count is count(*) without columns, count(column) (the rows where it is
// not NULL) with one, and with several the count of the row value of
// the columns, which Postgres never finds NULL; distinct counts equal
// values once.
func count(rows []*row, cols []*colInfo, distinct bool) int64 {
	seen := map[string]bool{}
	var n int64
	for _, r := range rows {
		if len(cols) == 0 {
			n++
			continue
		}
		var key strings.Builder
		null := true
		for _, c := range cols {
			v := r.vals[c.idx]
			if v != nil {
				null = false
			}
			key.WriteString(valueKey(c.typ, v) + "\x00")
		}
		if null && len(cols) == 1 {
			continue
		}
		if distinct {
			if seen[key.String()] {
				continue
			}
			seen[key.String()] = true
		}
		n++
	}
	return n
}

// aggPredExp is a where's <rel>_aggregate: an aggregate of the rows an
// array relationship reaches, compared by predicate.
type aggPredExp struct {
	rel      *hasuraproject.Relationship
	fn       string
	cols     []*colInfo
	distinct bool
	filter   boolExp
	preds    []*cmpExp
}

func (e *aggPredExp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	remote := b.tx.cat.info(e.rel.Remote)
	perm, err := b.tx.selectFilter(remote)
	if err != nil {
		return nil, err
	}
	var filter pred
	if e.filter != nil {
		if filter, err = e.filter.bind(b, remote); err != nil {
			return nil, err
		}
	}
	ct := colType{name: "int4"}
	if e.fn != "count" {
		ct = colType{name: "bool"}
	}
	var tests []valueTest
	for _, p := range e.preds {
		t, err := p.test(b, remote, ct)
		if err != nil {
			return nil, err
		}
		tests = append(tests, t)
	}
	return func(r, root *row) (tri, *Error) {
		_, rows := b.tx.related(ti, e.rel, r)
		var kept []*row
		for _, rr := range rows {
			ok, err := matches(rr, rr, perm, filter)
			if err != nil {
				return 0, err
			}
			if ok {
				kept = append(kept, rr)
			}
		}
		var v any
		if e.fn == "count" {
			v = count(kept, e.cols, e.distinct)
		} else {
			v = boolAggregate(e.fn, kept, e.cols)
		}
		res := triTrue
		for _, t := range tests {
			x, err := t(v, r, root)
			if err != nil || x == triFalse {
				return triFalse, err
			}
			if x == triNull {
				res = triNull
			}
		}
		return res, nil
	}, nil
}

// boolAggregate is bool_and or bool_or over one boolean column.
func boolAggregate(fn string, rows []*row, cols []*colInfo) any {
	var out any
	for _, r := range rows {
		v, ok := r.vals[cols[0].idx].(bool)
		if !ok {
			continue
		}
		switch {
		case out == nil:
			out = v
		case fn == "bool_and":
			out = out.(bool) && v
		default:
			out = out.(bool) || v
		}
	}
	return out
}
