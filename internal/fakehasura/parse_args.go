package fakehasura

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// argReader parses one field's arguments. path ends in ".args".
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

// present returns an argument that was given and is not null.
func (a argReader) present(name string) (input, bool, *Error) {
	in, ok, err := a.arg(name)
	return in, ok && err == nil && !in.isNull(), err
}

func (a argReader) required(name string) (input, *Error) {
	in, ok, err := a.arg(name)
	if err == nil && !ok {
		err = validationError(a.path+"."+name, "missing required field '%s'", name)
	}
	return in, err
}

func (a argReader) requiredBoolExp(ti *tableInfo, name string) (boolExp, *Error) {
	in, err := a.required(name)
	if err != nil {
		return nil, err
	}
	return a.c.boolExp(ti, in, a.path+"."+name)
}

// pkArgs reads the primary key columns of <t>_by_pk and delete_<t>_by_pk.
func (a argReader) pkArgs(ti *tableInfo) ([]pkValue, *Error) {
	var out []pkValue
	for _, i := range ti.pk().cols {
		ci := ti.cols[i]
		in, err := a.required(ci.Name)
		if err != nil {
			return nil, err
		}
		v, err := a.c.columnOperand(ci.typ, in, false, a.path+"."+ci.Name)
		if err != nil {
			return nil, err
		}
		out = append(out, pkValue{col: ci, val: v})
	}
	return out, nil
}

// selectArgs reads where, order_by, limit, offset and distinct_on, in the
// order Hasura's parser reads them.
func (a argReader) selectArgs(ti *tableInfo) (*selectArgs, *Error) {
	s := &selectArgs{}
	c := a.c
	if in, ok, err := a.present("where"); err != nil {
		return nil, err
	} else if ok {
		if s.where, err = c.boolExp(ti, in, a.path+".where"); err != nil {
			return nil, err
		}
	}
	if in, ok, err := a.present("order_by"); err != nil {
		return nil, err
	} else if ok {
		if s.orderBy, err = c.orderBy(ti, in, a.fd.Arguments.ForName("order_by").Type.Elem, a.path+".order_by"); err != nil {
			return nil, err
		}
	}
	if in, ok, err := a.present("limit"); err != nil {
		return nil, err
	} else if ok {
		n, err := c.limitValue(in, a.path+".limit")
		if err != nil {
			return nil, err
		}
		s.limit = &n
	}
	if in, ok, err := a.present("offset"); err != nil {
		return nil, err
	} else if ok {
		n, err := c.offsetValue(in, a.path+".offset")
		if err != nil {
			return nil, err
		}
		s.offset = &n
	}
	if in, ok, err := a.present("distinct_on"); err != nil {
		return nil, err
	} else if ok {
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
			s.distinct = append(s.distinct, ti.col(col))
		}
	}
	if len(s.distinct) > 0 && len(s.orderBy) > 0 && !distinctMatchesOrder(s.distinct, s.orderBy) {
		return nil, validationError(a.path, `"distinct_on" columns must match initial "order_by" columns`)
	}
	return s, nil
}

func distinctMatchesOrder(distinct []*colInfo, order []orderItem) bool {
	if len(order) < len(distinct) {
		return false
	}
	initial := map[*colInfo]bool{}
	for _, o := range order[:len(distinct)] {
		if len(o.path) == 0 && o.agg == nil {
			initial[o.col] = true
		}
	}
	for _, d := range distinct {
		if !initial[d] {
			return false
		}
	}
	return true
}

// orderBy reads a list of <t>_order_by objects. Hasura does not keep the
// order of the keys inside one object: it reads them in the order of the
// type's fields.
func (c *opCtx) orderBy(ti *tableInfo, in input, elem *ast.Type, path string) ([]orderItem, *Error) {
	items, err := c.list(in, elem, path)
	if err != nil {
		return nil, err
	}
	var out []orderItem
	for _, it := range items {
		o, err := c.orderObject(ti, it.in, ti.gql+"_order_by", it.path)
		if err != nil {
			return nil, err
		}
		out = append(out, o...)
	}
	return out, nil
}

func (c *opCtx) orderObject(ti *tableInfo, in input, typeName, path string) ([]orderItem, *Error) {
	def := c.rs.def(typeName)
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	byName := map[string]objField{}
	for _, f := range fields {
		byName[f.name] = f
	}
	var out []orderItem
	for _, fd := range def.Fields {
		f, ok := byName[fd.Name]
		if !ok || f.in.isNull() {
			continue
		}
		if ci := ti.col(fd.Name); ci != nil {
			item, err := c.direction(f)
			if err != nil {
				return nil, err
			}
			item.col = ci
			out = append(out, item)
			continue
		}
		if rel := ti.t.Relationship(fd.Name); rel != nil {
			remote := c.cat.info(rel.Remote)
			sub, err := c.orderObject(remote, f.in, remote.gql+"_order_by", f.path)
			if err != nil {
				return nil, err
			}
			for _, s := range sub {
				s.path = append([]*hasuraproject.Relationship{rel}, s.path...)
				out = append(out, s)
			}
			continue
		}
		rel := ti.t.Relationship(strings.TrimSuffix(fd.Name, "_aggregate"))
		sub, err := c.aggregateOrder(c.cat.info(rel.Remote), f.in, f.path)
		if err != nil {
			return nil, err
		}
		for _, s := range sub {
			s.agg.rel = rel
			out = append(out, s)
		}
	}
	return out, nil
}

// aggregateOrder reads <remote>_aggregate_order_by: count, or a function
// over columns.
func (c *opCtx) aggregateOrder(remote *tableInfo, in input, path string) ([]orderItem, *Error) {
	def := c.rs.def(remote.gql + "_aggregate_order_by")
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	byName := map[string]objField{}
	for _, f := range fields {
		byName[f.name] = f
	}
	var out []orderItem
	for _, fd := range def.Fields {
		f, ok := byName[fd.Name]
		if !ok || f.in.isNull() {
			continue
		}
		if fd.Name == "count" {
			item, err := c.direction(f)
			if err != nil {
				return nil, err
			}
			item.agg = &orderAgg{op: "count"}
			out = append(out, item)
			continue
		}
		if !emulatedAggregates[fd.Name] {
			return nil, notEmulated(f.path, "ordering by the aggregate %s", fd.Name)
		}
		opDef := c.rs.def(fd.Type.Name())
		cols, err := c.object(f.in, opDef, f.path)
		if err != nil {
			return nil, err
		}
		byCol := map[string]objField{}
		for _, cf := range cols {
			byCol[cf.name] = cf
		}
		for _, cd := range opDef.Fields {
			cf, ok := byCol[cd.Name]
			if !ok || cf.in.isNull() {
				continue
			}
			item, err := c.direction(cf)
			if err != nil {
				return nil, err
			}
			item.agg = &orderAgg{op: fd.Name, col: remote.col(cd.Name)}
			out = append(out, item)
		}
	}
	return out, nil
}

func (c *opCtx) direction(f objField) (orderItem, *Error) {
	dir, err := c.enumValue(f.in, c.rs.def("order_by"), f.path)
	if err != nil {
		return orderItem{}, err
	}
	var item orderItem
	switch dir {
	case "asc_nulls_first":
		item.nullsFirst = true
	case "desc", "desc_nulls_first":
		item.desc, item.nullsFirst = true, true
	case "desc_nulls_last":
		item.desc = true
	}
	return item, nil
}

// jsonPath reads the path argument of a json or jsonb column.
func (a argReader) jsonPath() ([]string, *Error) {
	in, ok, err := a.present("path")
	if err != nil || !ok {
		return nil, err
	}
	s, isStr := in.str()
	if !isStr {
		return nil, validationError(a.path+".path", "expected a string for type 'String', but found %s", in.describe())
	}
	if !strings.HasPrefix(s, "$") {
		s = "$." + s
	}
	steps, perr := parseJSONPath(s)
	if perr != nil {
		return nil, validationError(a.path+".path", "parse json path error: %s", perr.Error())
	}
	return steps, nil
}

// countArgs reads count's columns and distinct.
func (a argReader) countArgs(ti *tableInfo) ([]*colInfo, bool, *Error) {
	var cols []*colInfo
	if in, ok, err := a.present("columns"); err != nil {
		return nil, false, err
	} else if ok {
		elem := a.fd.Arguments.ForName("columns").Type.Elem
		items, err := a.c.list(in, elem, a.path+".columns")
		if err != nil {
			return nil, false, err
		}
		for _, it := range items {
			name, err := a.c.enumValue(it.in, a.c.rs.def(elem.Name()), it.path)
			if err != nil {
				return nil, false, err
			}
			cols = append(cols, ti.col(name))
		}
	}
	distinct := false
	if in, ok, err := a.present("distinct"); err != nil {
		return nil, false, err
	} else if ok {
		if distinct, err = a.c.boolValue(in, a.path+".distinct"); err != nil {
			return nil, false, err
		}
	}
	return cols, distinct, nil
}
