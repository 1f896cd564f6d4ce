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
	for _, col := range cols {
		f := col.field
		path := "$.selectionSet." + f.Name
		rf := &rootField{key: col.key, name: f.Name, path: path}
		if f.Name == "__typename" {
			rf.kind, rf.typename = rootTypename, root.Name
			out = append(out, rf)
			continue
		}
		fd := root.Fields.ForName(f.Name)
		if fd == nil || f.Name == "__schema" || f.Name == "__type" {
			return nil, c.unknownRootField(root, f.Name, path)
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
	return out, nil
}

func (c *opCtx) unknownRootField(root *ast.Definition, name, path string) *Error {
	switch {
	case root.Name == "query_root" && (name == "__schema" || name == "__type"):
		return notEmulated(path, "introspection (%s)", name)
	case c.rs.admin && (name == "users_aggregate" || name == "update_users_many" && c.op.Operation != ast.Mutation):
		return notEmulated(path, "%s", name)
	}
	return validationError(path, "field '%s' not found in type: '%s'", name, root.Name)
}

func (c *opCtx) parseRootField(rf *rootField, f *ast.Field, fd *ast.FieldDefinition, sets []ast.SelectionSet) *Error {
	args := argReader{c: c, f: f, fd: fd, path: rf.path + ".args"}
	var err *Error
	switch f.Name {
	case "users":
		rf.kind = rootSelect
		rf.sel, err = args.selectArgs()
	case "users_by_pk", "delete_users_by_pk":
		rf.kind = rootByPK
		if f.Name == "delete_users_by_pk" {
			rf.kind = rootDeleteByPK
		}
		rf.pk, err = args.columnArg("id", "String")
	case "insert_users", "insert_users_one":
		rf.kind = rootInsert
		if f.Name == "insert_users_one" {
			rf.kind = rootInsertOne
		}
		rf.ins, err = args.insertArgs(rf.kind == rootInsertOne)
	case "update_users", "update_users_by_pk":
		var u *updateArgs
		u, err = args.updateArgs(f.Name == "update_users_by_pk")
		rf.kind, rf.upd = rootUpdate, []*updateArgs{u}
		if f.Name == "update_users_by_pk" {
			rf.kind = rootUpdateByPK
		}
	case "update_users_many":
		rf.kind = rootUpdateMany
		rf.upd, err = args.updatesArg()
	case "delete_users":
		rf.kind = rootDelete
		rf.del, err = args.requiredBoolExp("where")
	case "users_stream":
		return notEmulated(rf.path, "users_stream")
	default:
		return notEmulated(rf.path, "%s", f.Name)
	}
	if err != nil {
		return err
	}
	typeName := fd.Type.Name()
	if typeName == "users_mutation_response" {
		rf.out, err = c.mutationResponseSelection(sets, rf.path)
	} else {
		rf.out, err = c.usersSelection(sets, rf.path)
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

// usersSelection parses the selection set of a field of type users.
func (c *opCtx) usersSelection(sets []ast.SelectionSet, path string) ([]*outField, *Error) {
	path += ".selectionSet"
	if allEmpty(sets) {
		return nil, validationError(path, "missing selection set for 'users'")
	}
	cols, err := c.collectFields("users", sets, path)
	if err != nil {
		return nil, err
	}
	def := c.rs.def("users")
	var out []*outField
	for _, col := range cols {
		f := col.field
		if f.Name == "__typename" {
			out = append(out, &outField{key: col.key, kind: outTypename, typename: "users"})
			continue
		}
		fpath := path + "." + f.Name
		if def.Fields.ForName(f.Name) == nil {
			return nil, validationError(fpath, "field '%s' not found in type: 'users'", f.Name)
		}
		if !allEmpty(col.sets) {
			return nil, validationError(fpath, "unexpected subselection set for non-object field")
		}
		for _, a := range f.Arguments {
			return nil, validationError(fpath, "'%s' has no argument named '%s'", f.Name, a.Name)
		}
		out = append(out, &outField{key: col.key, kind: outColumn, col: f.Name})
	}
	return out, nil
}

func (c *opCtx) mutationResponseSelection(sets []ast.SelectionSet, path string) ([]*outField, *Error) {
	const typeName = "users_mutation_response"
	path += ".selectionSet"
	if allEmpty(sets) {
		return nil, validationError(path, "missing selection set for '%s'", typeName)
	}
	cols, err := c.collectFields(typeName, sets, path)
	if err != nil {
		return nil, err
	}
	var out []*outField
	for _, col := range cols {
		f := col.field
		fpath := path + "." + f.Name
		switch f.Name {
		case "__typename":
			out = append(out, &outField{key: col.key, kind: outTypename, typename: typeName})
			continue
		case "affected_rows":
			if !allEmpty(col.sets) {
				return nil, validationError(fpath, "unexpected subselection set for non-object field")
			}
			for _, a := range f.Arguments {
				return nil, validationError(fpath, "'%s' has no argument named '%s'", f.Name, a.Name)
			}
			out = append(out, &outField{key: col.key, kind: outAffectedRows})
		case "returning":
			for _, a := range f.Arguments {
				return nil, validationError(fpath, "'%s' has no argument named '%s'", f.Name, a.Name)
			}
			sub, err := c.usersSelection(col.sets, fpath)
			if err != nil {
				return nil, err
			}
			out = append(out, &outField{key: col.key, kind: outReturning, sub: sub})
		default:
			return nil, validationError(fpath, "field '%s' not found in type: '%s'", f.Name, typeName)
		}
	}
	return out, nil
}
