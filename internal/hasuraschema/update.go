package hasuraschema

import (
	"slices"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// updateOp is an update operator: _set, _inc and the jsonb ones.
type updateOp struct {
	arg, input string // "_set", "set"
	argDesc    string
	inputDesc  func(t *hasuraproject.Table) string
	applies    func(*hasuraproject.Column) bool
	// typ is the input field's type for a column; nil means the column's.
	typ func(b *builder, c *hasuraproject.Column) *ast.Type
}

func all(*hasuraproject.Column) bool { return true }

const (
	appendDesc     = "append existing jsonb value of filtered columns with new jsonb value"
	prependDesc    = "prepend existing jsonb value of filtered columns with new jsonb value"
	deleteKeyDesc  = "delete key/value pair or string element. key/value pairs are matched based on their key value"
	deleteElemDesc = "delete the array element with specified index (negative integers count from the end). throws an error if top level container is not an array"
	deletePathDesc = "delete the field or element with specified path (for JSON arrays, negative integers count from the end)"
)

func same(s string) func(*hasuraproject.Table) string {
	return func(*hasuraproject.Table) string { return s }
}

var updateOps = []updateOp{
	{arg: "_append", input: "append", argDesc: appendDesc, inputDesc: same(appendDesc), applies: isJSONB},
	{arg: "_delete_at_path", input: "delete_at_path", argDesc: deletePathDesc, inputDesc: same(deletePathDesc), applies: isJSONB,
		typ: func(*builder, *hasuraproject.Column) *ast.Type { return listOf(nonNull("String")) }},
	{arg: "_delete_elem", input: "delete_elem", argDesc: deleteElemDesc, inputDesc: same(deleteElemDesc), applies: isJSONB,
		typ: func(*builder, *hasuraproject.Column) *ast.Type { return named("Int") }},
	{arg: "_delete_key", input: "delete_key", argDesc: deleteKeyDesc, inputDesc: same(deleteKeyDesc), applies: isJSONB,
		typ: func(*builder, *hasuraproject.Column) *ast.Type { return named("String") }},
	{arg: "_inc", input: "inc", argDesc: "increments the numeric columns with given value of the filtered values",
		inputDesc: func(t *hasuraproject.Table) string {
			return "input type for incrementing numeric columns in table " + quoted(t)
		},
		applies: isNumeric},
	{arg: "_prepend", input: "prepend", argDesc: prependDesc, inputDesc: same(prependDesc), applies: isJSONB},
	{arg: "_set", input: "set", argDesc: "sets the columns of the filtered rows to the given values",
		inputDesc: func(t *hasuraproject.Table) string { return "input type for updating data in table " + quoted(t) },
		applies:   all},
}

// updateArgs returns the operator arguments for the role's update columns.
func (b *builder) updateArgs(t *hasuraproject.Table, cols []*hasuraproject.Column) []*ast.ArgumentDefinition {
	var args []*ast.ArgumentDefinition
	for _, op := range updateOps {
		applicable := filterColumns(cols, op.applies)
		if len(applicable) == 0 {
			continue
		}
		name := TypeName(t) + "_" + op.input + "_input"
		if !b.has(name) {
			d := &ast.Definition{Kind: ast.InputObject, Name: name, Description: op.inputDesc(t)}
			for _, c := range applicable {
				typ := named(b.scalar(c.Type))
				if op.typ != nil {
					typ = op.typ(b, c)
				}
				d.Fields = append(d.Fields, field(c.Name, c.Comment, typ))
			}
			b.define(d)
		}
		args = append(args, arg(op.arg, op.argDesc, named(name)))
	}
	return args
}

func (b *builder) updateRoots(t *hasuraproject.Table, a access) {
	if !a.updPerm || a.updBackendOnly || !t.Updatable {
		return
	}
	g := TypeName(t)
	ops := b.updateArgs(t, a.upd)
	where := b.boolExp(t)
	resp := b.mutationResponse(t)
	b.root(ast.Mutation, field("update_"+g, "update data of the table: "+quoted(t), named(resp),
		append(slices.Clone(ops), arg("where", "filter the rows which have to be updated", nonNull(where)))...), Update, t)
	if pk := b.pkArgs(t, a.sel); pk != nil {
		input := &ast.Definition{Kind: ast.InputObject, Name: g + "_pk_columns_input", Description: "primary key columns input for table: " + sqlName(t)}
		for _, p := range pk {
			input.Fields = append(input.Fields, field(p.Name, p.Description, p.Type))
		}
		b.define(input)
		b.root(ast.Mutation, field("update_"+g+"_by_pk", "update single row of the table: "+quoted(t), named(b.objectType(t)),
			append(slices.Clone(ops), arg("pk_columns", "", nonNull(input.Name)))...), UpdateByPk, t)
	}
	updates := &ast.Definition{Kind: ast.InputObject, Name: g + "_updates", Fields: ast.FieldList{field("where", "", nonNull(where))}}
	for _, op := range ops {
		updates.Fields = append(updates.Fields, field(op.Name, op.Description, op.Type))
	}
	b.define(updates)
	b.root(ast.Mutation, field("update_"+g+"_many", "update multiples rows of table: "+quoted(t), listOf(named(resp)),
		arg("updates", "updates to execute, in order", nnListOf(nonNull(updates.Name)))), UpdateMany, t)
}

func (b *builder) deleteRoots(t *hasuraproject.Table, a access) {
	// Hasura checks that a view is insertable, not deletable, before it
	// offers deletes; the generator does the same.
	if !a.del || a.delBackendOnly || !t.Insertable {
		return
	}
	g := TypeName(t)
	b.root(ast.Mutation, field("delete_"+g, "delete data from the table: "+quoted(t), named(b.mutationResponse(t)),
		arg("where", "filter the rows which have to be deleted", nonNull(b.boolExp(t)))), Delete, t)
	if pk := b.pkArgs(t, a.sel); pk != nil {
		b.root(ast.Mutation, field("delete_"+g+"_by_pk", "delete single row from the table: "+quoted(t), named(b.objectType(t)), pk...), DeleteByPk, t)
	}
}

// streamField is <t>_stream with its cursor types.
func (b *builder) streamField(t *hasuraproject.Table) *ast.FieldDefinition {
	g := TypeName(t)
	ordering := b.define(&ast.Definition{Kind: ast.Enum, Name: "cursor_ordering", Description: "ordering argument of a cursor",
		EnumValues: ast.EnumValueList{
			{Name: "ASC", Description: "ascending ordering of the cursor"},
			{Name: "DESC", Description: "descending ordering of the cursor"},
		}})
	value := &ast.Definition{Kind: ast.InputObject, Name: g + "_stream_cursor_value_input",
		Description: "Initial value of the column from where the streaming should start"}
	for _, c := range b.access(t).sel.cols {
		value.Fields = append(value.Fields, field(c.Name, c.Comment, named(b.scalar(c.Type))))
	}
	b.define(value)
	// Unlike the other descriptions, this one names the table by its
	// GraphQL name.
	cursor := b.define(&ast.Definition{Kind: ast.InputObject, Name: g + "_stream_cursor_input", Description: `Streaming cursor of the table "` + g + `"`,
		Fields: ast.FieldList{
			field("initial_value", "Stream column input with initial value", nonNull(value.Name)),
			field("ordering", "cursor ordering", named(ordering)),
		}})
	return field(g+"_stream", "fetch data from the table in a streaming manner: "+quoted(t), nnListOf(nonNull(b.objectType(t))),
		arg("batch_size", "maximum number of rows returned in a single batch", nonNull("Int")),
		arg("cursor", "cursor to stream the results returned by the query", nnListOf(named(cursor))),
		arg("where", "filter the rows returned", named(b.boolExp(t))))
}
