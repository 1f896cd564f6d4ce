package hasuraschema

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// scalarNames maps Postgres type names to the GraphQL scalars Hasura names
// after them (its mkScalarTypeName): four become built-in scalars, the rest
// keep Postgres' name (int8 as "bigint", int2 as "smallint").
var scalarNames = map[string]string{
	"int4": "Int", "bool": "Boolean", "float4": "Float", "text": "String", "varchar": "String",
	"int2": "smallint", "int8": "bigint",
}

var builtinScalars = map[string]bool{"Int": true, "Float": true, "String": true, "Boolean": true, "ID": true}

// ScalarName is the GraphQL scalar of a column type.
func ScalarName(t hasuraproject.Type) string {
	if n, ok := scalarNames[t.Name]; ok {
		return n
	}
	return t.Name
}

// numericTypes take _inc and the numeric aggregates (Hasura's isNumType).
var numericTypes = map[string]bool{"int2": true, "int4": true, "int8": true, "float4": true, "float8": true, "numeric": true, "money": true}

// stringTypes take the pattern operators (Hasura's isStringType).
var stringTypes = map[string]bool{"text": true, "varchar": true, "citext": true}

// comparableTypes take max and min (Hasura's isComparableType): the types
// it knows by name, but for json, jsonb and bool.
var comparableTypes = map[string]bool{
	"int2": true, "int4": true, "int8": true, "float4": true, "float8": true, "numeric": true, "money": true,
	"text": true, "varchar": true, "citext": true, "bpchar": true, "uuid": true,
	"date": true, "timestamp": true, "timestamptz": true, "timetz": true,
}

func isNumeric(c *hasuraproject.Column) bool { return c.Type.Enum == nil && numericTypes[c.Type.Name] }
func isComparable(c *hasuraproject.Column) bool {
	return c.Type.Enum == nil && comparableTypes[c.Type.Name]
}
func isJSONB(c *hasuraproject.Column) bool { return c.Type.Enum == nil && c.Type.Name == "jsonb" }
func isJSON(c *hasuraproject.Column) bool {
	return c.Type.Enum == nil && (c.Type.Name == "jsonb" || c.Type.Name == "json")
}

// scalar returns a column's scalar, declaring it when it is not built in.
func (b *builder) scalar(t hasuraproject.Type) string {
	name := ScalarName(t)
	if !builtinScalars[name] {
		b.define(&ast.Definition{Kind: ast.Scalar, Name: name})
	}
	return name
}

func named(name string) *ast.Type    { return ast.NamedType(name, nil) }
func nonNull(name string) *ast.Type  { return ast.NonNullNamedType(name, nil) }
func listOf(t *ast.Type) *ast.Type   { return ast.ListType(t, nil) }
func nnListOf(t *ast.Type) *ast.Type { return ast.NonNullListType(t, nil) }

func field(name, desc string, typ *ast.Type, args ...*ast.ArgumentDefinition) *ast.FieldDefinition {
	return &ast.FieldDefinition{Name: name, Description: desc, Type: typ, Arguments: args}
}

func arg(name, desc string, typ *ast.Type) *ast.ArgumentDefinition {
	return &ast.ArgumentDefinition{Name: name, Description: desc, Type: typ}
}

var stringOps = []struct{ name, desc string }{
	{"_ilike", "does the column match the given case-insensitive pattern"},
	{"_iregex", "does the column match the given POSIX regular expression, case insensitive"},
	{"_like", "does the column match the given pattern"},
	{"_nilike", "does the column NOT match the given case-insensitive pattern"},
	{"_niregex", "does the column NOT match the given POSIX regular expression, case insensitive"},
	{"_nlike", "does the column NOT match the given pattern"},
	{"_nregex", "does the column NOT match the given POSIX regular expression, case sensitive"},
	{"_nsimilar", "does the column NOT match the given SQL regular expression"},
	{"_regex", "does the column match the given POSIX regular expression, case sensitive"},
	{"_similar", "does the column match the given SQL regular expression"},
}

// comparisonExp returns <scalar>_comparison_exp for a column type.
func (b *builder) comparisonExp(t hasuraproject.Type) string {
	s := b.scalar(t)
	name := s + "_comparison_exp"
	if b.has(name) {
		return name
	}
	d := &ast.Definition{
		Kind: ast.InputObject, Name: name,
		Description: `Boolean expression to compare columns of type "` + s + `". All fields are combined with logical 'AND'.`,
	}
	for _, op := range []string{"_eq", "_gt", "_gte", "_lt", "_lte", "_neq"} {
		d.Fields = append(d.Fields, field(op, "", named(s)))
	}
	d.Fields = append(d.Fields,
		field("_in", "", listOf(nonNull(s))),
		field("_nin", "", listOf(nonNull(s))),
		field("_is_null", "", named("Boolean")))
	if t.Enum == nil && stringTypes[t.Name] {
		for _, op := range stringOps {
			d.Fields = append(d.Fields, field(op.name, op.desc, named(s)))
		}
	}
	if t.Enum == nil && t.Name == "jsonb" {
		d.Fields = append(d.Fields,
			field("_cast", "", named(b.jsonbCastExp())),
			field("_contained_in", "is the column contained in the given json value", named(s)),
			field("_contains", "does the column contain the given json value at the top level", named(s)),
			field("_has_key", "does the string exist as a top-level key in the column", named("String")),
			field("_has_keys_all", "do all of these strings exist as top-level keys in the column", listOf(nonNull("String"))),
			field("_has_keys_any", "do any of these strings exist as top-level keys in the column", listOf(nonNull("String"))))
	}
	return b.define(d)
}

func (b *builder) jsonbCastExp() string {
	str := b.comparisonExp(hasuraproject.Type{Name: "text"})
	return b.define(&ast.Definition{Kind: ast.InputObject, Name: "jsonb_cast_exp", Fields: ast.FieldList{field("String", "", named(str))}})
}

// orderBy returns the order_by enum.
func (b *builder) orderBy() string {
	d := &ast.Definition{Kind: ast.Enum, Name: "order_by", Description: "column ordering options"}
	for _, v := range []struct{ name, desc string }{
		{"asc", "in ascending order, nulls last"},
		{"asc_nulls_first", "in ascending order, nulls first"},
		{"asc_nulls_last", "in ascending order, nulls last"},
		{"desc", "in descending order, nulls first"},
		{"desc_nulls_first", "in descending order, nulls first"},
		{"desc_nulls_last", "in descending order, nulls last"},
	} {
		d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: v.name, Description: v.desc})
	}
	return b.define(d)
}

// columnEnum builds an enum of column names ("column name" each).
func columnEnum(name, desc string, cols []*hasuraproject.Column) *ast.Definition {
	d := &ast.Definition{Kind: ast.Enum, Name: name, Description: desc}
	for _, c := range cols {
		d.EnumValues = append(d.EnumValues, &ast.EnumValueDefinition{Name: c.Name, Description: "column name"})
	}
	return d
}
