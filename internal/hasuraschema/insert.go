package hasuraschema

import (
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

func (b *builder) insertRoots(t *hasuraproject.Table, a access) {
	if !a.insPerm || a.insBackendOnly || !t.Insertable {
		return
	}
	g := TypeName(t)
	input := b.insertInput(t)
	objects := []*ast.ArgumentDefinition{arg("objects", "the rows to be inserted", nnListOf(nonNull(input)))}
	object := []*ast.ArgumentDefinition{arg("object", "the row to be inserted", nonNull(input))}
	if oc := b.onConflict(t); oc != "" {
		objects = append(objects, arg("on_conflict", "upsert condition", named(oc)))
		object = append(object, arg("on_conflict", "upsert condition", named(oc)))
	}
	b.root(ast.Mutation, field("insert_"+g, "insert data into the table: "+quoted(t), named(b.mutationResponse(t)), objects...), Insert, t)
	if a.sel != nil {
		b.root(ast.Mutation, field("insert_"+g+"_one", "insert a single row into the table: "+quoted(t), named(b.objectType(t)), object...), InsertOne, t)
	}
}

// insertInput returns <t>_insert_input: the insertable columns, and the
// relationships to tables the role can insert into (nested inserts).
func (b *builder) insertInput(t *hasuraproject.Table) string {
	name := TypeName(t) + "_insert_input"
	if b.has(name) {
		return name
	}
	d := &ast.Definition{Kind: ast.InputObject, Name: name, Description: "input type for inserting data into table " + quoted(t)}
	b.define(d)
	for _, c := range b.access(t).ins {
		d.Fields = append(d.Fields, field(c.Name, c.Comment, named(b.scalar(c.Type))))
	}
	for _, r := range t.Relationships {
		if !b.access(r.Remote).insPerm {
			continue
		}
		d.Fields = append(d.Fields, field(r.Name, "", named(b.relInsertInput(r))))
	}
	return name
}

// relInsertInput returns <remote>_obj_rel_insert_input or
// <remote>_arr_rel_insert_input.
func (b *builder) relInsertInput(r *hasuraproject.Relationship) string {
	g := TypeName(r.Remote)
	data := nonNull(b.insertInput(r.Remote))
	name, desc := g+"_obj_rel_insert_input", "input type for inserting object relation for remote table "+quoted(r.Remote)
	if r.Kind == hasuraproject.ArrayRelationship {
		name, desc = g+"_arr_rel_insert_input", "input type for inserting array relation for remote table "+quoted(r.Remote)
		data = nnListOf(data)
	}
	if b.has(name) {
		return name
	}
	d := &ast.Definition{Kind: ast.InputObject, Name: name, Description: desc, Fields: ast.FieldList{field("data", "", data)}}
	b.define(d)
	if oc := b.onConflict(r.Remote); oc != "" {
		d.Fields = append(d.Fields, field("on_conflict", "upsert condition", named(oc)))
	}
	return name
}

// onConflict returns <t>_on_conflict, or "" when the table has neither a
// primary key nor a unique constraint.
func (b *builder) onConflict(t *hasuraproject.Table) string {
	cons := t.Constraints()
	if len(cons) == 0 {
		return ""
	}
	g := TypeName(t)
	name := g + "_on_conflict"
	if b.has(name) {
		return name
	}
	ce := &ast.Definition{Kind: ast.Enum, Name: g + "_constraint", Description: "unique or primary key constraints on table " + quoted(t)}
	for _, k := range cons {
		cols := ""
		for i, c := range k.Columns {
			if i > 0 {
				cols += ", "
			}
			cols += `"` + c + `"`
		}
		ce.EnumValues = append(ce.EnumValues, &ast.EnumValueDefinition{Name: k.Name, Description: "unique or primary key constraint on columns " + cols})
	}
	b.define(ce)
	updateColumns := &ast.FieldDefinition{Name: "update_columns", Type: nnListOf(nonNull(b.updateColumn(t))),
		DefaultValue: &ast.Value{Kind: ast.ListValue}}
	b.define(&ast.Definition{Kind: ast.InputObject, Name: name, Description: "on_conflict condition type for table " + quoted(t),
		Fields: ast.FieldList{
			field("constraint", "", nonNull(ce.Name)),
			updateColumns,
			field("where", "", named(b.boolExp(t))),
		}})
	return name
}

// updateColumn returns <t>_update_column: the columns the role may update,
// or a placeholder value when there are none, so that on_conflict can
// still say update_columns: [] (ON CONFLICT DO NOTHING).
func (b *builder) updateColumn(t *hasuraproject.Table) string {
	name := TypeName(t) + "_update_column"
	if b.has(name) {
		return name
	}
	cols := b.access(t).upd
	if len(cols) == 0 {
		return b.define(&ast.Definition{Kind: ast.Enum, Name: name,
			Description: "placeholder for update columns of table " + quoted(t) + " (current role has no relevant permissions)",
			EnumValues:  ast.EnumValueList{{Name: "_PLACEHOLDER", Description: "placeholder (do not use)"}}})
	}
	return b.define(columnEnum(name, "update columns of table "+quoted(t), cols))
}

// mutationResponse returns <t>_mutation_response; returning needs select.
func (b *builder) mutationResponse(t *hasuraproject.Table) string {
	name := TypeName(t) + "_mutation_response"
	if b.has(name) {
		return name
	}
	d := &ast.Definition{Kind: ast.Object, Name: name, Description: "response of any mutation on the table " + quoted(t),
		Fields: ast.FieldList{field("affected_rows", "number of rows affected by the mutation", nonNull("Int"))}}
	b.define(d)
	if b.access(t).sel != nil {
		d.Fields = append(d.Fields, field("returning", "data from the rows affected by the mutation", nnListOf(nonNull(b.objectType(t)))))
	}
	return name
}
