package fakehasura

import (
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"
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

// boolExp is a boolean expression over users rows: a GraphQL where
// argument or a permission filter. Values are still text, as Hasura sends
// them to PostgreSQL; bind casts them for one transaction.
type boolExp interface {
	bind(b *binder) (pred, *Error)
}

type pred func(r *Row) (tri, *Error)

// binder resolves values for one transaction: session variables, and the
// casts PostgreSQL folds into constants when it plans the statement.
type binder struct {
	vars map[string]string
	now  time.Time
}

type andExp []boolExp
type orExp []boolExp
type notExp struct{ e boolExp }

// operand is a comparison value: literal text, or a session variable.
type operand struct {
	text    string
	sessVar string
}

type cmpExp struct {
	col    string
	op     string
	val    operand
	list   []operand
	isNull bool
}

func bindAll(b *binder, es []boolExp) ([]pred, *Error) {
	ps := make([]pred, len(es))
	for i, e := range es {
		p, err := e.bind(b)
		if err != nil {
			return nil, err
		}
		ps[i] = p
	}
	return ps, nil
}

func (a andExp) bind(b *binder) (pred, *Error) {
	ps, err := bindAll(b, a)
	if err != nil {
		return nil, err
	}
	return func(r *Row) (tri, *Error) {
		res := triTrue
		for _, p := range ps {
			v, err := p(r)
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

func (o orExp) bind(b *binder) (pred, *Error) {
	ps, err := bindAll(b, o)
	if err != nil {
		return nil, err
	}
	return func(r *Row) (tri, *Error) {
		res := triFalse
		for _, p := range ps {
			v, err := p(r)
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

func (n notExp) bind(b *binder) (pred, *Error) {
	p, err := n.e.bind(b)
	if err != nil {
		return nil, err
	}
	return func(r *Row) (tri, *Error) {
		v, err := p(r)
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

// value is a typed column value: text for id and name, a timestamp for
// last_seen.
type value struct {
	text string
	ts   Timestamp
}

func isTimestampColumn(col string) bool { return col == "last_seen" }

func (b *binder) cast(col string, o operand) (value, *Error) {
	text := o.text
	if o.sessVar != "" {
		v, ok := b.vars[o.sessVar]
		if !ok {
			return value{}, newError("not-found", "$", "missing session variable: %q", o.sessVar)
		}
		text = v
	}
	return castText(col, text, b.now)
}

func castText(col, text string, now time.Time) (value, *Error) {
	if strings.ContainsRune(text, 0) {
		return value{}, newError(CodeDataException, "$", `invalid byte sequence for encoding "UTF8": 0x00`)
	}
	if !isTimestampColumn(col) {
		return value{text: text}, nil
	}
	ts, terr := parseTimestamp(text, now)
	if terr != nil {
		if terr.notEmulated {
			return value{}, notEmulated("$", "%s", terr.msg)
		}
		return value{}, newError(CodeDataException, "$", "%s", terr.msg)
	}
	return value{ts: ts}, nil
}

// columnValue returns the row's value of col; ok is false for NULL.
func columnValue(r *Row, col string) (value, bool) {
	switch col {
	case "id":
		return value{text: r.ID}, true
	case "name":
		if r.Name == nil {
			return value{}, false
		}
		return value{text: *r.Name}, true
	default:
		if r.LastSeen == nil {
			return value{}, false
		}
		return value{ts: *r.LastSeen}, true
	}
}

func compareValues(col string, a, b value) int {
	if isTimestampColumn(col) {
		return a.ts.compare(b.ts)
	}
	return strings.Compare(a.text, b.text)
}

func (c *cmpExp) bind(b *binder) (pred, *Error) {
	if c.op == "_is_null" {
		return func(r *Row) (tri, *Error) {
			_, ok := columnValue(r, c.col)
			return triOf(ok != c.isNull), nil
		}, nil
	}
	if c.op == "_in" || c.op == "_nin" {
		vals := make([]value, len(c.list))
		for i, o := range c.list {
			v, err := b.cast(c.col, o)
			if err != nil {
				return nil, err
			}
			vals[i] = v
		}
		want := c.op == "_in"
		return func(r *Row) (tri, *Error) {
			if len(vals) == 0 {
				return triOf(!want), nil
			}
			rv, ok := columnValue(r, c.col)
			if !ok {
				return triNull, nil
			}
			for _, v := range vals {
				if compareValues(c.col, rv, v) == 0 {
					return triOf(want), nil
				}
			}
			return triOf(!want), nil
		}, nil
	}
	v, err := b.cast(c.col, c.val)
	if err != nil {
		return nil, err
	}
	if cmp, ok := comparisons[c.op]; ok {
		return func(r *Row) (tri, *Error) {
			rv, ok := columnValue(r, c.col)
			if !ok {
				return triNull, nil
			}
			return triOf(cmp(compareValues(c.col, rv, v))), nil
		}, nil
	}
	// PostgreSQL compiles a pattern when the operator first meets a
	// non-NULL value, so an invalid pattern fails only then.
	var re *regexp.Regexp
	var reErr *Error
	negate := strings.HasPrefix(c.op, "_n")
	return func(r *Row) (tri, *Error) {
		rv, ok := columnValue(r, c.col)
		if !ok {
			return triNull, nil
		}
		if re == nil && reErr == nil {
			re, reErr = compilePattern(c.op, v.text)
		}
		if reErr != nil {
			return 0, reErr
		}
		return triOf(re.MatchString(rv.text) != negate), nil
	}, nil
}

var comparisons = map[string]func(int) bool{
	"_eq":  func(c int) bool { return c == 0 },
	"_neq": func(c int) bool { return c != 0 },
	"_gt":  func(c int) bool { return c > 0 },
	"_gte": func(c int) bool { return c >= 0 },
	"_lt":  func(c int) bool { return c < 0 },
	"_lte": func(c int) bool { return c <= 0 },
}

// compileMetadataBoolExp turns a permission's boolean expression, in the
// metadata's shape, into a boolExp. Strings that name an x-hasura-*
// session variable are read from the session when the expression is bound.
func compileMetadataBoolExp(m map[string]any) (boolExp, error) {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var out andExp
	for _, k := range keys {
		v := m[k]
		switch k {
		case "_and", "_or":
			list, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("%s must be a list", k)
			}
			var es []boolExp
			for _, item := range list {
				obj, ok := item.(map[string]any)
				if !ok {
					return nil, fmt.Errorf("%s items must be objects", k)
				}
				e, err := compileMetadataBoolExp(obj)
				if err != nil {
					return nil, err
				}
				es = append(es, e)
			}
			if k == "_and" {
				out = append(out, andExp(es))
			} else {
				out = append(out, orExp(es))
			}
		case "_not":
			obj, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("_not must be an object")
			}
			e, err := compileMetadataBoolExp(obj)
			if err != nil {
				return nil, err
			}
			out = append(out, notExp{e})
		default:
			ops, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("column %s needs an operator object", k)
			}
			for op, arg := range ops {
				c, err := metadataComparison(k, op, arg)
				if err != nil {
					return nil, err
				}
				out = append(out, c)
			}
		}
	}
	return out, nil
}

func metadataComparison(col, op string, arg any) (*cmpExp, error) {
	c := &cmpExp{col: col, op: op}
	switch op {
	case "_is_null":
		b, ok := arg.(bool)
		if !ok {
			return nil, fmt.Errorf("%s._is_null needs a boolean", col)
		}
		c.isNull = b
	case "_in", "_nin":
		list, ok := arg.([]any)
		if !ok {
			return nil, fmt.Errorf("%s.%s needs a list", col, op)
		}
		for _, item := range list {
			c.list = append(c.list, metadataOperand(item))
		}
	default:
		c.val = metadataOperand(arg)
	}
	return c, nil
}

func metadataOperand(v any) operand {
	s := fmt.Sprint(v)
	if strings.HasPrefix(strings.ToLower(s), "x-hasura-") {
		return operand{sessVar: strings.ToLower(s)}
	}
	return operand{text: s}
}
