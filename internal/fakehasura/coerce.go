package fakehasura

import (
	"encoding/json"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// input is a value under coercion: a GraphQL literal from the query, or a
// JSON value that arrived in a variable. Hasura describes the two
// differently in its messages ("an integer" against "a number").
type input struct {
	lit  *ast.Value
	js   any
	isJS bool
}

func literal(v *ast.Value) input { return input{lit: v} }
func jsonInput(v any) input      { return input{js: v, isJS: true} }

var nullInput = input{lit: &ast.Value{Kind: ast.NullValue}}

func namedType(name string, nonNull bool) *ast.Type {
	return &ast.Type{NamedType: name, NonNull: nonNull}
}
func intType(nonNull bool) *ast.Type  { return namedType("Int", nonNull) }
func boolType(nonNull bool) *ast.Type { return namedType("Boolean", nonNull) }

func (in input) isNull() bool {
	if in.isJS {
		return in.js == nil
	}
	return in.lit == nil || in.lit.Kind == ast.NullValue
}

// describe is Hasura's describeValue.
func (in input) describe() string {
	if in.isJS {
		switch in.js.(type) {
		case nil:
			return "null"
		case bool:
			return "a boolean"
		case string:
			return "a string"
		case json.Number:
			return "a number"
		case []any:
			return "a list"
		default:
			return "an object"
		}
	}
	switch in.lit.Kind {
	case ast.IntValue:
		return "an integer"
	case ast.FloatValue:
		return "a float"
	case ast.StringValue, ast.BlockValue:
		return "a string"
	case ast.BooleanValue:
		return "a boolean"
	case ast.NullValue:
		return "null"
	case ast.EnumValue:
		return "an enum value"
	case ast.ListValue:
		return "a list"
	default:
		return "an object"
	}
}

// kind names the value as aeson does in "encountered …" messages.
func (in input) kind() string {
	if in.isJS {
		return aesonKind(in.js)
	}
	switch in.lit.Kind {
	case ast.IntValue, ast.FloatValue:
		return "Number"
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		return "String"
	case ast.BooleanValue:
		return "Boolean"
	case ast.NullValue:
		return "Null"
	case ast.ListValue:
		return "Array"
	default:
		return "Object"
	}
}

func (in input) str() (string, bool) {
	if in.isJS {
		s, ok := in.js.(string)
		return s, ok
	}
	if in.lit.Kind == ast.StringValue || in.lit.Kind == ast.BlockValue {
		return in.lit.Raw, true
	}
	return "", false
}

// resolve replaces a variable at a location of type loc by its value,
// after Hasura's type check of the variable's declared type against loc.
func (c *opCtx) resolve(in input, loc *ast.Type, locHasDefault bool, path string) (input, *Error) {
	if in.isJS || in.lit == nil || in.lit.Kind != ast.Variable {
		return in, nil
	}
	v := c.vars[in.lit.Raw]
	if !usageAllowed(loc, v.def, locHasDefault) {
		return input{}, validationError(path, "variable '%s' is declared as '%s', but used where '%s' is expected", v.def.Variable, v.def.Type.String(), loc.String())
	}
	switch {
	case v.hasJSON:
		return jsonInput(v.json), nil
	case v.def.DefaultValue != nil:
		return literal(v.def.DefaultValue), nil
	default:
		return nullInput, nil
	}
}

// usageAllowed is Hasura's isVariableUsageAllowed: names and list structure
// must match; nullability only matters at the top, where a nullable
// variable may fill a non-null location if either side has a default.
func usageAllowed(loc *ast.Type, def *ast.VariableDefinition, locHasDefault bool) bool {
	compatible := sameShape(loc, def.Type)
	if !loc.NonNull || def.Type.NonNull || locHasDefault {
		return compatible
	}
	if def.DefaultValue != nil && def.DefaultValue.Kind != ast.NullValue {
		return compatible
	}
	return false
}

func sameShape(a, b *ast.Type) bool {
	if (a.Elem == nil) != (b.Elem == nil) {
		return false
	}
	if a.Elem != nil {
		return sameShape(a.Elem, b.Elem)
	}
	return a.NamedType == b.NamedType
}

type objField struct {
	name string
	in   input
	path string
}

// object reads an input object of type def: every key must be a field of
// def, and each value has its variables resolved against the field's type.
func (c *opCtx) object(in input, def *ast.Definition, path string) ([]objField, *Error) {
	var out []objField
	add := func(name string, v input) *Error {
		fd := def.Fields.ForName(name)
		if fd == nil {
			return validationError(path+"."+name, "field '%s' not found in type: '%s'", name, def.Name)
		}
		r, err := c.resolve(v, fd.Type, fd.DefaultValue != nil, path+"."+name)
		if err != nil {
			return err
		}
		out = append(out, objField{name: name, in: r, path: path + "." + name})
		return nil
	}
	switch {
	case in.isJS:
		m, ok := in.js.(map[string]any)
		if !ok {
			break
		}
		for _, k := range sortedKeys(m) {
			if !isName(k) {
				return nil, validationError(path, "variable value contains object with key %q, which is not a legal GraphQL name", k)
			}
		}
		for _, k := range sortedKeys(m) {
			if err := add(k, jsonInput(m[k])); err != nil {
				return nil, err
			}
		}
		return out, nil
	case in.lit.Kind == ast.ObjectValue:
		for _, ch := range in.lit.Children {
			if err := add(ch.Name, literal(ch.Value)); err != nil {
				return nil, err
			}
		}
		return out, nil
	}
	return nil, validationError(path, "expected an object for type '%s', but found %s", def.Name, in.describe())
}

type listItem struct {
	in   input
	path string
}

// list reads a list whose items have type elem. A single non-null value
// stands for a one-item list, as the GraphQL spec's input coercion says.
func (c *opCtx) list(in input, elem *ast.Type, path string) ([]listItem, *Error) {
	if in.isNull() {
		return nil, validationError(path, "expected a list, but found null")
	}
	var out []listItem
	switch {
	case in.isJS:
		if arr, ok := in.js.([]any); ok {
			for i, v := range arr {
				out = append(out, listItem{jsonInput(v), fmt.Sprintf("%s[%d]", path, i)})
			}
			return out, nil
		}
	case in.lit.Kind == ast.ListValue:
		for i, ch := range in.lit.Children {
			p := fmt.Sprintf("%s[%d]", path, i)
			r, err := c.resolve(literal(ch.Value), elem, false, p)
			if err != nil {
				return nil, err
			}
			out = append(out, listItem{r, p})
		}
		return out, nil
	}
	return []listItem{{in, path + "[0]"}}, nil
}

func (c *opCtx) enumValue(in input, def *ast.Definition, path string) (string, *Error) {
	var name string
	switch {
	case in.isJS:
		s, ok := in.js.(string)
		if !ok || !isName(s) {
			return "", validationError(path, "expected an enum value for type '%s', but found %s", def.Name, in.describe())
		}
		name = s
	case in.lit.Kind == ast.EnumValue:
		name = in.lit.Raw
	default:
		return "", validationError(path, "expected an enum value for type '%s', but found %s", def.Name, in.describe())
	}
	if def.EnumValues.ForName(name) != nil {
		return name, nil
	}
	quoted := make([]string, len(def.EnumValues))
	for i, v := range def.EnumValues {
		quoted[i] = "'" + v.Name + "'"
	}
	return "", validationError(path, "expected one of the values [%s] for type '%s', but found '%s'", strings.Join(quoted, ", "), def.Name, name)
}

func (c *opCtx) boolValue(in input, path string) (bool, *Error) {
	if in.isJS {
		if b, ok := in.js.(bool); ok {
			return b, nil
		}
	} else if in.lit.Kind == ast.BooleanValue {
		return in.lit.Raw == "true", nil
	}
	return false, validationError(path, "expected a boolean for type 'Boolean', but found %s", in.describe())
}
