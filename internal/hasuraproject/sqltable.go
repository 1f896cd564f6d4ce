package hasuraproject

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
)

func (c *catalog) createTable(s *pg.CreateStmt) *Error {
	rv := s.Relation
	switch {
	case rv.Relpersistence == "t":
		return c.errf(ErrUnsupported, "temporary tables are not modelled")
	case s.Partbound != nil || len(s.InhRelations) > 0:
		return c.errf(ErrUnsupported, "inheritance and partitions (INHERITS, PARTITION OF) are not modelled")
	case s.OfTypename != nil:
		return c.errf(ErrUnsupported, "typed tables (OF type) are not modelled")
	}
	schema, err := c.creationSchema(rv.Schemaname)
	if err != nil {
		return err
	}
	if c.rels[qname{schema, rv.Relname}] != nil {
		if s.IfNotExists {
			return nil
		}
		return c.relationNameFree(schema, rv.Relname)
	}
	t := &Table{
		Schema: schema, Name: rv.Relname, Kind: KindTable,
		Insertable: true, Updatable: true, Deletable: true,
		Permissions: map[string]*Permissions{},
	}
	c.rels[qname{schema, rv.Relname}] = &relation{kind: relTable, table: t}

	type pending struct {
		con *pg.Constraint
		col string
	}
	var cons []pending
	for _, elt := range s.TableElts {
		switch {
		case elt.GetColumnDef() != nil:
			cd := elt.GetColumnDef()
			if t.Column(cd.Colname) != nil {
				return c.errAtLoc(cd.Location, ErrInvalid, "column %q specified more than once", cd.Colname)
			}
			col, tableCons, err := c.columnDef(t, cd)
			if err != nil {
				return err
			}
			t.Columns = append(t.Columns, col)
			for _, k := range tableCons {
				cons = append(cons, pending{k, cd.Colname})
			}
		case elt.GetConstraint() != nil:
			cons = append(cons, pending{con: elt.GetConstraint()})
		default:
			return c.errf(ErrUnsupported, "CREATE TABLE … (LIKE …) is not modelled")
		}
	}
	// Postgres creates the primary key's index first, then the others in
	// order, and keeps one index per key column list: a repeated key is
	// left out, lending its name to an earlier unnamed one.
	slices.SortStableFunc(cons, func(a, b pending) int {
		return btoi(b.con.Contype == pg.ConstrType_CONSTR_PRIMARY) - btoi(a.con.Contype == pg.ConstrType_CONSTR_PRIMARY)
	})
	var keys []*pg.Constraint
	var fks []pending
	for _, p := range cons {
		con := p.con
		if con.Contype == pg.ConstrType_CONSTR_PRIMARY || con.Contype == pg.ConstrType_CONSTR_UNIQUE {
			cols := constraintKeys(con, p.col)
			i := slices.IndexFunc(keys, func(k *pg.Constraint) bool { return slices.Equal(constraintKeys(k, ""), cols) })
			if i >= 0 {
				if keys[i].Conname == "" {
					keys[i].Conname = con.Conname
				}
				continue
			}
			// A copy with explicit columns, whose name a later duplicate may set.
			con = proto.Clone(con).(*pg.Constraint)
			if len(con.Keys) == 0 {
				con.Keys = []*pg.Node{pg.MakeStrNode(p.col)}
			}
			keys = append(keys, con)
			continue
		}
		if con.Contype == pg.ConstrType_CONSTR_FOREIGN {
			fks = append(fks, p)
			continue
		}
		if err := c.addConstraint(t, con, p.col); err != nil {
			return err
		}
	}
	// Checks come with the table, keys next, foreign keys last (they may
	// reference the keys).
	for _, k := range keys {
		if err := c.addConstraint(t, k, ""); err != nil {
			return err
		}
	}
	for _, p := range fks {
		if err := c.addConstraint(t, p.con, p.col); err != nil {
			return err
		}
	}
	return nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// columnDef builds a column; it returns the column constraints that are
// table constraints in disguise (PRIMARY KEY, UNIQUE, REFERENCES, CHECK).
func (c *catalog) columnDef(t *Table, cd *pg.ColumnDef) (*Column, []*pg.Constraint, *Error) {
	if cd.TypeName == nil {
		return nil, nil, c.errAtLoc(cd.Location, ErrInvalid, "column %q has no type", cd.Colname)
	}
	typ, serial, err := c.resolveType(cd.TypeName, true)
	if err != nil {
		return nil, nil, err
	}
	col := &Column{Name: cd.Colname, Type: typ, Nullable: true}
	if serial != "" {
		seq := c.chooseRelationName(t.Schema, t.Name, cd.Colname, "seq")
		c.rels[qname{t.Schema, seq}] = &relation{kind: relSequence, owner: t}
		col.Nullable = false
		col.Default = Default{Kind: SequenceDefault, Sequence: t.Schema + "." + seq,
			Expr: "nextval('" + qualifiedSeq(t.Schema, seq) + "'::regclass)"}
	}
	var tableCons []*pg.Constraint
	sawNull, sawNotNull := false, false
	for _, n := range cd.Constraints {
		con := n.GetConstraint()
		if con == nil {
			continue
		}
		switch con.Contype {
		case pg.ConstrType_CONSTR_NULL:
			sawNull = true
			col.Nullable = true
		case pg.ConstrType_CONSTR_NOTNULL:
			sawNotNull = true
			col.Nullable = false
		case pg.ConstrType_CONSTR_DEFAULT:
			if serial != "" {
				return nil, nil, c.errAtLoc(con.Location, ErrInvalid, "multiple default values specified for column %q", cd.Colname)
			}
			d, err := c.defaultOf(con.RawExpr, t.Schema)
			if err != nil {
				return nil, nil, err
			}
			col.Default = d
		case pg.ConstrType_CONSTR_IDENTITY:
			if err := c.makeIdentity(t, col, con); err != nil {
				return nil, nil, err
			}
		case pg.ConstrType_CONSTR_GENERATED:
			col.Generated = true
			expr, _ := c.deparse(con.RawExpr)
			col.Default = Default{Kind: ExpressionDefault, Expr: expr}
		case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE, pg.ConstrType_CONSTR_FOREIGN, pg.ConstrType_CONSTR_CHECK:
			tableCons = append(tableCons, con)
		}
	}
	if sawNull && sawNotNull {
		return nil, nil, c.errAtLoc(cd.Location, ErrInvalid, "conflicting NULL/NOT NULL declarations for column %q", cd.Colname)
	}
	return col, tableCons, nil
}

func qualifiedSeq(schema, seq string) string {
	if schema == "public" {
		return seq
	}
	return schema + "." + seq
}

func (c *catalog) makeIdentity(t *Table, col *Column, con *pg.Constraint) *Error {
	if col.Identity != "" {
		return c.errAtLoc(con.Location, ErrInvalid, "column %q of relation %q is already an identity column", col.Name, t.Name)
	}
	switch col.Type.Name {
	case "int2", "int4", "int8":
	default:
		return c.errAtLoc(con.Location, ErrInvalid, "identity column type must be smallint, integer, or bigint")
	}
	col.Identity = IdentityByDefault
	if con.GeneratedWhen == "a" {
		col.Identity = IdentityAlways
	}
	seq := c.chooseRelationName(t.Schema, t.Name, col.Name, "seq")
	c.rels[qname{t.Schema, seq}] = &relation{kind: relSequence, owner: t}
	col.Nullable = false
	col.Default = Default{Kind: SequenceDefault, Sequence: t.Schema + "." + seq,
		Expr: "nextval('" + qualifiedSeq(t.Schema, seq) + "'::regclass)"}
	return nil
}

// constraintKeys returns a key constraint's columns; a column constraint
// has only its column.
func constraintKeys(con *pg.Constraint, col string) []string {
	nodes := con.Keys
	if con.Contype == pg.ConstrType_CONSTR_FOREIGN {
		nodes = con.FkAttrs
	}
	if len(nodes) == 0 && col != "" {
		return []string{col}
	}
	return stringList(nodes)
}

func stringList(nodes []*pg.Node) []string {
	out := make([]string, 0, len(nodes))
	for _, n := range nodes {
		out = append(out, n.GetString_().GetSval())
	}
	return out
}

// tableColumns resolves column names of t.
func (c *catalog) tableColumns(t *Table, names []string, location int32) ([]*Column, *Error) {
	cols := make([]*Column, 0, len(names))
	for _, n := range names {
		col := t.Column(n)
		if col == nil {
			return nil, c.errAtLoc(location, ErrUndefined, "column %q of relation %q does not exist", n, t.Name)
		}
		cols = append(cols, col)
	}
	return cols, nil
}

// addConstraint adds a table constraint, or a column constraint of col.
func (c *catalog) addConstraint(t *Table, con *pg.Constraint, col string) *Error {
	switch con.Contype {
	case pg.ConstrType_CONSTR_PRIMARY, pg.ConstrType_CONSTR_UNIQUE:
		return c.addKey(t, con, col)
	case pg.ConstrType_CONSTR_FOREIGN:
		return c.addForeignKey(t, con, col)
	case pg.ConstrType_CONSTR_CHECK:
		name := con.Conname
		if name == "" {
			name = c.chooseConstraintName(t.Schema, t.Name, col, "check")
		} else if slices.Contains(c.tableConstraintNames(t), name) {
			return c.errAtLoc(con.Location, ErrInvalid, "constraint %q for relation %q already exists", name, t.Name)
		}
		ck := checkConstraint{name: name}
		if cl := t.Column(col); cl != nil {
			ck.columns = []*Column{cl}
		}
		c.checks[t] = append(c.checks[t], ck)
		return nil
	case pg.ConstrType_CONSTR_NOTNULL:
		cols, err := c.tableColumns(t, constraintKeys(con, col), con.Location)
		if err != nil {
			return err
		}
		for _, cl := range cols {
			cl.Nullable = false
		}
		return nil
	case pg.ConstrType_CONSTR_EXCLUSION:
		name := con.Conname
		if name == "" {
			name = c.chooseRelationName(t.Schema, t.Name, "", "excl")
		}
		if err := c.relationNameFree(t.Schema, name); err != nil {
			return err
		}
		c.rels[qname{t.Schema, name}] = &relation{kind: relIndex, index: &index{table: t, fromConstraint: true}}
		return nil
	case pg.ConstrType_CONSTR_ATTR_DEFERRABLE, pg.ConstrType_CONSTR_ATTR_NOT_DEFERRABLE,
		pg.ConstrType_CONSTR_ATTR_DEFERRED, pg.ConstrType_CONSTR_ATTR_IMMEDIATE:
		return nil
	default:
		return c.errAtLoc(con.Location, ErrUnsupported, "constraint kind %v is not modelled", con.Contype)
	}
}

func (c *catalog) addKey(t *Table, con *pg.Constraint, col string) *Error {
	if t.Kind != KindTable {
		return c.errAtLoc(con.Location, ErrInvalid, "%q is not a table", t.Name)
	}
	primary := con.Contype == pg.ConstrType_CONSTR_PRIMARY
	if primary && t.PrimaryKey != nil {
		return c.errAtLoc(con.Location, ErrInvalid, "multiple primary keys for table %q are not allowed", t.Name)
	}
	if con.Indexname != "" {
		return c.keyFromIndex(t, con, primary)
	}
	names := constraintKeys(con, col)
	cols, err := c.tableColumns(t, names, con.Location)
	if err != nil {
		return err
	}
	name := con.Conname
	switch {
	case name != "":
		if err := c.relationNameFree(t.Schema, name); err != nil {
			return err
		}
	case primary:
		name = c.chooseRelationName(t.Schema, t.Name, "", "pkey")
	default:
		name = c.chooseRelationName(t.Schema, t.Name, indexNameAddition(names), "key")
	}
	k := &Constraint{Name: name, Columns: names}
	if primary {
		t.PrimaryKey = k
		for _, cl := range cols {
			cl.Nullable = false
		}
	} else {
		t.UniqueConstraints = append(t.UniqueConstraints, k)
	}
	c.rels[qname{t.Schema, name}] = &relation{kind: relIndex, index: &index{
		table: t, unique: true, constraint: k, primary: primary, fromConstraint: true, columns: cols,
	}}
	return nil
}

// keyFromIndex is ADD CONSTRAINT … PRIMARY KEY/UNIQUE USING INDEX: the
// index becomes the constraint and takes its name.
func (c *catalog) keyFromIndex(t *Table, con *pg.Constraint, primary bool) *Error {
	q := qname{t.Schema, con.Indexname}
	r := c.rels[q]
	if r == nil || r.kind != relIndex || r.index.table != t {
		return c.errAtLoc(con.Location, ErrUndefined, "index %q for table %q does not exist", con.Indexname, t.Name)
	}
	ix := r.index
	if !ix.unique || ix.fromConstraint || ix.constraint == nil {
		return c.errAtLoc(con.Location, ErrInvalid, "index %q cannot back a constraint", con.Indexname)
	}
	name := con.Conname
	if name == "" {
		name = con.Indexname
	}
	if name != con.Indexname {
		if err := c.relationNameFree(t.Schema, name); err != nil {
			return err
		}
		delete(c.rels, q)
		c.rels[qname{t.Schema, name}] = r
	}
	ix.constraint.Name = name
	ix.fromConstraint = true
	if primary {
		t.UniqueConstraints = slices.DeleteFunc(t.UniqueConstraints, func(k *Constraint) bool { return k == ix.constraint })
		t.PrimaryKey = ix.constraint
		ix.primary = true
		for _, cl := range ix.columns {
			cl.Nullable = false
		}
	}
	return nil
}

var fkActions = map[string]FKAction{"a": NoAction, "r": Restrict, "c": Cascade, "n": SetNull, "d": SetDefault, "": NoAction}

func (c *catalog) addForeignKey(t *Table, con *pg.Constraint, col string) *Error {
	if t.Kind != KindTable {
		return c.errAtLoc(con.Location, ErrInvalid, "%q is not a table", t.Name)
	}
	names := constraintKeys(con, col)
	if _, err := c.tableColumns(t, names, con.Location); err != nil {
		return err
	}
	r, err := c.lookupTable(con.Pktable, false, relTable)
	if err != nil {
		return err
	}
	ref := r.table
	refCols := stringList(con.PkAttrs)
	if len(refCols) == 0 {
		if ref.PrimaryKey == nil {
			return c.errAtLoc(con.Location, ErrInvalid, "there is no primary key for referenced table %q", ref.Name)
		}
		refCols = slices.Clone(ref.PrimaryKey.Columns)
	}
	if len(refCols) != len(names) {
		return c.errAtLoc(con.Location, ErrInvalid, "number of referencing and referenced columns for foreign key disagree")
	}
	if _, err := c.tableColumns(ref, refCols, con.Location); err != nil {
		return err
	}
	if !hasKeyOn(ref, refCols) {
		return c.errAtLoc(con.Location, ErrInvalid, "there is no unique constraint matching given keys for referenced table %q", ref.Name)
	}
	name := con.Conname
	if name == "" {
		name = c.chooseConstraintName(t.Schema, t.Name, indexNameAddition(names), "fkey")
	} else if slices.Contains(c.tableConstraintNames(t), name) {
		return c.errAtLoc(con.Location, ErrInvalid, "constraint %q for relation %q already exists", name, t.Name)
	}
	t.ForeignKeys = append(t.ForeignKeys, &ForeignKey{
		Name: name, Columns: names, RefSchema: ref.Schema, RefTable: ref.Name, RefColumns: refCols,
		OnUpdate: fkActions[con.FkUpdAction], OnDelete: fkActions[con.FkDelAction],
	})
	return nil
}

// hasKeyOn reports whether a primary key or unique index of t covers
// exactly cols (in any order), as a foreign key requires.
func hasKeyOn(t *Table, cols []string) bool {
	for _, k := range t.Constraints() {
		if len(k.Columns) == len(cols) && sameSet(k.Columns, cols) {
			return true
		}
	}
	return false
}

func sameSet(a, b []string) bool {
	for _, x := range a {
		if !slices.Contains(b, x) {
			return false
		}
	}
	return true
}
