package hasuraschema

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// numericAggregates apply to numeric columns; max and min to comparable ones.
var numericAggregates = []string{"avg", "stddev", "stddev_pop", "stddev_samp", "sum", "var_pop", "var_samp", "variance"}

func filterColumns(cols []*hasuraproject.Column, keep func(*hasuraproject.Column) bool) []*hasuraproject.Column {
	var out []*hasuraproject.Column
	for _, c := range cols {
		if keep(c) {
			out = append(out, c)
		}
	}
	return out
}

// aggregateType returns <t>_aggregate and the types under it.
func (b *builder) aggregateType(t *hasuraproject.Table) string {
	g := TypeName(t)
	name := g + "_aggregate"
	if b.has(name) {
		return name
	}
	b.define(&ast.Definition{
		Kind: ast.Object, Name: name, Description: "aggregated selection of " + quoted(t),
		Fields: ast.FieldList{
			field("aggregate", "", named(b.aggregateFields(t))),
			field("nodes", "", nnListOf(nonNull(b.objectType(t)))),
		},
	})
	return name
}

func (b *builder) aggregateFields(t *hasuraproject.Table) string {
	g := TypeName(t)
	name := g + "_aggregate_fields"
	if b.has(name) {
		return name
	}
	s := b.access(t).sel
	d := &ast.Definition{Kind: ast.Object, Name: name, Description: "aggregate fields of " + quoted(t)}
	b.define(d)
	count := field("count", "", nonNull("Int"), arg("distinct", "", named("Boolean")))
	if sc := b.selectColumn(t); sc != "" {
		count.Arguments = append(count.Arguments, arg("columns", "", listOf(nonNull(sc))))
	}
	d.Fields = append(d.Fields, count)
	if numeric := filterColumns(s.cols, isNumeric); len(numeric) > 0 {
		for _, op := range numericAggregates {
			fd := &ast.Definition{Kind: ast.Object, Name: g + "_" + op + "_fields", Description: "aggregate " + op + " on columns"}
			for _, c := range numeric {
				typ := named("Float")
				if op == "sum" {
					typ = named(b.scalar(c.Type))
				}
				fd.Fields = append(fd.Fields, field(c.Name, c.Comment, typ))
			}
			d.Fields = append(d.Fields, field(op, "", named(b.define(fd))))
		}
	}
	if comparable := filterColumns(s.cols, isComparable); len(comparable) > 0 {
		for _, op := range []string{"max", "min"} {
			fd := &ast.Definition{Kind: ast.Object, Name: g + "_" + op + "_fields", Description: "aggregate " + op + " on columns"}
			for _, c := range comparable {
				fd.Fields = append(fd.Fields, field(c.Name, c.Comment, named(b.scalar(c.Type))))
			}
			d.Fields = append(d.Fields, field(op, "", named(b.define(fd))))
		}
	}
	return name
}

// aggregateOrderBy returns <t>_aggregate_order_by, for ordering by an
// array relationship's aggregates.
func (b *builder) aggregateOrderBy(t *hasuraproject.Table) string {
	g := TypeName(t)
	name := g + "_aggregate_order_by"
	if b.has(name) {
		return name
	}
	s := b.access(t).sel
	ob := b.orderBy()
	d := &ast.Definition{Kind: ast.InputObject, Name: name, Description: "order by aggregate values of table " + quoted(t),
		Fields: ast.FieldList{field("count", "", named(ob))}}
	b.define(d)
	add := func(ops []string, cols []*hasuraproject.Column) {
		if len(cols) == 0 {
			return
		}
		for _, op := range ops {
			od := &ast.Definition{Kind: ast.InputObject, Name: g + "_" + op + "_order_by",
				Description: "order by " + op + "() on columns of table " + quoted(t)}
			for _, c := range cols {
				od.Fields = append(od.Fields, field(c.Name, "", named(ob)))
			}
			d.Fields = append(d.Fields, field(op, "", named(b.define(od))))
		}
	}
	add(numericAggregates, filterColumns(s.cols, isNumeric))
	add([]string{"max", "min"}, filterColumns(s.cols, isComparable))
	return name
}

// aggregateBoolExp returns <t>_aggregate_bool_exp, for filtering by an
// array relationship's aggregates: count, and bool_and and bool_or over
// boolean columns.
func (b *builder) aggregateBoolExp(t *hasuraproject.Table) string {
	g := TypeName(t)
	name := g + "_aggregate_bool_exp"
	if b.has(name) {
		return name
	}
	s := b.access(t).sel
	d := &ast.Definition{Kind: ast.InputObject, Name: name}
	b.define(d)
	where := b.boolExp(t)
	predicate := func(fn string, arguments *ast.Type, pred string) {
		pd := &ast.Definition{Kind: ast.InputObject, Name: name + "_" + fn, Fields: ast.FieldList{
			field("distinct", "", named("Boolean")),
			field("filter", "", named(where)),
			field("predicate", "", nonNull(pred)),
		}}
		if arguments != nil {
			pd.Fields = append(pd.Fields, field("arguments", "", arguments))
		}
		d.Fields = append(d.Fields, field(fn, "", named(b.define(pd))))
	}
	var countArgs *ast.Type
	if sc := b.selectColumn(t); sc != "" {
		countArgs = listOf(nonNull(sc))
	}
	predicate("count", countArgs, b.comparisonExp(hasuraproject.Type{Name: "int4"}))
	bools := filterColumns(s.cols, func(c *hasuraproject.Column) bool { return c.Type.Enum == nil && c.Type.Name == "bool" })
	if len(bools) > 0 {
		for _, fn := range []string{"bool_and", "bool_or"} {
			suffix := name + "_" + fn + "_arguments_columns"
			enum := columnEnum(g+"_select_column_"+suffix, `select "`+suffix+`" columns of table `+quoted(t), bools)
			predicate(fn, nonNull(b.define(enum)), b.comparisonExp(hasuraproject.Type{Name: "bool"}))
		}
	}
	return name
}
