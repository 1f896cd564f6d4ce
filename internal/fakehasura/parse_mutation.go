package fakehasura

import (
	"github.com/vektah/gqlparser/v2/ast"
)

func (a argReader) insertArgs(one bool) (*insertArgs, *Error) {
	name := "objects"
	if one {
		name = "object"
	}
	in, err := a.required(name)
	if err != nil {
		return nil, err
	}
	ins := &insertArgs{path: a.path + "." + name}
	def := a.c.rs.def("users_insert_input")
	if one {
		obj, err := a.c.columnObject(in, def, ins.path)
		if err != nil {
			return nil, err
		}
		ins.objects = [][]colValue{obj}
	} else {
		items, err := a.c.list(in, a.fd.Arguments.ForName(name).Type.Elem, ins.path)
		if err != nil {
			return nil, err
		}
		for _, it := range items {
			obj, err := a.c.columnObject(it.in, def, it.path)
			if err != nil {
				return nil, err
			}
			ins.objects = append(ins.objects, obj)
		}
	}
	oc, ok, err := a.arg("on_conflict")
	if err != nil {
		return nil, err
	}
	if ok && !oc.isNull() {
		if ins.onConflict, err = a.c.onConflict(oc, a.path+".on_conflict"); err != nil {
			return nil, err
		}
	}
	return ins, nil
}

// columnObject reads a users_insert_input or users_set_input: every column
// value may be NULL.
func (c *opCtx) columnObject(in input, def *ast.Definition, path string) ([]colValue, *Error) {
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	out := []colValue{}
	for _, f := range fields {
		scalar := def.Fields.ForName(f.name).Type.Name()
		t, err := c.columnText(f.in, scalar, true, f.path)
		if err != nil {
			return nil, err
		}
		out = append(out, colValue{col: f.name, text: t})
	}
	return out, nil
}

func (c *opCtx) onConflict(in input, path string) (*onConflict, *Error) {
	def := c.rs.def("users_on_conflict")
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	oc := &onConflict{}
	hasConstraint := false
	for _, f := range fields {
		switch f.name {
		case "constraint":
			if _, err := c.enumValue(f.in, c.rs.def("users_constraint"), f.path); err != nil {
				return nil, err
			}
			hasConstraint = true
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
				oc.updateColumns = append(oc.updateColumns, col)
			}
		case "where":
			if !f.in.isNull() {
				if oc.where, err = c.boolExp(f.in, f.path); err != nil {
					return nil, err
				}
			}
		}
	}
	if !hasConstraint {
		return nil, validationError(path+".constraint", "missing required field 'constraint'")
	}
	return oc, nil
}

func (a argReader) updateArgs(byPK bool) (*updateArgs, *Error) {
	u := &updateArgs{}
	if byPK {
		in, err := a.required("pk_columns")
		if err != nil {
			return nil, err
		}
		if u.pk, err = a.c.pkColumns(in, a.path+".pk_columns"); err != nil {
			return nil, err
		}
	} else {
		var err *Error
		if u.where, err = a.requiredBoolExp("where"); err != nil {
			return nil, err
		}
	}
	set, ok, err := a.arg("_set")
	if err != nil {
		return nil, err
	}
	if u.set, err = a.c.setArg(set, ok, a.path); err != nil {
		return nil, err
	}
	return u, nil
}

func (c *opCtx) pkColumns(in input, path string) (*string, *Error) {
	fields, err := c.object(in, c.rs.def("users_pk_columns_input"), path)
	if err != nil {
		return nil, err
	}
	for _, f := range fields {
		if f.name == "id" {
			return c.columnText(f.in, "String", false, f.path)
		}
	}
	return nil, validationError(path+".id", "missing required field 'id'")
}

// setArg reads _set. Hasura refuses an update without any update operator;
// for users, whose columns are text and timestamp, _set is the only one.
func (c *opCtx) setArg(in input, given bool, argsPath string) ([]colValue, *Error) {
	if !given || in.isNull() {
		return nil, validationError(argsPath, "at least any one of _set is expected")
	}
	set, err := c.columnObject(in, c.rs.def("users_set_input"), argsPath+"._set")
	if err != nil {
		return nil, err
	}
	if len(set) == 0 {
		return nil, notEmulated(argsPath+"._set", "an update whose _set is empty")
	}
	return set, nil
}

func (a argReader) updatesArg() ([]*updateArgs, *Error) {
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
	var out []*updateArgs
	for _, it := range items {
		fields, err := a.c.object(it.in, def, it.path)
		if err != nil {
			return nil, err
		}
		u := &updateArgs{}
		var set input
		var hasSet, hasWhere bool
		for _, f := range fields {
			switch f.name {
			case "where":
				hasWhere = true
				if u.where, err = a.c.boolExp(f.in, f.path); err != nil {
					return nil, err
				}
			case "_set":
				set, hasSet = f.in, true
			}
		}
		if !hasWhere {
			return nil, validationError(it.path+".where", "missing required field 'where'")
		}
		if u.set, err = a.c.setArg(set, hasSet, it.path); err != nil {
			return nil, err
		}
		out = append(out, u)
	}
	return out, nil
}
