package fakehasura

import (
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// introspection is a role's schema as introspection shows it.
type introspection struct {
	s     *ast.Schema
	types map[string]*ast.Definition
	names []string
}

// builtinScalars have no description in Hasura's schema.
var builtinScalars = map[string]bool{"Int": true, "Float": true, "String": true, "Boolean": true, "ID": true}

func newIntrospection(s *ast.Schema) *introspection {
	in := &introspection{s: s, types: map[string]*ast.Definition{}}
	var visit func(name string)
	visit = func(name string) {
		d := s.Types[name]
		if d == nil || in.types[name] != nil || strings.HasPrefix(name, "__") {
			return
		}
		in.types[name] = d
		for _, f := range d.Fields {
			if strings.HasPrefix(f.Name, "__") {
				continue
			}
			visit(f.Type.Name())
			for _, a := range f.Arguments {
				visit(a.Type.Name())
			}
		}
		for _, t := range d.Types {
			visit(t)
		}
		for _, t := range d.Interfaces {
			visit(t)
		}
	}
	for _, root := range []*ast.Definition{s.Query, s.Mutation, s.Subscription} {
		if root != nil {
			visit(root.Name)
		}
	}
	// The arguments of the directives Hasura advertises.
	visit("Boolean")
	visit("Int")
	for n := range in.types {
		in.names = append(in.names, n)
	}
	sort.Strings(in.names)
	return in
}

func (in *introspection) writeSchema(w *jsonWriter, sel []*introField) {
	in.object(w, sel, "__Schema", func(f *introField) {
		switch f.name {
		case "description":
			w.null()
		case "types":
			w.raw("[")
			for i, n := range in.names {
				if i > 0 {
					w.raw(",")
				}
				in.writeType(w, f.sub, ast.NamedType(n, nil))
			}
			w.raw("]")
		case "queryType", "mutationType", "subscriptionType":
			root := map[string]*ast.Definition{"queryType": in.s.Query, "mutationType": in.s.Mutation, "subscriptionType": in.s.Subscription}[f.name]
			if root == nil {
				w.null()
				return
			}
			in.writeType(w, f.sub, ast.NamedType(root.Name, nil))
		case "directives":
			w.raw("[")
			for i, d := range advertisedDirectives {
				if i > 0 {
					w.raw(",")
				}
				in.writeDirective(w, f.sub, d)
			}
			w.raw("]")
		}
	})
}

// object writes the selection sel of an introspection object, calling
// value for each field but __typename.
func (in *introspection) object(w *jsonWriter, sel []*introField, typeName string, value func(f *introField)) {
	w.raw("{")
	for i, f := range sel {
		if i > 0 {
			w.raw(",")
		}
		w.aesonString(f.key)
		w.raw(":")
		if f.name == "__typename" {
			w.aesonString(typeName)
			continue
		}
		value(f)
	}
	w.raw("}")
}

func optString(w *jsonWriter, s string) {
	if s == "" {
		w.null()
		return
	}
	w.aesonString(s)
}

func (in *introspection) writeType(w *jsonWriter, sel []*introField, t *ast.Type) {
	var d *ast.Definition
	if t.Elem == nil {
		d = in.types[t.NamedType]
	}
	in.object(w, sel, "__Type", func(f *introField) {
		switch f.name {
		case "kind":
			w.aesonString(typeKind(t, d))
		case "name":
			if t.NonNull || t.Elem != nil {
				w.null()
				return
			}
			w.aesonString(t.NamedType)
		case "description":
			// Hasura reads through a non-null wrapper to its named type.
			if d == nil || t.Elem != nil || builtinScalars[d.Name] {
				w.null()
				return
			}
			optString(w, d.Description)
		case "fields":
			if t.NonNull || d == nil || d.Kind != ast.Object && d.Kind != ast.Interface {
				w.null()
				return
			}
			in.list(w, len(sortedFields(d.Fields)), func(i int) { in.writeField(w, f.sub, sortedFields(d.Fields)[i]) })
		case "interfaces":
			if t.NonNull || d == nil || d.Kind != ast.Object {
				w.null()
				return
			}
			names := append([]string(nil), d.Interfaces...)
			sort.Strings(names)
			in.list(w, len(names), func(i int) { in.writeType(w, f.sub, ast.NamedType(names[i], nil)) })
		case "possibleTypes":
			if t.NonNull || d == nil || d.Kind != ast.Interface && d.Kind != ast.Union {
				w.null()
				return
			}
			names := append([]string(nil), d.Types...)
			sort.Strings(names)
			in.list(w, len(names), func(i int) { in.writeType(w, f.sub, ast.NamedType(names[i], nil)) })
		case "enumValues":
			if t.NonNull || d == nil || d.Kind != ast.Enum {
				w.null()
				return
			}
			vals := append(ast.EnumValueList(nil), d.EnumValues...)
			sort.Slice(vals, func(i, j int) bool { return vals[i].Name < vals[j].Name })
			in.list(w, len(vals), func(i int) { in.writeEnumValue(w, f.sub, vals[i]) })
		case "inputFields":
			if t.NonNull || d == nil || d.Kind != ast.InputObject {
				w.null()
				return
			}
			fields := sortedFields(d.Fields)
			in.list(w, len(fields), func(i int) {
				fd := fields[i]
				in.writeInputValue(w, f.sub, fd.Name, fd.Description, fd.Type, fd.DefaultValue)
			})
		case "ofType":
			switch {
			case t.NonNull:
				inner := *t
				inner.NonNull = false
				in.writeType(w, f.sub, &inner)
			case t.Elem != nil:
				in.writeType(w, f.sub, t.Elem)
			default:
				w.null()
			}
		}
	})
}

func typeKind(t *ast.Type, d *ast.Definition) string {
	switch {
	case t.NonNull:
		return "NON_NULL"
	case t.Elem != nil:
		return "LIST"
	case d == nil:
		return "SCALAR"
	}
	switch d.Kind {
	case ast.Enum:
		return "ENUM"
	case ast.InputObject:
		return "INPUT_OBJECT"
	case ast.Object:
		return "OBJECT"
	case ast.Interface:
		return "INTERFACE"
	case ast.Union:
		return "UNION"
	}
	return "SCALAR"
}

func (in *introspection) list(w *jsonWriter, n int, item func(i int)) {
	w.raw("[")
	for i := 0; i < n; i++ {
		if i > 0 {
			w.raw(",")
		}
		item(i)
	}
	w.raw("]")
}

// sortedFields are a type's fields in name order, without the
// introspection fields gqlparser adds.
func sortedFields(fields ast.FieldList) ast.FieldList {
	var out ast.FieldList
	for _, f := range fields {
		if !strings.HasPrefix(f.Name, "__") {
			out = append(out, f)
		}
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

func (in *introspection) writeField(w *jsonWriter, sel []*introField, fd *ast.FieldDefinition) {
	in.object(w, sel, "__Field", func(f *introField) {
		switch f.name {
		case "name":
			w.aesonString(fd.Name)
		case "description":
			optString(w, fd.Description)
		case "args":
			args := append(ast.ArgumentDefinitionList(nil), fd.Arguments...)
			sort.Slice(args, func(i, j int) bool { return args[i].Name < args[j].Name })
			in.list(w, len(args), func(i int) {
				a := args[i]
				in.writeInputValue(w, f.sub, a.Name, a.Description, a.Type, a.DefaultValue)
			})
		case "type":
			in.writeType(w, f.sub, fd.Type)
		case "isDeprecated":
			w.raw("false")
		case "deprecationReason":
			w.null()
		}
	})
}

func (in *introspection) writeInputValue(w *jsonWriter, sel []*introField, name, desc string, typ *ast.Type, def *ast.Value) {
	in.object(w, sel, "__InputValue", func(f *introField) {
		switch f.name {
		case "name":
			w.aesonString(name)
		case "description":
			optString(w, desc)
		case "type":
			in.writeType(w, f.sub, typ)
		case "defaultValue":
			if def == nil {
				w.null()
				return
			}
			w.aesonString(def.String())
		}
	})
}

func (in *introspection) writeEnumValue(w *jsonWriter, sel []*introField, v *ast.EnumValueDefinition) {
	in.object(w, sel, "__EnumValue", func(f *introField) {
		switch f.name {
		case "name":
			w.aesonString(v.Name)
		case "description":
			optString(w, v.Description)
		case "isDeprecated":
			w.raw("false")
		case "deprecationReason":
			w.null()
		}
	})
}

// directive is one directive as Hasura advertises it.
type directive struct {
	name, description string
	locations         []string
	args              []directiveArg
}

type directiveArg struct {
	name, description string
	typ               *ast.Type
	def               *ast.Value
}

var advertisedDirectives = []directive{
	{"include", "whether this query should be included", []string{"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"},
		[]directiveArg{{name: "if", typ: ast.NonNullNamedType("Boolean", nil)}}},
	{"skip", "whether this query should be skipped", []string{"FIELD", "FRAGMENT_SPREAD", "INLINE_FRAGMENT"},
		[]directiveArg{{name: "if", typ: ast.NonNullNamedType("Boolean", nil)}}},
	{"cached", "whether this query should be cached (Hasura Cloud only)", []string{"QUERY"}, []directiveArg{
		{"ttl", "measured in seconds", ast.NonNullNamedType("Int", nil), &ast.Value{Kind: ast.IntValue, Raw: "60"}},
		{"refresh", "refresh the cache entry", ast.NonNullNamedType("Boolean", nil), &ast.Value{Kind: ast.BooleanValue, Raw: "false"}},
	}},
}

func (in *introspection) writeDirective(w *jsonWriter, sel []*introField, d directive) {
	in.object(w, sel, "__Directive", func(f *introField) {
		switch f.name {
		case "name":
			w.aesonString(d.name)
		case "description":
			w.aesonString(d.description)
		case "locations":
			in.list(w, len(d.locations), func(i int) { w.aesonString(d.locations[i]) })
		case "args":
			in.list(w, len(d.args), func(i int) {
				a := d.args[i]
				in.writeInputValue(w, f.sub, a.name, a.description, a.typ, a.def)
			})
		case "isRepeatable":
			w.null()
		}
	})
}
