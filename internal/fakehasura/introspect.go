package fakehasura

import (
	"github.com/vektah/gqlparser/v2/ast"
)

// Introspection is answered from the role's schema, as Hasura's
// Schema/Introspect.hs builds it: types, fields, arguments, input fields
// and enum values in name order, the directives Hasura advertises
// (include, skip, cached), and the types reachable from the root types
// (the introspection types themselves are not among them).

// introTypes are the fields of Hasura's introspection types and the type
// each leads to ("" for a leaf).
var introTypes = map[string]map[string]string{
	"__Schema": {"description": "", "types": "__Type", "queryType": "__Type", "mutationType": "__Type",
		"subscriptionType": "__Type", "directives": "__Directive"},
	"__Type": {"kind": "", "name": "", "description": "", "fields": "__Field", "interfaces": "__Type",
		"possibleTypes": "__Type", "enumValues": "__EnumValue", "inputFields": "__InputValue", "ofType": "__Type"},
	"__Field":      {"name": "", "description": "", "args": "__InputValue", "type": "__Type", "isDeprecated": "", "deprecationReason": ""},
	"__InputValue": {"name": "", "description": "", "type": "__Type", "defaultValue": ""},
	"__EnumValue":  {"name": "", "description": "", "isDeprecated": "", "deprecationReason": ""},
	"__Directive":  {"name": "", "description": "", "locations": "", "args": "__InputValue", "isRepeatable": ""},
}

// introArgs are the arguments Hasura's introspection fields take.
var introArgs = map[string]string{"fields": "includeDeprecated", "enumValues": "includeDeprecated"}

// introField is a parsed introspection selection.
type introField struct {
	key, name, typeName string
	// typeArg is __type's name argument.
	typeArg string
	sub     []*introField
}

func (c *opCtx) introspectionField(f *ast.Field, sets []ast.SelectionSet, path string) (*introField, *Error) {
	out := &introField{key: f.Alias, name: f.Name, typeName: "__Schema"}
	if f.Name == "__type" {
		out.typeName = "__Type"
		for _, a := range f.Arguments {
			if a.Name != "name" {
				return nil, validationError(path, "'%s' has no argument named '%s'", f.Name, a.Name)
			}
		}
		arg := f.Arguments.ForName("name")
		if arg == nil {
			return nil, validationError(path+".args.name", "missing required field 'name'")
		}
		in, err := c.resolve(literal(arg.Value), namedType("String", true), false, path+".args.name")
		if err != nil {
			return nil, err
		}
		s, ok := in.str()
		if !ok {
			return nil, validationError(path+".args.name", "expected a string for type 'String', but found %s", in.describe())
		}
		out.typeArg = s
	} else if err := noArgs(f, path); err != nil {
		return nil, err
	}
	var err *Error
	out.sub, err = c.introSelection(out.typeName, sets, path)
	return out, err
}

func (c *opCtx) introSelection(typeName string, sets []ast.SelectionSet, path string) ([]*introField, *Error) {
	cols, err := c.collectFields(typeName, sets, path+".selectionSet")
	if err != nil {
		return nil, err
	}
	if allEmpty(sets) {
		return nil, validationError(path+".selectionSet", "missing selection set for '%s'", typeName)
	}
	var out []*introField
	for _, col := range cols {
		f := col.field
		fpath := path + ".selectionSet." + f.Name
		next, known := introTypes[typeName][f.Name]
		if f.Name == "__typename" {
			known, next = true, ""
		}
		if !known {
			return nil, validationError(fpath, "field '%s' not found in type: '%s'", f.Name, typeName)
		}
		for _, a := range f.Arguments {
			if introArgs[f.Name] != a.Name {
				return nil, validationError(fpath, "'%s' has no argument named '%s'", f.Name, a.Name)
			}
			in, err := c.resolve(literal(a.Value), boolType(false), true, fpath+".args."+a.Name)
			if err != nil {
				return nil, err
			}
			if !in.isNull() {
				if _, err := c.boolValue(in, fpath+".args."+a.Name); err != nil {
					return nil, err
				}
			}
		}
		field := &introField{key: col.key, name: f.Name, typeName: typeName}
		if next == "" {
			if err := leaf(col, fpath); err != nil {
				return nil, err
			}
		} else if field.sub, err = c.introSelection(next, col.sets, fpath); err != nil {
			return nil, err
		}
		out = append(out, field)
	}
	return out, nil
}

// write answers __schema or __type with aeson's compact JSON.
func (f *introField) write(w *jsonWriter, rs *roleSchema) *Error {
	in := newIntrospection(rs.schema.AST)
	if f.name == "__type" {
		d := in.types[f.typeArg]
		if d == nil {
			w.null()
			return nil
		}
		in.writeType(w, f.sub, ast.NamedType(d.Name, nil))
		return nil
	}
	in.writeSchema(w, f.sub)
	return nil
}
