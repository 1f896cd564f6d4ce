package fakehasura

import (
	"encoding/json"

	"github.com/vektah/gqlparser/v2/ast"
)

// haskellTypes name the Haskell type Hasura parses a column value into,
// as aeson's messages name it.
var haskellTypes = map[string]string{
	"text": "Text", "varchar": "Text", "citext": "Text", "int2": "Int16", "int4": "Int32", "int8": "Int64",
	"float4": "Float", "float8": "Double", "numeric": "Scientific", "bool": "Bool", "uuid": "UUID",
	"date": "Day", "timestamp": "LocalTime", "timestamptz": "UTCTime",
}

// columnOperand reads a value for a column of type ct as Hasura's
// Postgres column parser does: the GraphQL value becomes JSON; a string
// (or an enum name) is text for Postgres to cast, unless the column is
// json; other JSON is parsed into the column's Haskell type, and fails as
// aeson fails. A zero operand is NULL.
func (c *opCtx) columnOperand(ct colType, in input, nullable bool, path string) (operand, *Error) {
	if in.isNull() {
		if nullable {
			return operand{}, nil
		}
		return operand{}, validationError(path, "unexpected null value for type '%s'", ct.scalar())
	}
	if !ct.emulated() {
		return operand{}, notEmulated(path, "values of type %s", ct.sqlName())
	}
	if ct.isJSON() {
		js, err := c.toJSON(in, path)
		if err != nil {
			return operand{}, err
		}
		v, verr := jsonFromInput(ct, js)
		if verr != nil {
			return operand{}, withPath(verr, path)
		}
		return operand{typed: v}, nil
	}
	if s, ok := in.str(); ok {
		return textOperand(s), nil
	}
	if !in.isJS && in.lit.Kind == ast.EnumValue {
		return textOperand(in.lit.Raw), nil
	}
	if ct.enum != nil {
		return operand{}, newError(CodeParseFailed, path, "A string is expected for type: %s", ct.enum.Name)
	}
	hs := haskellTypes[ct.name]
	mismatch := func(want string) *Error {
		return newError(CodeParseFailed, path, "parsing %s failed, expected %s, but encountered %s", hs, want, in.kind())
	}
	switch {
	case ct.isNumeric():
		text, ok := in.number()
		if !ok && !in.isJS && in.lit.Kind == ast.FloatValue {
			text, ok = in.lit.Raw, true
		}
		if !ok {
			return operand{}, mismatch("Number")
		}
		if ct.isInt() {
			n, fits := parseDecimal(text).int64()
			if !fits || n < intBounds[ct.name][0] || n > intBounds[ct.name][1] {
				return operand{}, newError(CodeParseFailed, path, "parsing %s failed, value is either floating or will cause over or underflow %s", hs, hsScientific(text))
			}
			return operand{typed: n}, nil
		}
		return numberOperand(ct, text), nil
	case ct.name == "bool":
		b, err := c.boolValue(in, path)
		if err != nil {
			return operand{}, mismatch("Boolean")
		}
		return operand{typed: b}, nil
	}
	return operand{}, mismatch("String")
}

// toJSON turns a GraphQL value into the JSON Hasura sends to Postgres:
// enum names become strings, variables their JSON values.
func (c *opCtx) toJSON(in input, path string) (any, *Error) {
	if in.isJS {
		return in.js, nil
	}
	v := in.lit
	switch v.Kind {
	case ast.Variable:
		r, err := c.resolveAny(v, path)
		if err != nil {
			return nil, err
		}
		return c.toJSON(r, path)
	case ast.IntValue, ast.FloatValue:
		return json.Number(v.Raw), nil
	case ast.StringValue, ast.BlockValue, ast.EnumValue:
		return v.Raw, nil
	case ast.BooleanValue:
		return v.Raw == "true", nil
	case ast.NullValue:
		return nil, nil
	case ast.ListValue:
		out := []any{}
		for _, ch := range v.Children {
			e, err := c.toJSON(literal(ch.Value), path)
			if err != nil {
				return nil, err
			}
			out = append(out, e)
		}
		return out, nil
	}
	out := map[string]any{}
	for _, ch := range v.Children {
		e, err := c.toJSON(literal(ch.Value), path)
		if err != nil {
			return nil, err
		}
		out[ch.Name] = e
	}
	return out, nil
}

// resolveAny is a variable's value inside a JSON scalar, where Hasura
// checks no type.
func (c *opCtx) resolveAny(v *ast.Value, path string) (input, *Error) {
	vr := c.vars[v.Raw]
	switch {
	case vr == nil:
		return input{}, validationError(path, "unbound variable %q", v.Raw)
	case vr.hasJSON:
		return jsonInput(vr.json), nil
	case vr.def.DefaultValue != nil:
		return literal(vr.def.DefaultValue), nil
	}
	return nullInput, nil
}
