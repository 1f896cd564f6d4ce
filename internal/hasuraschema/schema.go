package hasuraschema

import (
	"bytes"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// AdminRole sees every table, column and root field.
const AdminRole = "admin"

// ErrInvalidName is returned when a table, column or relationship name is
// not a GraphQL name (Hasura then needs a custom name, which the loader
// does not model).
var ErrInvalidName = errors.New("hasuraschema: not a valid GraphQL name")

// Schema is the GraphQL schema one role sees.
type Schema struct {
	Role string
	// AST is the validated schema, as gqlparser's validator and
	// introspection use it.
	AST *ast.Schema
	// Roots says what each root field does, by operation type and field
	// name.
	Roots map[ast.Operation]map[string]RootField
	// Tables maps the object type of each selectable table (its GraphQL
	// name, as TypeName gives it) to the table.
	Tables map[string]*hasuraproject.Table
}

// RootKind is what a root field does.
type RootKind int

// Root field kinds.
const (
	// Select is <table>: a list of rows.
	Select RootKind = iota
	// SelectByPk is <table>_by_pk: one row or null.
	SelectByPk
	// SelectAggregate is <table>_aggregate.
	SelectAggregate
	// SelectStream is the subscription <table>_stream.
	SelectStream
	// Insert is insert_<table>.
	Insert
	// InsertOne is insert_<table>_one.
	InsertOne
	// Update is update_<table>.
	Update
	// UpdateByPk is update_<table>_by_pk.
	UpdateByPk
	// UpdateMany is update_<table>_many.
	UpdateMany
	// Delete is delete_<table>.
	Delete
	// DeleteByPk is delete_<table>_by_pk.
	DeleteByPk
	// NoQueries is the placeholder no_queries_available of a role that can
	// query nothing.
	NoQueries
)

// RootField is a root field and the table it acts on (nil for NoQueries).
type RootField struct {
	Kind  RootKind
	Table *hasuraproject.Table
}

// SDL returns the schema as GraphQL SDL, types in name order.
func (s *Schema) SDL() string {
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(s.AST)
	return b.String()
}

// Generate builds the schema role sees of p, with Hasura v2's names,
// shapes and descriptions. The admin role sees everything; a role without
// permissions gets a query root with only no_queries_available.
func Generate(p *hasuraproject.Project, role string) (*Schema, error) {
	b := &builder{
		p: p, role: role, admin: role == AdminRole,
		defs:   map[string]*ast.Definition{},
		schema: &Schema{Role: role, Roots: map[ast.Operation]map[string]RootField{}, Tables: map[string]*hasuraproject.Table{}},
		roots:  map[ast.Operation]*ast.Definition{},
	}
	for _, t := range p.Tables {
		if err := b.checkNames(t); err != nil {
			return nil, err
		}
	}
	for _, t := range p.Tables {
		b.table(t)
	}
	return b.finish()
}

// builder accumulates the definitions of one role's schema.
type builder struct {
	p      *hasuraproject.Project
	role   string
	admin  bool
	defs   map[string]*ast.Definition
	roots  map[ast.Operation]*ast.Definition
	schema *Schema
}

// define registers a type once; later calls with the same name return the
// first definition, like Hasura's memoised parsers.
func (b *builder) define(d *ast.Definition) string {
	if _, ok := b.defs[d.Name]; !ok {
		b.defs[d.Name] = d
	}
	return d.Name
}

func (b *builder) has(name string) bool {
	_, ok := b.defs[name]
	return ok
}

func (b *builder) root(op ast.Operation, f *ast.FieldDefinition, kind RootKind, t *hasuraproject.Table) {
	d := b.roots[op]
	if d == nil {
		d = &ast.Definition{Kind: ast.Object, Name: rootTypeNames[op]}
		if op == ast.Mutation {
			d.Description = "mutation root"
		}
		b.roots[op] = d
		b.schema.Roots[op] = map[string]RootField{}
	}
	d.Fields = append(d.Fields, f)
	b.schema.Roots[op][f.Name] = RootField{Kind: kind, Table: t}
}

var rootTypeNames = map[ast.Operation]string{ast.Query: "query_root", ast.Mutation: "mutation_root", ast.Subscription: "subscription_root"}

// cachedDirective is Hasura Cloud's @cached, which its schema carries.
const cachedDirective = `"whether this query should be cached (Hasura Cloud only)"
directive @cached("measured in seconds" ttl: Int! = 60 "refresh the cache entry" refresh: Boolean! = false) on QUERY
`

func (b *builder) finish() (*Schema, error) {
	if b.roots[ast.Query] == nil {
		b.root(ast.Query, &ast.FieldDefinition{
			Name:        "no_queries_available",
			Description: "There are no queries available to the current role. Either there are no sources or remote schemas configured, or the current role doesn't have the required permissions.",
			Type:        ast.NonNullNamedType("String", nil),
		}, NoQueries, nil)
	}
	doc := &ast.SchemaDocument{}
	schemaDef := &ast.SchemaDefinition{}
	for _, op := range []ast.Operation{ast.Query, ast.Mutation, ast.Subscription} {
		if d := b.roots[op]; d != nil {
			b.defs[d.Name] = d
			schemaDef.OperationTypes = append(schemaDef.OperationTypes, &ast.OperationTypeDefinition{Operation: op, Type: d.Name})
		}
	}
	doc.Schema = append(doc.Schema, schemaDef)
	names := make([]string, 0, len(b.defs))
	for n := range b.defs {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, n := range names {
		d := b.defs[n]
		sortDefinition(d)
		doc.Definitions = append(doc.Definitions, d)
	}
	var sdl bytes.Buffer
	formatter.NewFormatter(&sdl, formatter.WithIndent("  ")).FormatSchemaDocument(doc)
	sdl.WriteString(cachedDirective)
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "hasura-" + b.role + ".graphql", Input: sdl.String()})
	if err != nil {
		return nil, fmt.Errorf("hasuraschema: generated schema for role %q does not validate: %w", b.role, err)
	}
	restoreDescriptions(s, b.defs)
	b.schema.AST = s
	return b.schema, nil
}

// restoreDescriptions puts the descriptions back as built: SDL block
// strings drop the trailing newline of Hasura's commented-table
// descriptions.
func restoreDescriptions(s *ast.Schema, defs map[string]*ast.Definition) {
	for name, d := range defs {
		loaded := s.Types[name]
		loaded.Description = d.Description
		for _, f := range d.Fields {
			lf := loaded.Fields.ForName(f.Name)
			lf.Description = f.Description
			for _, a := range f.Arguments {
				lf.Arguments.ForName(a.Name).Description = a.Description
			}
		}
		for _, v := range d.EnumValues {
			loaded.EnumValues.ForName(v.Name).Description = v.Description
		}
	}
}

// sortDefinition orders fields, arguments and enum values by name, as
// Hasura's schema dumps list them.
func sortDefinition(d *ast.Definition) {
	slices.SortFunc(d.Fields, func(a, c *ast.FieldDefinition) int { return strings.Compare(a.Name, c.Name) })
	for _, f := range d.Fields {
		slices.SortFunc(f.Arguments, func(a, c *ast.ArgumentDefinition) int { return strings.Compare(a.Name, c.Name) })
	}
	slices.SortFunc(d.EnumValues, func(a, c *ast.EnumValueDefinition) int { return strings.Compare(a.Name, c.Name) })
}
