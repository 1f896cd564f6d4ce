package hasuraproject

import (
	"fmt"
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// catalog is the database the migrations build, statement by statement:
// a small pg_catalog with just what Hasura reads back.
type catalog struct {
	src        *sqlSource
	report     *Report
	searchPath []string
	schemas    map[string]bool
	rels       map[qname]*relation
	types      map[qname]*typeEntry
	checks     map[*Table][]checkConstraint
	// pos is the position of the statement being applied, for errors.
	pos Position
	// deparse prints an expression as Postgres would.
	deparse func(*pg.Node) (string, error)
}

type qname struct{ schema, name string }

func (q qname) String() string { return q.schema + "." + q.name }

type relKind int

const (
	relTable relKind = iota
	relView
	relMatView
	relSequence
	relIndex
)

func (k relKind) String() string {
	return [...]string{"table", "view", "materialized view", "sequence", "index"}[k]
}

// relation is an entry of a schema's relation namespace, which tables,
// views, sequences and indexes share.
type relation struct {
	kind  relKind
	table *Table    // tables and views
	deps  []viewDep // views: the relations and columns they read
	index *index    // indexes
	owner *Table    // sequences: the table whose drop takes them along
	// auto is what Postgres can do through a view by itself: insert,
	// update, delete; instead holds its INSTEAD OF triggers' events.
	auto    [3]bool
	instead map[string]int32
}

// refreshMutability sets a view's Insertable, Updatable and Deletable from
// what Postgres does by itself and what INSTEAD OF triggers add, as
// pg_relation_is_updatable reports them.
func (r *relation) refreshMutability() {
	if r.kind != relView {
		return
	}
	var ev int32
	for _, e := range r.instead {
		ev |= e
	}
	t := r.table
	t.Insertable = r.auto[0] || ev&triggerInsert != 0
	t.Updatable = r.auto[1] || ev&triggerUpdate != 0
	t.Deletable = r.auto[2] || ev&triggerDelete != 0
}

// viewDep is a relation (column nil) or column a view reads.
type viewDep struct {
	table  *Table
	column *Column
}

// index is an index, and the primary key or unique constraint it
// implements when it implements one.
type index struct {
	table      *Table
	unique     bool
	constraint *Constraint // nil for a plain index
	primary    bool
	// fromConstraint is true when PRIMARY KEY or UNIQUE created the index
	// (a constraint Postgres drops with ALTER TABLE … DROP CONSTRAINT),
	// false for CREATE UNIQUE INDEX.
	fromConstraint bool
	columns        []*Column
}

// checkConstraint is kept only for its name and the columns whose drop
// takes it along.
type checkConstraint struct {
	name    string
	columns []*Column
}

type typeEntry struct {
	enum      *EnumType
	domain    *Type // a domain's base type
	composite bool
}

func newCatalog(src *sqlSource, report *Report) *catalog {
	return &catalog{
		src:        src,
		report:     report,
		searchPath: []string{"public"},
		schemas:    map[string]bool{"public": true},
		rels:       map[qname]*relation{},
		types:      map[qname]*typeEntry{},
		checks:     map[*Table][]checkConstraint{},
		deparse:    deparseExpr,
	}
}

func (c *catalog) errf(kind error, format string, args ...any) *Error {
	return errAt(c.pos, kind, format, args...)
}

// at returns the position of a node's location, or of the statement.
func (c *catalog) at(location int32) Position {
	if location <= 0 {
		return c.pos
	}
	return c.src.pos(int(location))
}

func (c *catalog) errAtLoc(location int32, kind error, format string, args ...any) *Error {
	return errAt(c.at(location), kind, format, args...)
}

func (c *catalog) skip(kind string) {
	c.report.Skipped = append(c.report.Skipped, Skip{Position: c.pos, Kind: kind})
}

// creationSchema is the schema a CREATE puts an object in.
func (c *catalog) creationSchema(schema string) (string, *Error) {
	if schema != "" {
		if !c.schemas[schema] {
			return "", c.errf(ErrUndefined, "schema %q does not exist", schema)
		}
		return schema, nil
	}
	for _, s := range c.searchPath {
		if c.schemas[s] {
			return s, nil
		}
	}
	return "", c.errf(ErrInvalid, "no schema has been selected to create in")
}

// lookup finds a relation through the search path.
func (c *catalog) lookup(schema, name string) (qname, *relation) {
	if schema != "" {
		q := qname{schema, name}
		return q, c.rels[q]
	}
	for _, s := range c.searchPath {
		q := qname{s, name}
		if r := c.rels[q]; r != nil {
			return q, r
		}
	}
	return qname{}, nil
}

// lookupTable finds a table, view or materialized view; kinds limits the
// kinds accepted, as Postgres refuses ALTER TABLE on a view and the like.
func (c *catalog) lookupTable(rv *pg.RangeVar, missingOK bool, kinds ...relKind) (*relation, *Error) {
	q, r := c.lookup(rv.Schemaname, rv.Relname)
	if r == nil {
		if missingOK {
			return nil, nil
		}
		return nil, c.errAtLoc(rv.Location, ErrUndefined, "relation %q does not exist", qualified(rv.Schemaname, rv.Relname))
	}
	if !slices.Contains(kinds, r.kind) {
		return nil, c.errAtLoc(rv.Location, ErrInvalid, "%q is a %s", q.String(), r.kind)
	}
	return r, nil
}

func qualified(schema, name string) string {
	if schema == "" {
		return name
	}
	return schema + "." + name
}

// relationNameFree reports an error if schema.name is taken.
func (c *catalog) relationNameFree(schema, name string) *Error {
	if r := c.rels[qname{schema, name}]; r != nil {
		return c.errf(ErrInvalid, "relation %q already exists", qname{schema, name}.String())
	}
	return nil
}

// namedatalen is Postgres' identifier limit plus one.
const namedatalen = 64

// makeObjectName is Postgres' makeObjectName: name1_name2_label cut to 63
// bytes by shortening the longer of name1 and name2.
func makeObjectName(name1, name2, label string) string {
	n1, n2 := len(name1), len(name2)
	overhead := 0
	if name2 != "" {
		overhead++
	}
	if label != "" {
		overhead += len(label) + 1
	}
	avail := namedatalen - 1 - overhead
	for n1+n2 > avail {
		if n1 > n2 {
			n1--
		} else {
			n2--
		}
	}
	out := clipUTF8(name1, n1)
	if name2 != "" {
		out += "_" + clipUTF8(name2, n2)
	}
	if label != "" {
		out += "_" + label
	}
	return out
}

// clipUTF8 cuts s to at most n bytes without splitting a character.
func clipUTF8(s string, n int) string {
	if n >= len(s) {
		return s
	}
	for n > 0 && n < len(s) && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// chooseRelationName is Postgres' ChooseRelationName: the first of
// name1_name2_label, name1_name2_label1, … free in the schema.
func (c *catalog) chooseRelationName(schema, name1, name2, label string) string {
	name := makeObjectName(name1, name2, label)
	for pass := 1; c.rels[qname{schema, name}] != nil; pass++ {
		name = makeObjectName(name1, name2, fmt.Sprintf("%s%d", label, pass))
	}
	return name
}

// chooseConstraintName is Postgres' ChooseConstraintName: unique among the
// constraints of the schema.
func (c *catalog) chooseConstraintName(schema, name1, name2, label string) string {
	taken := c.constraintNames(schema)
	name := makeObjectName(name1, name2, label)
	for pass := 1; taken[name]; pass++ {
		name = makeObjectName(name1, name2, fmt.Sprintf("%s%d", label, pass))
	}
	return name
}

func (c *catalog) constraintNames(schema string) map[string]bool {
	names := map[string]bool{}
	for q, r := range c.rels {
		if q.schema != schema || r.table == nil || r.kind != relTable {
			continue
		}
		for _, n := range c.tableConstraintNames(r.table) {
			names[n] = true
		}
	}
	return names
}

func (c *catalog) tableConstraintNames(t *Table) []string {
	var names []string
	for _, k := range t.Constraints() {
		names = append(names, k.Name)
	}
	for _, fk := range t.ForeignKeys {
		names = append(names, fk.Name)
	}
	for _, ck := range c.checks[t] {
		names = append(names, ck.name)
	}
	return names
}

// indexNameAddition joins column names as Postgres' ChooseIndexNameAddition.
func indexNameAddition(cols []string) string {
	var b strings.Builder
	for _, col := range cols {
		if b.Len() > 0 {
			b.WriteByte('_')
		}
		b.WriteString(col)
		if b.Len() >= namedatalen {
			break
		}
	}
	return clipUTF8(b.String(), namedatalen-1)
}

// indexesOf returns the indexes of a table.
func (c *catalog) indexesOf(t *Table) map[qname]*index {
	out := map[qname]*index{}
	for q, r := range c.rels {
		if r.kind == relIndex && r.index.table == t {
			out[q] = r.index
		}
	}
	return out
}

// qnameOf returns the name a table is registered under.
func qnameOf(t *Table) qname { return qname{t.Schema, t.Name} }
