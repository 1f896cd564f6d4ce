package hasuraschema

import (
	"fmt"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// comparison is the type-by-type comparison of a generated schema with a
// reference one.
type comparison struct {
	types, typesExact   int // types of the reference, and how many the generated schema has identical
	fields, fieldsExact int // fields, input fields and enum values of the reference
	args, argsExact     int // arguments of the reference's fields
	// diffs lists every difference, one line each, sorted.
	diffs []string
}

// userTypes are the types a schema defines itself: no built-in scalars,
// no introspection types.
func userTypes(s *ast.Schema) map[string]*ast.Definition {
	out := map[string]*ast.Definition{}
	for name, d := range s.Types {
		if d.BuiltIn || strings.HasPrefix(name, "__") {
			continue
		}
		out[name] = d
	}
	return out
}

// ownFields leaves out the introspection fields gqlparser adds to the
// query root.
func ownFields(fs ast.FieldList) ast.FieldList {
	var out ast.FieldList
	for _, f := range fs {
		if !strings.HasPrefix(f.Name, "__") {
			out = append(out, f)
		}
	}
	return out
}

func typeString(t *ast.Type) string {
	if t == nil {
		return ""
	}
	return t.String()
}

func valueString(v *ast.Value) string {
	if v == nil {
		return ""
	}
	return v.String()
}

// compareSchemas compares got with want: kinds, descriptions, fields with
// their types, arguments (types, defaults, descriptions) and defaults,
// enum values with their descriptions.
func compareSchemas(want, got *ast.Schema) comparison {
	var c comparison
	wt, gt := userTypes(want), userTypes(got)
	for name := range gt {
		if wt[name] == nil {
			c.diffs = append(c.diffs, fmt.Sprintf("type %s: not in the reference", name))
		}
	}
	for name, w := range wt {
		c.types++
		c.fields += len(ownFields(w.Fields)) + len(w.EnumValues)
		g := gt[name]
		if g == nil {
			c.diffs = append(c.diffs, fmt.Sprintf("type %s: missing", name))
			continue
		}
		before := len(c.diffs)
		if w.Kind != g.Kind {
			c.diffs = append(c.diffs, fmt.Sprintf("type %s: kind %s, want %s", name, g.Kind, w.Kind))
		}
		if w.Description != g.Description {
			c.diffs = append(c.diffs, fmt.Sprintf("type %s: description %q, want %q", name, g.Description, w.Description))
		}
		c.fieldsExact += c.compareFields(name, ownFields(w.Fields), ownFields(g.Fields))
		c.fieldsExact += c.compareEnum(name, w.EnumValues, g.EnumValues)
		if len(c.diffs) == before {
			c.typesExact++
		}
	}
	sort.Strings(c.diffs)
	return c
}

func (c *comparison) compareFields(typ string, want, got ast.FieldList) (exact int) {
	for _, g := range got {
		if want.ForName(g.Name) == nil {
			c.diffs = append(c.diffs, fmt.Sprintf("field %s.%s: not in the reference", typ, g.Name))
		}
	}
	for _, w := range want {
		where := typ + "." + w.Name
		g := got.ForName(w.Name)
		if g == nil {
			c.diffs = append(c.diffs, fmt.Sprintf("field %s: missing", where))
			continue
		}
		before := len(c.diffs)
		if typeString(w.Type) != typeString(g.Type) {
			c.diffs = append(c.diffs, fmt.Sprintf("field %s: type %s, want %s", where, typeString(g.Type), typeString(w.Type)))
		}
		if w.Description != g.Description {
			c.diffs = append(c.diffs, fmt.Sprintf("field %s: description %q, want %q", where, g.Description, w.Description))
		}
		if valueString(w.DefaultValue) != valueString(g.DefaultValue) {
			c.diffs = append(c.diffs, fmt.Sprintf("field %s: default %s, want %s", where, valueString(g.DefaultValue), valueString(w.DefaultValue)))
		}
		for _, ga := range g.Arguments {
			if w.Arguments.ForName(ga.Name) == nil {
				c.diffs = append(c.diffs, fmt.Sprintf("argument %s(%s): not in the reference", where, ga.Name))
			}
		}
		for _, wa := range w.Arguments {
			ga := g.Arguments.ForName(wa.Name)
			at := fmt.Sprintf("argument %s(%s)", where, wa.Name)
			c.args++
			if ga != nil && typeString(wa.Type) == typeString(ga.Type) && wa.Description == ga.Description &&
				valueString(wa.DefaultValue) == valueString(ga.DefaultValue) {
				c.argsExact++
			}
			switch {
			case ga == nil:
				c.diffs = append(c.diffs, at+": missing")
				continue
			case typeString(wa.Type) != typeString(ga.Type):
				c.diffs = append(c.diffs, fmt.Sprintf("%s: type %s, want %s", at, typeString(ga.Type), typeString(wa.Type)))
			}
			if wa.Description != ga.Description {
				c.diffs = append(c.diffs, fmt.Sprintf("%s: description %q, want %q", at, ga.Description, wa.Description))
			}
			if valueString(wa.DefaultValue) != valueString(ga.DefaultValue) {
				c.diffs = append(c.diffs, fmt.Sprintf("%s: default %s, want %s", at, valueString(ga.DefaultValue), valueString(wa.DefaultValue)))
			}
		}
		if len(c.diffs) == before {
			exact++
		}
	}
	return exact
}

func (c *comparison) compareEnum(typ string, want, got ast.EnumValueList) (exact int) {
	for _, g := range got {
		if want.ForName(g.Name) == nil {
			c.diffs = append(c.diffs, fmt.Sprintf("enum value %s.%s: not in the reference", typ, g.Name))
		}
	}
	for _, w := range want {
		g := got.ForName(w.Name)
		switch {
		case g == nil:
			c.diffs = append(c.diffs, fmt.Sprintf("enum value %s.%s: missing", typ, w.Name))
		case g.Description != w.Description:
			c.diffs = append(c.diffs, fmt.Sprintf("enum value %s.%s: description %q, want %q", typ, w.Name, g.Description, w.Description))
		default:
			exact++
		}
	}
	return exact
}
