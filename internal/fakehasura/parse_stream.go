package fakehasura

import "sort"

// streamArgs reads <t>_stream's batch_size, cursor and where.
func (a argReader) streamArgs(ti *tableInfo) (*streamArgs, *Error) {
	s := &streamArgs{}
	c := a.c
	if in, ok, err := a.present("where"); err != nil {
		return nil, err
	} else if ok {
		if s.where, err = c.boolExp(ti, in, a.path+".where"); err != nil {
			return nil, err
		}
	}
	in, err := a.required("cursor")
	if err != nil {
		return nil, err
	}
	cursorType := a.fd.Arguments.ForName("cursor").Type.Elem
	items, err := c.list(in, cursorType, a.path+".cursor")
	if err != nil {
		return nil, err
	}
	var cursors []*streamArgs
	for _, it := range items {
		if it.in.isNull() {
			continue
		}
		got, err := c.streamCursor(ti, it.in, cursorType.Name(), it.path)
		if err != nil {
			return nil, err
		}
		cursors = append(cursors, got...)
	}
	switch len(cursors) {
	case 0:
		return nil, validationError(a.path, "one streaming column field is expected")
	case 1:
	default:
		return nil, validationError(a.path, "multiple column cursors are not supported yet")
	}
	s.col, s.initial, s.desc = cursors[0].col, cursors[0].initial, cursors[0].desc
	bs, err := a.required("batch_size")
	if err != nil {
		return nil, err
	}
	if s.batchSize, err = c.limitValue(bs, a.path+".batch_size"); err != nil {
		return nil, err
	}
	return s, nil
}

func (c *opCtx) streamCursor(ti *tableInfo, in input, typeName, path string) ([]*streamArgs, *Error) {
	def := c.rs.def(typeName)
	fields, err := c.object(in, def, path)
	if err != nil {
		return nil, err
	}
	desc := false
	var initial []objField
	for _, f := range fields {
		switch f.name {
		case "ordering":
			if !f.in.isNull() {
				dir, err := c.enumValue(f.in, c.rs.def("cursor_ordering"), f.path)
				if err != nil {
					return nil, err
				}
				desc = dir == "DESC"
			}
		case "initial_value":
			if initial, err = c.object(f.in, c.rs.def(def.Fields.ForName(f.name).Type.Name()), f.path); err != nil {
				return nil, err
			}
		}
	}
	sort.SliceStable(initial, func(i, j int) bool { return ti.colIdx[initial[i].name] < ti.colIdx[initial[j].name] })
	var out []*streamArgs
	for _, f := range initial {
		ci := ti.col(f.name)
		v, err := c.columnOperand(ci.typ, f.in, true, f.path)
		if err != nil {
			return nil, err
		}
		out = append(out, &streamArgs{col: ci, initial: v, desc: desc})
	}
	if len(out) == 0 && fields != nil {
		hasInitial := false
		for _, f := range fields {
			hasInitial = hasInitial || f.name == "initial_value"
		}
		if !hasInitial {
			return nil, validationError(path+".initial_value", "missing required field 'initial_value'")
		}
	}
	return out, nil
}
