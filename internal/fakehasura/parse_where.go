package fakehasura

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// boolExp reads a <t>_bool_exp.
func (c *opCtx) boolExp(ti *tableInfo, in input, path string) (boolExp, *Error) {
	def := c.rs.def(ti.gql + "_bool_exp")
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
				e, err := c.boolExp(ti, it.in, it.path)
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
			continue
		case "_not":
			e, err := c.boolExp(ti, f.in, f.path)
			if err != nil {
				return nil, err
			}
			out = append(out, notExp{e})
			continue
		}
		if ci := ti.col(f.name); ci != nil {
			ops, err := c.comparison(ci.Name, ci.typ, c.rs.def(fd.Type.Name()), f.in, f.path)
			if err != nil {
				return nil, err
			}
			for _, op := range ops {
				out = append(out, op)
			}
			continue
		}
		if rel := ti.t.Relationship(f.name); rel != nil {
			e, err := c.boolExp(c.cat.info(rel.Remote), f.in, f.path)
			if err != nil {
				return nil, err
			}
			out = append(out, relExp{rel: rel, e: e, applyPerm: true})
			continue
		}
		rel := ti.t.Relationship(strings.TrimSuffix(f.name, "_aggregate"))
		e, err := c.aggregatePredicates(rel, c.rs.def(fd.Type.Name()), f.in, f.path)
		if err != nil {
			return nil, err
		}
		out = append(out, e...)
	}
	return out, nil
}

// comparison reads a <scalar>_comparison_exp on column col of type ct.
func (c *opCtx) comparison(col string, ct colType, def *ast.Definition, in input, path string) ([]*cmpExp, *Error) {
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	text := colType{name: "text"}
	var out []*cmpExp
	for _, f := range fields {
		e := &cmpExp{col: col, op: f.name}
		switch f.name {
		case "_is_null":
			if e.isNull, err = c.boolValue(f.in, f.path); err != nil {
				return nil, err
			}
		case "_in", "_nin", "_has_keys_any", "_has_keys_all":
			elem := ct
			if strings.HasPrefix(f.name, "_has") {
				elem = text
			}
			items, err := c.list(f.in, def.Fields.ForName(f.name).Type.Elem, f.path)
			if err != nil {
				return nil, err
			}
			e.list = []operand{}
			for _, it := range items {
				o, err := c.columnOperand(elem, it.in, false, it.path)
				if err != nil {
					return nil, err
				}
				e.list = append(e.list, o)
			}
		case "_has_key":
			if e.val, err = c.columnOperand(text, f.in, false, f.path); err != nil {
				return nil, err
			}
		case "_cast":
			castDef := c.rs.def(def.Fields.ForName("_cast").Type.Name())
			casts, err := c.object(f.in, castDef, f.path)
			if err != nil {
				return nil, err
			}
			for _, cf := range casts {
				sub, err := c.comparison(col, text, c.rs.def(castDef.Fields.ForName(cf.name).Type.Name()), cf.in, cf.path)
				if err != nil {
					return nil, err
				}
				e.cast = append(e.cast, sub...)
			}
		default:
			if e.val, err = c.columnOperand(ct, f.in, false, f.path); err != nil {
				return nil, err
			}
		}
		out = append(out, e)
	}
	return out, nil
}

// aggregatePredicates reads <remote>_aggregate_bool_exp: count, bool_and
// and bool_or over the rows an array relationship reaches.
func (c *opCtx) aggregatePredicates(rel *hasuraproject.Relationship, def *ast.Definition, in input, path string) ([]boolExp, *Error) {
	remote := c.cat.info(rel.Remote)
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	var out []boolExp
	for _, f := range fields {
		fnDef := c.rs.def(def.Fields.ForName(f.name).Type.Name())
		args, err := c.object(f.in, fnDef, f.path)
		if err != nil {
			return nil, err
		}
		e := &aggPredExp{rel: rel, fn: f.name}
		hasPredicate := false
		for _, a := range args {
			fd := fnDef.Fields.ForName(a.name)
			switch a.name {
			case "arguments":
				if a.in.isNull() {
					continue
				}
				items, err := c.list(a.in, fd.Type, a.path)
				if err != nil {
					return nil, err
				}
				enum := c.rs.def(fd.Type.Name())
				for _, it := range items {
					name, err := c.enumValue(it.in, enum, it.path)
					if err != nil {
						return nil, err
					}
					e.cols = append(e.cols, remote.col(name))
				}
			case "distinct":
				if !a.in.isNull() {
					if e.distinct, err = c.boolValue(a.in, a.path); err != nil {
						return nil, err
					}
				}
			case "filter":
				if !a.in.isNull() {
					if e.filter, err = c.boolExp(remote, a.in, a.path); err != nil {
						return nil, err
					}
				}
			case "predicate":
				hasPredicate = true
				ct := colType{name: "int4"}
				if f.name != "count" {
					ct = colType{name: "bool"}
				}
				if e.preds, err = c.comparison("", ct, c.rs.def(fd.Type.Name()), a.in, a.path); err != nil {
					return nil, err
				}
			}
		}
		if !hasPredicate {
			return nil, validationError(f.path+".predicate", "missing required field 'predicate'")
		}
		out = append(out, e)
	}
	return out, nil
}
