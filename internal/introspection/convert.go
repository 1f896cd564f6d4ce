package introspection

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
	"github.com/vektah/gqlparser/v2/validator"
)

// nameRE is a GraphQL name.
var nameRE = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

// builtins are the types and directives gqlparser's prelude declares,
// which every schema it loads has: the SDL leaves them out.
var builtins = sync.OnceValue(func() map[string]bool {
	doc := validator.PreludeDocument()
	names := map[string]bool{}
	for _, d := range doc.Definitions {
		names["type "+d.Name] = true
	}
	for _, d := range doc.Directives {
		names["directive "+d.Name] = true
	}
	return names
})

// locations are the directive locations of the GraphQL specification.
var locations = map[string]bool{}

func init() {
	for _, l := range []ast.DirectiveLocation{
		ast.LocationQuery, ast.LocationMutation, ast.LocationSubscription, ast.LocationField,
		ast.LocationFragmentDefinition, ast.LocationFragmentSpread, ast.LocationInlineFragment,
		ast.LocationVariableDefinition, ast.LocationSchema, ast.LocationScalar, ast.LocationObject,
		ast.LocationFieldDefinition, ast.LocationArgumentDefinition, ast.LocationInterface,
		ast.LocationUnion, ast.LocationEnum, ast.LocationEnumValue, ast.LocationInputObject,
		ast.LocationInputFieldDefinition, ast.LocationDirectiveDefinition,
	} {
		locations[string(l)] = true
	}
}

// document converts the answer's schema to an SDL document: the schema
// definition, then the directives and types sorted by name.
func document(s *schemaJSON) (*ast.SchemaDocument, error) {
	doc := &ast.SchemaDocument{}
	schemaDef := &ast.SchemaDefinition{}
	if s.QueryType == nil {
		return nil, invalid("the schema has no query type")
	}
	for _, root := range []struct {
		op  ast.Operation
		ref *namedJSON
	}{{ast.Query, s.QueryType}, {ast.Mutation, s.MutationType}, {ast.Subscription, s.SubscriptionType}} {
		if root.ref == nil {
			continue
		}
		if err := checkName(root.ref.Name); err != nil {
			return nil, invalid("%s type: %v", root.op, err)
		}
		schemaDef.OperationTypes = append(schemaDef.OperationTypes, &ast.OperationTypeDefinition{Operation: root.op, Type: root.ref.Name})
	}
	doc.Schema = append(doc.Schema, schemaDef)

	for i := range s.Types {
		t := &s.Types[i]
		if strings.HasPrefix(t.Name, "__") || builtins()["type "+t.Name] {
			continue
		}
		d, err := definition(t)
		if err != nil {
			return nil, err
		}
		doc.Definitions = append(doc.Definitions, d)
	}
	for i := range s.Directives {
		d := &s.Directives[i]
		if builtins()["directive "+d.Name] {
			continue
		}
		dd, err := directive(d)
		if err != nil {
			return nil, err
		}
		doc.Directives = append(doc.Directives, dd)
	}
	slices.SortFunc(doc.Definitions, func(a, b *ast.Definition) int { return strings.Compare(a.Name, b.Name) })
	slices.SortFunc(doc.Directives, func(a, b *ast.DirectiveDefinition) int { return strings.Compare(a.Name, b.Name) })
	return doc, nil
}

var kinds = map[string]ast.DefinitionKind{
	"SCALAR": ast.Scalar, "OBJECT": ast.Object, "INTERFACE": ast.Interface,
	"UNION": ast.Union, "ENUM": ast.Enum, "INPUT_OBJECT": ast.InputObject,
}

func definition(t *typeJSON) (*ast.Definition, error) {
	if err := checkName(t.Name); err != nil {
		return nil, invalid("type: %v", err)
	}
	kind, ok := kinds[t.Kind]
	if !ok {
		return nil, invalid("type %s: unknown kind %s", t.Name, quote(t.Kind))
	}
	d := &ast.Definition{Kind: kind, Name: t.Name, Description: description(t.Description)}
	at := "type " + t.Name
	var err error
	switch kind {
	case ast.Object, ast.Interface:
		for _, f := range t.Fields {
			fd, ferr := field(at, &f)
			if ferr != nil {
				return nil, ferr
			}
			d.Fields = append(d.Fields, fd)
		}
		d.Interfaces, err = namedTypes(at+" interfaces", t.Interfaces)
	case ast.Union:
		d.Types, err = namedTypes(at+" possible types", t.PossibleTypes)
	case ast.Enum:
		for _, v := range t.EnumValues {
			if err := checkName(v.Name); err != nil {
				return nil, invalid("%s: enum value: %v", at, err)
			}
			d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{
				Name: v.Name, Description: description(v.Description),
				Directives: deprecation(v.IsDeprecated, v.DeprecationReason),
			})
		}
	case ast.InputObject:
		for _, f := range t.InputFields {
			a, ierr := inputValue(at, &f)
			if ierr != nil {
				return nil, ierr
			}
			d.Fields = append(d.Fields, &ast.FieldDefinition{
				Name: a.Name, Description: a.Description, Type: a.Type, DefaultValue: a.DefaultValue,
			})
		}
	}
	return d, err
}

func field(at string, f *fieldJSON) (*ast.FieldDefinition, error) {
	if err := checkName(f.Name); err != nil {
		return nil, invalid("%s: field: %v", at, err)
	}
	at += " field " + f.Name
	typ, err := typeOf(f.Type, 0)
	if err != nil {
		return nil, invalid("%s: %v", at, err)
	}
	fd := &ast.FieldDefinition{Name: f.Name, Description: description(f.Description), Type: typ,
		Directives: deprecation(f.IsDeprecated, f.DeprecationReason)}
	for _, a := range f.Args {
		ad, err := inputValue(at, &a)
		if err != nil {
			return nil, err
		}
		fd.Arguments = append(fd.Arguments, ad)
	}
	return fd, nil
}

func inputValue(at string, v *inputValueJSON) (*ast.ArgumentDefinition, error) {
	if err := checkName(v.Name); err != nil {
		return nil, invalid("%s: input value: %v", at, err)
	}
	at += " input value " + v.Name
	typ, err := typeOf(v.Type, 0)
	if err != nil {
		return nil, invalid("%s: %v", at, err)
	}
	a := &ast.ArgumentDefinition{Name: v.Name, Description: description(v.Description), Type: typ}
	if v.DefaultValue != nil {
		if a.DefaultValue, err = constValue(*v.DefaultValue); err != nil {
			return nil, invalid("%s: default value: %v", at, err)
		}
	}
	return a, nil
}

func directive(d *directiveJSON) (*ast.DirectiveDefinition, error) {
	if err := checkName(d.Name); err != nil {
		return nil, invalid("directive: %v", err)
	}
	at := "directive @" + d.Name
	dd := &ast.DirectiveDefinition{Name: d.Name, Description: description(d.Description)}
	if len(d.Locations) == 0 {
		return nil, invalid("%s: no locations", at)
	}
	for _, l := range d.Locations {
		if !locations[l] {
			return nil, invalid("%s: unknown location %s", at, quote(l))
		}
		dd.Locations = append(dd.Locations, ast.DirectiveLocation(l))
	}
	for _, a := range d.Args {
		ad, err := inputValue(at, &a)
		if err != nil {
			return nil, err
		}
		dd.Arguments = append(dd.Arguments, ad)
	}
	return dd, nil
}

// typeOf converts a type reference, depth levels of ofType down.
func typeOf(r *typeRefJSON, depth int) (*ast.Type, error) {
	switch {
	case r == nil:
		return nil, fmt.Errorf("type reference missing")
	case depth > typeRefDepth:
		return nil, fmt.Errorf("type reference nested more than %d levels deep", typeRefDepth)
	}
	switch r.Kind {
	case "NON_NULL":
		inner, err := typeOf(r.OfType, depth+1)
		if err != nil {
			return nil, err
		}
		if inner.NonNull {
			return nil, fmt.Errorf("non-null type of a non-null type")
		}
		inner.NonNull = true
		return inner, nil
	case "LIST":
		inner, err := typeOf(r.OfType, depth+1)
		if err != nil {
			return nil, err
		}
		return &ast.Type{Elem: inner}, nil
	}
	if _, ok := kinds[r.Kind]; !ok {
		return nil, fmt.Errorf("type reference of unknown kind %s", quote(r.Kind))
	}
	if r.Name == nil {
		return nil, fmt.Errorf("type reference without a name")
	}
	if err := checkName(*r.Name); err != nil {
		return nil, err
	}
	return &ast.Type{NamedType: *r.Name}, nil
}

func namedTypes(at string, refs []typeRefJSON) ([]string, error) {
	var out []string
	for i := range refs {
		t, err := typeOf(&refs[i], 0)
		if err != nil {
			return nil, invalid("%s: %v", at, err)
		}
		if t.Elem != nil || t.NonNull {
			return nil, invalid("%s: %s is not a named type", at, t.String())
		}
		out = append(out, t.NamedType)
	}
	return out, nil
}

// constValue parses a default value, which introspection gives as GraphQL
// source text. The text is parsed inside a one-field input type, and
// anything it adds beyond the value is refused.
func constValue(s string) (*ast.Value, error) {
	doc, err := parser.ParseSchema(&ast.Source{Name: "defaultValue", Input: "input I { f: Int = " + s + "\n}"})
	if err != nil {
		return nil, fmt.Errorf("%s is not a GraphQL constant", quote(s))
	}
	if len(doc.Definitions) != 1 || len(doc.Directives) != 0 || len(doc.Schema) != 0 ||
		len(doc.Extensions) != 0 || len(doc.SchemaExtension) != 0 || len(doc.DirectiveExtensions) != 0 {
		return nil, fmt.Errorf("%s is more than a GraphQL constant", quote(s))
	}
	d := doc.Definitions[0]
	if len(d.Fields) != 1 || len(d.Directives) != 0 || len(d.Fields[0].Directives) != 0 || d.Fields[0].DefaultValue == nil {
		return nil, fmt.Errorf("%s is more than a GraphQL constant", quote(s))
	}
	return d.Fields[0].DefaultValue, nil
}

// deprecation is the @deprecated directive of a deprecated field or enum
// value; nil for one that is not.
func deprecation(deprecated bool, reason *string) ast.DirectiveList {
	if !deprecated {
		return nil
	}
	d := &ast.Directive{Name: "deprecated"}
	if reason != nil {
		d.Arguments = ast.ArgumentList{{Name: "reason", Value: &ast.Value{Kind: ast.StringValue, Raw: *reason}}}
	}
	return ast.DirectiveList{d}
}

// description replaces the control characters an SDL block string cannot
// hold, all but tab and newline, with spaces.
func description(s string) string {
	return strings.Map(func(r rune) rune {
		if r < 0x20 && r != '\t' && r != '\n' || r == 0x7f {
			return ' '
		}
		return r
	}, s)
}

func checkName(s string) error {
	if !nameRE.MatchString(s) {
		return fmt.Errorf("%s is not a GraphQL name", quote(s))
	}
	return nil
}

// quote quotes text from the answer for an error message, cut to 64
// bytes: the message must stay one short line whatever the server sent.
func quote(s string) string {
	const max = 64
	if len(s) > max {
		s = strings.ToValidUTF8(s[:max], "") + "…"
	}
	return fmt.Sprintf("%q", s)
}
