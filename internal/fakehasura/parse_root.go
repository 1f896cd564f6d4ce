package fakehasura

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// parseOperation parses the operation's root selection set against the
// role's schema, as Hasura's schema parsers do, producing the plan.
func (c *opCtx) parseOperation() ([]*rootField, *Error) {
	root := c.rs.rootType(c.op.Operation)
	cols, err := c.collectFields(root.Name, []ast.SelectionSet{c.op.SelectionSet}, "$.selectionSet")
	if err != nil {
		return nil, err
	}
	var out []*rootField
	introspects := false
	for _, col := range cols {
		f := col.field
		path := "$.selectionSet." + f.Name
		rf := &rootField{key: col.key, name: f.Name, path: path}
		switch {
		case f.Name == "__typename":
			rf.kind, rf.typename = rootTypename, root.Name
			out = append(out, rf)
			continue
		case (f.Name == "__schema" || f.Name == "__type") && c.op.Operation == ast.Query:
			rf.kind, introspects = rootIntrospection, true
			if rf.intro, err = c.introspectionField(f, col.sets, path); err != nil {
				return nil, err
			}
			out = append(out, rf)
			continue
		}
		fd := root.Fields.ForName(f.Name)
		if fd == nil || f.Name == "__schema" || f.Name == "__type" {
			return nil, validationError(path, "field '%s' not found in type: '%s'", f.Name, root.Name)
		}
		for _, a := range f.Arguments {
			if fd.Arguments.ForName(a.Name) == nil {
				return nil, validationError(path, "'%s' has no argument named '%s'", f.Name, a.Name)
			}
		}
		if err := c.parseRootField(rf, f, fd, col.sets); err != nil {
			return nil, err
		}
		out = append(out, rf)
	}
	// Hasura refuses introspection after it parsed the whole operation,
	// when it plans the introspection field's execution.
	if introspects && c.rs.noIntrospection {
		return nil, newError(CodeNotSupported, "$", "introspection is disabled for role: %q", c.rs.name)
	}
	return out, nil
}

func (c *opCtx) parseRootField(rf *rootField, f *ast.Field, fd *ast.FieldDefinition, sets []ast.SelectionSet) *Error {
	gen := c.rs.schema.Roots[c.op.Operation][f.Name]
	rf.kind = rootKinds[gen.Kind]
	if gen.Table != nil {
		rf.ti = c.cat.info(gen.Table)
	}
	args := argReader{c: c, f: f, fd: fd, path: rf.path + ".args"}
	var err *Error
	switch rf.kind {
	case rootNoQueries:
		if !allEmpty(sets) {
			return validationError(rf.path, "unexpected subselection set for non-object field")
		}
		return nil
	case rootSelect:
		rf.sel, err = args.selectArgs(rf.ti)
	case rootAggregate:
		rf.sel, err = args.selectArgs(rf.ti)
		if err == nil {
			rf.out, err = c.aggregateSelection(rf.ti, sets, rf.path)
		}
		return err
	case rootStream:
		rf.stream, err = args.streamArgs(rf.ti)
	case rootByPK, rootDeleteByPK:
		rf.pk, err = args.pkArgs(rf.ti)
	case rootInsert, rootInsertOne:
		rf.ins, err = args.insertArgs(rf.ti, rf.kind == rootInsertOne)
	case rootUpdate, rootUpdateByPK:
		var u *updateArgs
		u, err = args.updateArgs(rf.ti, rf.kind == rootUpdateByPK)
		rf.upd = []*updateArgs{u}
	case rootUpdateMany:
		rf.upd, err = args.updatesArg(rf.ti)
	case rootDelete:
		rf.del, err = args.requiredBoolExp(rf.ti, "where")
	}
	if err != nil {
		return err
	}
	if rf.kind >= rootInsert && rf.kind <= rootDeleteByPK && rf.ti.isView() {
		return notEmulated(rf.path, "mutations of views (%s)", f.Name)
	}
	if fd.Type.Name() == rf.ti.gql+"_mutation_response" {
		rf.out, err = c.mutationResponseSelection(rf.ti, sets, rf.path)
	} else {
		rf.out, err = c.tableSelection(rf.ti, sets, rf.path)
	}
	return err
}

func allEmpty(sets []ast.SelectionSet) bool {
	for _, s := range sets {
		if len(s) > 0 {
			return false
		}
	}
	return true
}
