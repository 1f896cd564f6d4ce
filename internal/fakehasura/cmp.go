package fakehasura

import (
	"regexp"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// cmpExp compares a column of the row with operands: one operator of a
// <scalar>_comparison_exp, or of a permission's column expression.
type cmpExp struct {
	col string
	op  string
	val operand
	// list is the operand of _in, _nin, _has_keys_any and _has_keys_all,
	// listVar a session variable holding it.
	list    []operand
	listVar string
	isNull  bool
	// other is the right-hand column of _ceq, _cne, _cgt, …; rootIdx is
	// its position when it belongs to the permission's own table.
	other   *hasuraproject.ColumnRef
	rootIdx int
	// cast holds the String comparisons of a jsonb column's _cast.
	cast []*cmpExp
}

var comparisons = map[string]func(int) bool{
	"_eq":  func(c int) bool { return c == 0 },
	"_neq": func(c int) bool { return c != 0 },
	"_gt":  func(c int) bool { return c > 0 },
	"_gte": func(c int) bool { return c >= 0 },
	"_lt":  func(c int) bool { return c < 0 },
	"_lte": func(c int) bool { return c <= 0 },
}

// columnComparisons are the metadata's column-to-column operators.
var columnComparisons = map[string]string{
	"_ceq": "_eq", "_cne": "_neq", "_cgt": "_gt", "_cgte": "_gte", "_clt": "_lt", "_clte": "_lte",
}

// valueTest tests one column value.
type valueTest func(v any, r, root *row) (tri, *Error)

func (c *cmpExp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	ci := ti.col(c.col)
	test, err := c.test(b, ti, ci.typ)
	if err != nil {
		return nil, err
	}
	return func(r, root *row) (tri, *Error) { return test(r.vals[ci.idx], r, root) }, nil
}

// order compares two non-NULL values for the ordering operators.
func orderValues(ct colType, a, b any) int {
	if ct.name == "jsonb" {
		return compareJSONB(a.(jsonValue).v, b.(jsonValue).v)
	}
	return compareValues(ct, a, b)
}

func (c *cmpExp) test(b *binder, ti *tableInfo, ct colType) (valueTest, *Error) {
	if ct.name == "json" && c.op != "_is_null" {
		return nil, notEmulated("$", "comparisons of json values (Postgres has no operators for them)")
	}
	switch {
	case c.op == "_is_null":
		return func(v any, _, _ *row) (tri, *Error) { return triOf((v == nil) == c.isNull), nil }, nil
	case columnComparisons[c.op] != "":
		return c.columnTest(ti, ct)
	case c.op == "_in" || c.op == "_nin":
		vals, err := b.list(ct, c.list, c.listVar)
		if err != nil {
			return nil, err
		}
		want := c.op == "_in"
		return func(v any, _, _ *row) (tri, *Error) {
			if len(vals) == 0 {
				return triOf(!want), nil
			}
			if v == nil {
				return triNull, nil
			}
			for _, x := range vals {
				if x != nil && orderValues(ct, v, x) == 0 {
					return triOf(want), nil
				}
			}
			return triOf(!want), nil
		}, nil
	case c.op == "_has_key" || c.op == "_has_keys_any" || c.op == "_has_keys_all":
		return c.keysTest(b)
	case c.op == "_cast":
		return c.castTest(b, ti)
	}
	val, err := b.value(ct, c.val)
	if err != nil {
		return nil, err
	}
	if cmp, ok := comparisons[c.op]; ok {
		return func(v any, _, _ *row) (tri, *Error) {
			if v == nil || val == nil {
				return triNull, nil
			}
			return triOf(cmp(orderValues(ct, v, val))), nil
		}, nil
	}
	switch c.op {
	case "_contains", "_contained_in":
		return func(v any, _, _ *row) (tri, *Error) {
			if v == nil || val == nil {
				return triNull, nil
			}
			a, x := v.(jsonValue).v, val.(jsonValue).v
			if c.op == "_contained_in" {
				a, x = x, a
			}
			return triOf(jsonbContains(a, x, true)), nil
		}, nil
	}
	return c.patternTest(ct, val)
}

// patternTest is _like, _ilike, _similar, _regex and their negations.
// Postgres compiles a pattern when the operator first meets a non-NULL
// value, so an invalid pattern fails only then. citext matches without
// case.
func (c *cmpExp) patternTest(ct colType, val any) (valueTest, *Error) {
	op := c.op
	if ct.name == "citext" {
		op = strings.NewReplacer("_like", "_ilike", "_nlike", "_nilike", "_regex", "_iregex", "_nregex", "_niregex").Replace(op)
	}
	var re *regexp.Regexp
	var reErr *Error
	negate := strings.HasPrefix(op, "_n")
	return func(v any, _, _ *row) (tri, *Error) {
		if v == nil || val == nil {
			return triNull, nil
		}
		if re == nil && reErr == nil {
			re, reErr = compilePattern(op, val.(string))
		}
		if reErr != nil {
			return 0, reErr
		}
		return triOf(re.MatchString(v.(string)) != negate), nil
	}, nil
}

func (c *cmpExp) columnTest(ti *tableInfo, ct colType) (valueTest, *Error) {
	cmp := comparisons[columnComparisons[c.op]]
	idx := ti.colIdx[c.other.Column]
	return func(v any, r, root *row) (tri, *Error) {
		other := r.vals[idx]
		if c.other.Root {
			other = root.vals[c.rootIdx]
		}
		if v == nil || other == nil || !sameKind(v, other) {
			return triNull, nil
		}
		return triOf(cmp(orderValues(ct, v, other))), nil
	}, nil
}

func (c *cmpExp) keysTest(b *binder) (valueTest, *Error) {
	text := colType{name: "text"}
	var keys []any
	var err *Error
	if c.op == "_has_key" {
		var k any
		k, err = b.value(text, c.val)
		keys = []any{k}
	} else {
		keys, err = b.list(text, c.list, c.listVar)
	}
	if err != nil {
		return nil, err
	}
	return func(v any, _, _ *row) (tri, *Error) {
		if v == nil {
			return triNull, nil
		}
		all := c.op != "_has_keys_any"
		for _, k := range keys {
			s, _ := k.(string)
			if jsonbHasKey(v.(jsonValue).v, s) != all {
				return triOf(!all), nil
			}
		}
		return triOf(all), nil
	}, nil
}

// castTest is a jsonb column's _cast: {String: …} compares its text.
func (c *cmpExp) castTest(b *binder, ti *tableInfo) (valueTest, *Error) {
	text := colType{name: "text"}
	var tests []valueTest
	for _, sub := range c.cast {
		t, err := sub.test(b, ti, text)
		if err != nil {
			return nil, err
		}
		tests = append(tests, t)
	}
	return func(v any, r, root *row) (tri, *Error) {
		var s any
		if v != nil {
			s = v.(jsonValue).text
		}
		res := triTrue
		for _, t := range tests {
			x, err := t(s, r, root)
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
