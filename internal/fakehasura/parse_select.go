package fakehasura

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// noArgs refuses arguments on a field that takes none.
func noArgs(f *ast.Field, path string) *Error {
	for _, a := range f.Arguments {
		return validationError(path, "'%s' has no argument named '%s'", f.Name, a.Name)
	}
	return nil
}

func leaf(col *collected, path string) *Error {
	if !allEmpty(col.sets) {
		return validationError(path, "unexpected subselection set for non-object field")
	}
	return nil
}

// objectFields collects a selection set of the object type typeName,
// which must not be empty.
func (c *opCtx) objectFields(typeName string, sets []ast.SelectionSet, path string) ([]*collected, *ast.Definition, string, *Error) {
	path += ".selectionSet"
	if allEmpty(sets) {
		return nil, nil, path, validationError(path, "missing selection set for '%s'", typeName)
	}
	cols, err := c.collectFields(typeName, sets, path)
	return cols, c.rs.def(typeName), path, err
}

// tableSelection parses the selection set of a table's object type:
// columns, and relationships with their own arguments and selections.
func (c *opCtx) tableSelection(ti *tableInfo, sets []ast.SelectionSet, path string) ([]*outField, *Error) {
	cols, def, path, err := c.objectFields(ti.gql, sets, path)
	if err != nil {
		return nil, err
	}
	var out []*outField
	for _, col := range cols {
		f := col.field
		if f.Name == "__typename" {
			out = append(out, &outField{key: col.key, kind: outTypename, typename: ti.gql})
			continue
		}
		fpath := path + "." + f.Name
		fd := def.Fields.ForName(f.Name)
		if fd == nil {
			return nil, validationError(fpath, "field '%s' not found in type: '%s'", f.Name, ti.gql)
		}
		for _, a := range f.Arguments {
			if fd.Arguments.ForName(a.Name) == nil {
				return nil, validationError(fpath, "'%s' has no argument named '%s'", f.Name, a.Name)
			}
		}
		of := &outField{key: col.key}
		args := argReader{c: c, f: f, fd: fd, path: fpath + ".args"}
		if ci := ti.col(f.Name); ci != nil {
			if err := leaf(col, fpath); err != nil {
				return nil, err
			}
			of.kind, of.col = outColumn, ci
			if of.jsonPath, err = args.jsonPath(); err != nil {
				return nil, err
			}
			out = append(out, of)
			continue
		}
		name, aggregate := strings.CutSuffix(f.Name, "_aggregate")
		rel := ti.t.Relationship(f.Name)
		if rel == nil && aggregate {
			rel = ti.t.Relationship(name)
		} else {
			aggregate = false
		}
		if rel == nil {
			return nil, validationError(fpath, "field '%s' not found in type: '%s'", f.Name, ti.gql)
		}
		remote := c.cat.info(rel.Remote)
		of.rel = rel
		switch {
		case aggregate:
			of.kind = outAggregateRel
			if of.sel, err = args.selectArgs(remote); err == nil {
				of.sub, err = c.aggregateSelection(remote, col.sets, fpath)
			}
		case fd.Type.Elem != nil:
			of.kind = outArrayRel
			if of.sel, err = args.selectArgs(remote); err == nil {
				of.sub, err = c.tableSelection(remote, col.sets, fpath)
			}
		default:
			of.kind = outObjectRel
			of.sub, err = c.tableSelection(remote, col.sets, fpath)
		}
		if err != nil {
			return nil, err
		}
		out = append(out, of)
	}
	return out, nil
}

// aggregateSelection parses <t>_aggregate: aggregate and nodes.
func (c *opCtx) aggregateSelection(ti *tableInfo, sets []ast.SelectionSet, path string) ([]*outField, *Error) {
	typeName := ti.gql + "_aggregate"
	cols, def, path, err := c.objectFields(typeName, sets, path)
	if err != nil {
		return nil, err
	}
	var out []*outField
	for _, col := range cols {
		f := col.field
		fpath := path + "." + f.Name
		of := &outField{key: col.key}
		switch {
		case f.Name == "__typename":
			of.kind, of.typename = outTypename, typeName
		case def.Fields.ForName(f.Name) == nil:
			return nil, validationError(fpath, "field '%s' not found in type: '%s'", f.Name, typeName)
		case f.Name == "aggregate":
			of.kind = outAggregate
			if err = noArgs(f, fpath); err == nil {
				of.sub, err = c.aggregateFields(ti, col.sets, fpath)
			}
		default:
			of.kind = outNodes
			if err = noArgs(f, fpath); err == nil {
				of.sub, err = c.tableSelection(ti, col.sets, fpath)
			}
		}
		if err != nil {
			return nil, err
		}
		out = append(out, of)
	}
	return out, nil
}

// emulatedAggregates are the aggregate functions the fake computes.
var emulatedAggregates = map[string]bool{"sum": true, "avg": true, "max": true, "min": true}

// aggregateFields parses <t>_aggregate_fields: count, and per function
// the columns it applies to.
func (c *opCtx) aggregateFields(ti *tableInfo, sets []ast.SelectionSet, path string) ([]*outField, *Error) {
	typeName := ti.gql + "_aggregate_fields"
	cols, def, path, err := c.objectFields(typeName, sets, path)
	if err != nil {
		return nil, err
	}
	var out []*outField
	for _, col := range cols {
		f := col.field
		fpath := path + "." + f.Name
		if f.Name == "__typename" {
			out = append(out, &outField{key: col.key, kind: outTypename, typename: typeName})
			continue
		}
		fd := def.Fields.ForName(f.Name)
		if fd == nil {
			return nil, validationError(fpath, "field '%s' not found in type: '%s'", f.Name, typeName)
		}
		for _, a := range f.Arguments {
			if fd.Arguments.ForName(a.Name) == nil {
				return nil, validationError(fpath, "'%s' has no argument named '%s'", f.Name, a.Name)
			}
		}
		of := &outField{key: col.key, op: f.Name}
		if f.Name == "count" {
			of.kind = outCount
			if err := leaf(col, fpath); err != nil {
				return nil, err
			}
			if of.countCols, of.distinct, err = (argReader{c: c, f: f, fd: fd, path: fpath + ".args"}).countArgs(ti); err != nil {
				return nil, err
			}
			out = append(out, of)
			continue
		}
		if !emulatedAggregates[f.Name] {
			return nil, notEmulated(fpath, "the aggregate %s", f.Name)
		}
		of.kind = outAggOp
		opType := fd.Type.Name()
		sub, _, spath, err := c.objectFields(opType, col.sets, fpath)
		if err != nil {
			return nil, err
		}
		for _, s := range sub {
			g := s.field
			gpath := spath + "." + g.Name
			switch ci := ti.col(g.Name); {
			case g.Name == "__typename":
				of.sub = append(of.sub, &outField{key: s.key, kind: outTypename, typename: opType})
			case ci == nil || c.rs.def(opType).Fields.ForName(g.Name) == nil:
				return nil, validationError(gpath, "field '%s' not found in type: '%s'", g.Name, opType)
			default:
				if err := leaf(s, gpath); err != nil {
					return nil, err
				}
				if err := noArgs(g, gpath); err != nil {
					return nil, err
				}
				of.sub = append(of.sub, &outField{key: s.key, kind: outAggColumn, col: ci, op: f.Name})
			}
		}
		out = append(out, of)
	}
	return out, nil
}

// mutationResponseSelection parses <t>_mutation_response.
func (c *opCtx) mutationResponseSelection(ti *tableInfo, sets []ast.SelectionSet, path string) ([]*outField, *Error) {
	typeName := ti.gql + "_mutation_response"
	cols, def, path, err := c.objectFields(typeName, sets, path)
	if err != nil {
		return nil, err
	}
	var out []*outField
	for _, col := range cols {
		f := col.field
		fpath := path + "." + f.Name
		switch {
		case f.Name == "__typename":
			out = append(out, &outField{key: col.key, kind: outTypename, typename: typeName})
			continue
		case def.Fields.ForName(f.Name) == nil:
			return nil, validationError(fpath, "field '%s' not found in type: '%s'", f.Name, typeName)
		}
		if err := noArgs(f, fpath); err != nil {
			return nil, err
		}
		if f.Name == "affected_rows" {
			if err := leaf(col, fpath); err != nil {
				return nil, err
			}
			out = append(out, &outField{key: col.key, kind: outAffectedRows})
			continue
		}
		sub, err := c.tableSelection(ti, col.sets, fpath)
		if err != nil {
			return nil, err
		}
		out = append(out, &outField{key: col.key, kind: outReturning, sub: sub})
	}
	return out, nil
}
