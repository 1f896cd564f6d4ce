package fakehasura

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

func (a argReader) insertArgs(ti *tableInfo, one bool) (*insertArgs, *Error) {
	name := "objects"
	if one {
		name = "object"
	}
	in, err := a.required(name)
	if err != nil {
		return nil, err
	}
	path := a.path + "." + name
	ins, err := a.c.insertData(ti, in, a.fd.Arguments.ForName(name).Type, path)
	if err != nil {
		return nil, err
	}
	oc, ok, err := a.present("on_conflict")
	if err != nil {
		return nil, err
	}
	if ok {
		if ins.onConflict, err = a.c.onConflict(ti, oc, a.path+".on_conflict"); err != nil {
			return nil, err
		}
	}
	return ins, nil
}

// insertData reads the rows of an insert: one <t>_insert_input, or a list
// of them when typ is a list.
func (c *opCtx) insertData(ti *tableInfo, in input, typ *ast.Type, path string) (*insertArgs, *Error) {
	ins := &insertArgs{path: path}
	if typ.Elem == nil {
		obj, err := c.insertObject(ti, in, path)
		if err != nil {
			return nil, err
		}
		ins.objects = []*insertObject{obj}
		return ins, nil
	}
	items, err := c.list(in, typ.Elem, path)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		obj, err := c.insertObject(ti, it.in, it.path)
		if err != nil {
			return nil, err
		}
		ins.objects = append(ins.objects, obj)
	}
	return ins, nil
}

// insertObject reads a <t>_insert_input: column values (any may be NULL)
// and nested inserts through relationships.
func (c *opCtx) insertObject(ti *tableInfo, in input, path string) (*insertObject, *Error) {
	def := c.rs.def(ti.gql + "_insert_input")
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	obj := &insertObject{cols: []colValue{}}
	for _, f := range fields {
		if ci := ti.col(f.name); ci != nil {
			v, err := c.columnOperand(ci.typ, f.in, true, f.path)
			if err != nil {
				return nil, err
			}
			obj.cols = append(obj.cols, colValue{col: ci, val: v})
			continue
		}
		if f.in.isNull() {
			continue
		}
		rel := ti.t.Relationship(f.name)
		remote := c.cat.info(rel.Remote)
		relDef := c.rs.def(def.Fields.ForName(f.name).Type.Name())
		parts, err := c.object(f.in, relDef, f.path)
		if err != nil {
			return nil, err
		}
		n := &nestedInsert{rel: rel}
		var oc *onConflict
		for _, p := range parts {
			switch p.name {
			case "data":
				if n.ins, err = c.insertData(remote, p.in, relDef.Fields.ForName("data").Type, p.path); err != nil {
					return nil, err
				}
			case "on_conflict":
				if !p.in.isNull() {
					if oc, err = c.onConflict(remote, p.in, p.path); err != nil {
						return nil, err
					}
				}
			}
		}
		if n.ins == nil {
			return nil, validationError(f.path+".data", "missing required field 'data'")
		}
		n.ins.onConflict = oc
		obj.nested = append(obj.nested, n)
	}
	return obj, nil
}

func (c *opCtx) onConflict(ti *tableInfo, in input, path string) (*onConflict, *Error) {
	def := c.rs.def(ti.gql + "_on_conflict")
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	oc := &onConflict{}
	for _, f := range fields {
		switch f.name {
		case "constraint":
			name, err := c.enumValue(f.in, c.rs.def(ti.gql+"_constraint"), f.path)
			if err != nil {
				return nil, err
			}
			for i := range ti.keys {
				if ti.keys[i].name == name {
					oc.key = &ti.keys[i]
				}
			}
		case "update_columns":
			elem := def.Fields.ForName(f.name).Type.Elem
			items, err := c.list(f.in, elem, f.path)
			if err != nil {
				return nil, err
			}
			for _, it := range items {
				col, err := c.enumValue(it.in, c.rs.def(elem.Name()), it.path)
				if err != nil {
					return nil, err
				}
				oc.updateColumns = append(oc.updateColumns, ti.col(col))
			}
		case "where":
			if !f.in.isNull() {
				if oc.where, err = c.boolExp(ti, f.in, f.path); err != nil {
					return nil, err
				}
			}
		}
	}
	if oc.key == nil {
		return nil, validationError(path+".constraint", "missing required field 'constraint'")
	}
	return oc, nil
}

func (a argReader) updateArgs(ti *tableInfo, byPK bool) (*updateArgs, *Error) {
	u := &updateArgs{}
	if byPK {
		in, err := a.required("pk_columns")
		if err != nil {
			return nil, err
		}
		if u.pk, err = a.c.pkColumns(ti, in, a.path+".pk_columns"); err != nil {
			return nil, err
		}
	} else {
		var err *Error
		if u.where, err = a.requiredBoolExp(ti, "where"); err != nil {
			return nil, err
		}
	}
	ops := map[string]input{}
	for _, name := range updateOperators {
		if in, ok, err := a.present(name); err != nil {
			return nil, err
		} else if ok {
			ops[name] = in
		}
	}
	return u, a.c.updateOps(ti, u, ops, a.fd.Arguments, a.path)
}

// updateOperators are Hasura's, in the order it lists them.
var updateOperators = []string{"_set", "_inc", "_prepend", "_append", "_delete_key", "_delete_elem", "_delete_at_path"}

// updateOps reads the operators of one update. Hasura refuses an update
// without any, unless the update permission presets a column, and a
// column set by two of them.
func (c *opCtx) updateOps(ti *tableInfo, u *updateArgs, ops map[string]input, defs ast.ArgumentDefinitionList, argsPath string) *Error {
	var allowed []string
	for _, name := range updateOperators {
		if defs.ForName(name) != nil {
			allowed = append(allowed, name)
		}
	}
	if len(ops) == 0 {
		if p := c.rs.perm(ti); p != nil && len(p.updPresets) > 0 {
			return nil
		}
		return validationError(argsPath, "at least any one of %s is expected", strings.Join(allowed, ", "))
	}
	byCol := map[string][]string{}
	for _, name := range allowed {
		in, ok := ops[name]
		if !ok {
			continue
		}
		if name != "_set" && name != "_inc" {
			return notEmulated(argsPath+"."+name, "the update operator %s", name)
		}
		vals, err := c.columnObject(ti, in, c.rs.def(defs.ForName(name).Type.Name()), argsPath+"."+name)
		if err != nil {
			return err
		}
		for _, v := range vals {
			byCol[v.col.Name] = append(byCol[v.col.Name], name)
		}
		if name == "_set" {
			u.set = vals
		} else {
			u.inc = vals
		}
	}
	var dups []string
	for _, col := range sortedKeys(byCol) {
		if len(byCol[col]) > 1 {
			dups = append(dups, `"`+col+`" in `+strings.Join(byCol[col], ", "))
		}
	}
	if len(dups) > 0 {
		return validationError(argsPath, "column found in multiple operators; %s", strings.Join(dups, ". "))
	}
	if len(u.set) == 0 && len(u.inc) == 0 {
		if p := c.rs.perm(ti); p == nil || len(p.updPresets) == 0 {
			return notEmulated(argsPath, "an update whose operators are empty")
		}
	}
	return nil
}

// columnObject reads a <t>_set_input or <t>_inc_input: every column value
// of _set may be NULL.
func (c *opCtx) columnObject(ti *tableInfo, in input, def *ast.Definition, path string) ([]colValue, *Error) {
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	out := []colValue{}
	for _, f := range fields {
		ci := ti.col(f.name)
		v, err := c.columnOperand(ci.typ, f.in, true, f.path)
		if err != nil {
			return nil, err
		}
		out = append(out, colValue{col: ci, val: v})
	}
	return out, nil
}

func (c *opCtx) pkColumns(ti *tableInfo, in input, path string) ([]pkValue, *Error) {
	fields, err := c.object(in, c.rs.def(ti.gql+"_pk_columns_input"), path)
	if err != nil {
		return nil, err
	}
	byName := map[string]objField{}
	for _, f := range fields {
		byName[f.name] = f
	}
	var out []pkValue
	for _, i := range ti.pk().cols {
		ci := ti.cols[i]
		f, ok := byName[ci.Name]
		if !ok {
			return nil, validationError(path+"."+ci.Name, "missing required field '%s'", ci.Name)
		}
		v, err := c.columnOperand(ci.typ, f.in, false, f.path)
		if err != nil {
			return nil, err
		}
		out = append(out, pkValue{col: ci, val: v})
	}
	return out, nil
}

func (a argReader) updatesArg(ti *tableInfo) ([]*updateArgs, *Error) {
	in, err := a.required("updates")
	if err != nil {
		return nil, err
	}
	elem := a.fd.Arguments.ForName("updates").Type.Elem
	items, err := a.c.list(in, elem, a.path+".updates")
	if err != nil {
		return nil, err
	}
	def := a.c.rs.def(elem.Name())
	var defs ast.ArgumentDefinitionList
	for _, fd := range def.Fields {
		defs = append(defs, &ast.ArgumentDefinition{Name: fd.Name, Type: fd.Type})
	}
	var out []*updateArgs
	for _, it := range items {
		fields, err := a.c.object(it.in, def, it.path)
		if err != nil {
			return nil, err
		}
		u := &updateArgs{}
		ops := map[string]input{}
		hasWhere := false
		for _, f := range fields {
			switch {
			case f.name == "where":
				hasWhere = true
				if u.where, err = a.c.boolExp(ti, f.in, f.path); err != nil {
					return nil, err
				}
			case !f.in.isNull():
				ops[f.name] = f.in
			}
		}
		if !hasWhere {
			return nil, validationError(it.path+".where", "missing required field 'where'")
		}
		if err := a.c.updateOps(ti, u, ops, defs, it.path); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}
