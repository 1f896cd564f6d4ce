package fakehasura

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// argReader parses one root field's arguments. path ends in ".args".
type argReader struct {
	c    *opCtx
	f    *ast.Field
	fd   *ast.FieldDefinition
	path string
}

func (a argReader) arg(name string) (in input, given bool, err *Error) {
	arg := a.f.Arguments.ForName(name)
	if arg == nil {
		return input{}, false, nil
	}
	def := a.fd.Arguments.ForName(name)
	in, err = a.c.resolve(literal(arg.Value), def.Type, def.DefaultValue != nil, a.path+"."+name)
	return in, true, err
}

func (a argReader) required(name string) (input, *Error) {
	in, ok, err := a.arg(name)
	if err == nil && !ok {
		err = validationError(a.path+"."+name, "missing required field '%s'", name)
	}
	return in, err
}

func (a argReader) columnArg(name, scalar string) (*string, *Error) {
	in, err := a.required(name)
	if err != nil {
		return nil, err
	}
	return a.c.columnText(in, scalar, false, a.path+"."+name)
}

func (a argReader) requiredBoolExp(name string) (boolExp, *Error) {
	in, err := a.required(name)
	if err != nil {
		return nil, err
	}
	return a.c.boolExp(in, a.path+"."+name)
}

// selectArgs reads where, order_by, limit, offset and distinct_on, in the
// order Hasura's parser reads them.
func (a argReader) selectArgs() (*selectArgs, *Error) {
	s := &selectArgs{}
	c := a.c
	if in, ok, err := a.arg("where"); err != nil {
		return nil, err
	} else if ok && !in.isNull() {
		if s.where, err = c.boolExp(in, a.path+".where"); err != nil {
			return nil, err
		}
	}
	if in, ok, err := a.arg("order_by"); err != nil {
		return nil, err
	} else if ok && !in.isNull() {
		if s.orderBy, err = c.orderBy(in, a.fd.Arguments.ForName("order_by").Type.Elem, a.path+".order_by"); err != nil {
			return nil, err
		}
	}
	if in, ok, err := a.arg("limit"); err != nil {
		return nil, err
	} else if ok && !in.isNull() {
		n, err := c.limitValue(in, a.path+".limit")
		if err != nil {
			return nil, err
		}
		s.limit = &n
	}
	if in, ok, err := a.arg("offset"); err != nil {
		return nil, err
	} else if ok && !in.isNull() {
		n, err := c.offsetValue(in, a.path+".offset")
		if err != nil {
			return nil, err
		}
		s.offset = &n
	}
	if in, ok, err := a.arg("distinct_on"); err != nil {
		return nil, err
	} else if ok && !in.isNull() {
		elem := a.fd.Arguments.ForName("distinct_on").Type.Elem
		items, err := c.list(in, elem, a.path+".distinct_on")
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			col, err := c.enumValue(it.in, c.rs.def(elem.Name()), it.path)
			if err != nil {
				return nil, err
			}
			s.distinct = append(s.distinct, col)
		}
	}
	if len(s.distinct) > 0 && len(s.orderBy) > 0 && !distinctMatchesOrder(s.distinct, s.orderBy) {
		return nil, validationError(a.path, `"distinct_on" columns must match initial "order_by" columns`)
	}
	return s, nil
}

func distinctMatchesOrder(distinct []string, order []orderItem) bool {
	if len(order) < len(distinct) {
		return false
	}
	initial := map[string]bool{}
	for _, o := range order[:len(distinct)] {
		initial[o.col] = true
	}
	for _, d := range distinct {
		if !initial[d] {
			return false
		}
	}
	return true
}

// orderBy reads a list of users_order_by objects. Hasura does not keep the
// order of the keys inside one object: it reads them in its column order,
// which the SDL's field order (id, last_seen, name) reproduces.
func (c *opCtx) orderBy(in input, elem *ast.Type, path string) ([]orderItem, *Error) {
	items, err := c.list(in, elem, path)
	if err != nil {
		return nil, err
	}
	def := c.rs.def(elem.Name())
	dirDef := c.rs.def("order_by")
	var out []orderItem
	for _, it := range items {
		fields, err := c.object(it.in, def, it.path)
		if err != nil {
			return nil, err
		}
		byName := map[string]objField{}
		for _, f := range fields {
			byName[f.name] = f
		}
		for _, fd := range def.Fields {
			f, ok := byName[fd.Name]
			if !ok || f.in.isNull() {
				continue
			}
			dir, err := c.enumValue(f.in, dirDef, f.path)
			if err != nil {
				return nil, err
			}
			item := orderItem{col: fd.Name}
			switch dir {
			case "asc_nulls_first":
				item.nullsFirst = true
			case "desc", "desc_nulls_first":
				item.desc, item.nullsFirst = true, true
			case "desc_nulls_last":
				item.desc = true
			}
			out = append(out, item)
		}
	}
	return out, nil
}

// boolExp reads a users_bool_exp.
func (c *opCtx) boolExp(in input, path string) (boolExp, *Error) {
	def := c.rs.def("users_bool_exp")
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	out := andExp{}
	for _, f := range fields {
		fd := def.Fields.ForName(f.name)
		switch f.name {
		case "_and", "_or":
			items, err := c.list(f.in, fd.Type.Elem, f.path)
			if err != nil {
				return nil, err
			}
			var sub []boolExp
			for _, it := range items {
				e, err := c.boolExp(it.in, it.path)
				if err != nil {
					return nil, err
				}
				sub = append(sub, e)
			}
			if f.name == "_and" {
				out = append(out, andExp(sub))
			} else {
				out = append(out, orExp(sub))
			}
		case "_not":
			e, err := c.boolExp(f.in, f.path)
			if err != nil {
				return nil, err
			}
			out = append(out, notExp{e})
		default:
			ops, err := c.comparison(f.name, c.rs.def(fd.Type.Name()), f.in, f.path)
			if err != nil {
				return nil, err
			}
			out = append(out, ops...)
		}
	}
	return out, nil
}

// comparison reads a String_comparison_exp or timestamp_comparison_exp on
// column col.
func (c *opCtx) comparison(col string, def *ast.Definition, in input, path string) ([]boolExp, *Error) {
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	scalar := "String"
	if isTimestampColumn(col) {
		scalar = "timestamp"
	}
	var out []boolExp
	for _, f := range fields {
		e := &cmpExp{col: col, op: f.name}
		switch f.name {
		case "_is_null":
			b, err := c.boolValue(f.in, f.path)
			if err != nil {
				return nil, err
			}
			e.isNull = b
		case "_in", "_nin":
			items, err := c.list(f.in, def.Fields.ForName(f.name).Type.Elem, f.path)
			if err != nil {
				return nil, err
			}
			e.list = []operand{}
			for _, it := range items {
				t, err := c.columnText(it.in, scalar, false, it.path)
				if err != nil {
					return nil, err
				}
				e.list = append(e.list, operand{text: *t})
			}
		default:
			t, err := c.columnText(f.in, scalar, false, f.path)
			if err != nil {
				return nil, err
			}
			e.val = operand{text: *t}
		}
		out = append(out, e)
	}
	return out, nil
}
