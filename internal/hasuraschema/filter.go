package hasuraschema

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// boolExp returns <t>_bool_exp: _and, _or, _not, the selectable columns
// and the relationships to tables the role can select. A role that cannot
// select the table still gets the combinators (mutations use the type).
func (b *builder) boolExp(t *hasuraproject.Table) string {
	g := TypeName(t)
	name := g + "_bool_exp"
	if b.has(name) {
		return name
	}
	d := &ast.Definition{
		Kind: ast.InputObject, Name: name,
		Description: "Boolean expression to filter rows from the table " + quoted(t) + ". All fields are combined with a logical 'AND'.",
		Fields: ast.FieldList{
			field("_and", "", listOf(nonNull(name))),
			field("_not", "", named(name)),
			field("_or", "", listOf(nonNull(name))),
		},
	}
	b.define(d)
	s := b.access(t).sel
	if s == nil {
		return name
	}
	for _, c := range s.cols {
		d.Fields = append(d.Fields, field(c.Name, "", named(b.comparisonExp(c.Type))))
	}
	for _, r := range t.Relationships {
		rs := b.access(r.Remote).sel
		if rs == nil {
			continue
		}
		d.Fields = append(d.Fields, field(r.Name, "", named(b.boolExp(r.Remote))))
		if r.Kind == hasuraproject.ArrayRelationship && rs.aggregate {
			d.Fields = append(d.Fields, field(r.Name+"_aggregate", "", named(b.aggregateBoolExp(r.Remote))))
		}
	}
	return name
}

// orderByExp returns <t>_order_by.
func (b *builder) orderByExp(t *hasuraproject.Table) string {
	name := TypeName(t) + "_order_by"
	if b.has(name) {
		return name
	}
	d := &ast.Definition{Kind: ast.InputObject, Name: name, Description: "Ordering options when selecting data from " + quoted(t) + "."}
	b.define(d)
	s := b.access(t).sel
	if s == nil {
		return name
	}
	for _, c := range s.cols {
		d.Fields = append(d.Fields, field(c.Name, "", named(b.orderBy())))
	}
	for _, r := range t.Relationships {
		rs := b.access(r.Remote).sel
		if rs == nil {
			continue
		}
		if r.Kind == hasuraproject.ObjectRelationship {
			d.Fields = append(d.Fields, field(r.Name, "", named(b.orderByExp(r.Remote))))
		} else if rs.aggregate {
			d.Fields = append(d.Fields, field(r.Name+"_aggregate", "", named(b.aggregateOrderBy(r.Remote))))
		}
	}
	return name
}
