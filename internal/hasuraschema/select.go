package hasuraschema

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// table adds a table's root fields and, through them, its types.
func (b *builder) table(t *hasuraproject.Table) {
	a := b.access(t)
	if a.sel != nil {
		b.selectRoots(t, a.sel)
	}
	b.insertRoots(t, a)
	b.updateRoots(t, a)
	b.deleteRoots(t, a)
}

func (b *builder) selectRoots(t *hasuraproject.Table, s *selectAccess) {
	g := TypeName(t)
	list := nnListOf(nonNull(b.objectType(t)))
	selectField := func() *ast.FieldDefinition {
		return field(g, "fetch data from the table: "+quoted(t), list, b.selectArgs(t)...)
	}
	byPk := func() *ast.FieldDefinition {
		args := b.pkArgs(t, s)
		if args == nil {
			return nil
		}
		return field(g+"_by_pk", "fetch data from the table: "+quoted(t)+" using primary key columns", named(g), args...)
	}
	aggregate := func() *ast.FieldDefinition {
		if !s.aggregate {
			return nil
		}
		return field(g+"_aggregate", "fetch aggregated fields from the table: "+quoted(t), nonNull(b.aggregateType(t)), b.selectArgs(t)...)
	}
	for _, op := range []ast.Operation{ast.Query, ast.Subscription} {
		allows := s.allowsQuery
		if op == ast.Subscription {
			allows = s.allowsSubscription
		}
		if allows(hasuraproject.RootSelect) {
			b.root(op, selectField(), Select, t)
		}
		if f := byPk(); f != nil && allows(hasuraproject.RootSelectByPk) {
			b.root(op, f, SelectByPk, t)
		}
		if f := aggregate(); f != nil && allows(hasuraproject.RootSelectAggregate) {
			b.root(op, f, SelectAggregate, t)
		}
	}
	if s.allowsSubscription(hasuraproject.RootSelectStream) && len(s.cols) > 0 {
		b.root(ast.Subscription, b.streamField(t), SelectStream, t)
	}
}

// pkArgs returns the primary key as arguments, or nil when the table has
// none or the role cannot select all of its columns.
func (b *builder) pkArgs(t *hasuraproject.Table, s *selectAccess) []*ast.ArgumentDefinition {
	if t.PrimaryKey == nil || s == nil {
		return nil
	}
	var args []*ast.ArgumentDefinition
	for _, name := range t.PrimaryKey.Columns {
		if !s.hasColumn(name) {
			return nil
		}
		c := t.Column(name)
		args = append(args, arg(c.Name, c.Comment, nonNull(b.scalar(c.Type))))
	}
	return args
}

// selectArgs are the arguments of a list selection of t.
func (b *builder) selectArgs(t *hasuraproject.Table) []*ast.ArgumentDefinition {
	args := []*ast.ArgumentDefinition{
		arg("limit", "limit the number of rows returned", named("Int")),
		arg("offset", "skip the first n rows. Use only with order_by", named("Int")),
		arg("order_by", "sort the rows by one or more columns", listOf(nonNull(b.orderByExp(t)))),
		arg("where", "filter the rows returned", named(b.boolExp(t))),
	}
	if sc := b.selectColumn(t); sc != "" {
		args = append(args, arg("distinct_on", "distinct select on columns", listOf(nonNull(sc))))
	}
	return args
}

// selectColumn returns <t>_select_column, or "" when the role can select
// no column.
func (b *builder) selectColumn(t *hasuraproject.Table) string {
	s := b.access(t).sel
	if s == nil || len(s.cols) == 0 {
		return ""
	}
	return b.define(columnEnum(TypeName(t)+"_select_column", "select columns of table "+quoted(t), s.cols))
}

// objectType returns the table's object type, building it (and, through
// relationships, the types it reaches) on first use.
func (b *builder) objectType(t *hasuraproject.Table) string {
	g := TypeName(t)
	if b.has(g) {
		return g
	}
	d := &ast.Definition{Kind: ast.Object, Name: g, Description: tableDescription(t)}
	b.define(d)
	b.schema.Tables[g] = t
	s := b.access(t).sel
	for _, c := range s.cols {
		typ := named(b.scalar(c.Type))
		if !c.Nullable {
			typ = nonNull(typ.NamedType)
		}
		f := field(c.Name, c.Comment, typ)
		if isJSON(c) {
			f.Arguments = append(f.Arguments, arg("path", "JSON select path", named("String")))
		}
		d.Fields = append(d.Fields, f)
	}
	for _, r := range t.Relationships {
		rs := b.access(r.Remote).sel
		if rs == nil {
			continue
		}
		remote := b.objectType(r.Remote)
		if r.Kind == hasuraproject.ObjectRelationship {
			typ := named(remote)
			if !r.Nullable {
				typ = nonNull(remote)
			}
			d.Fields = append(d.Fields, field(r.Name, "An object relationship", typ))
			continue
		}
		d.Fields = append(d.Fields, field(r.Name, "An array relationship", nnListOf(nonNull(remote)), b.selectArgs(r.Remote)...))
		if rs.aggregate {
			d.Fields = append(d.Fields, field(r.Name+"_aggregate", "An aggregate relationship", nonNull(b.aggregateType(r.Remote)), b.selectArgs(r.Remote)...))
		}
	}
	return g
}
