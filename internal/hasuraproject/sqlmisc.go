package hasuraproject

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// Trigger timing and event bits, as Postgres' TRIGGER_TYPE_* constants.
const (
	triggerInstead = 1 << 6
	triggerInsert  = 1 << 2
	triggerDelete  = 1 << 3
	triggerUpdate  = 1 << 4
)

func (c *catalog) createIndex(s *pg.IndexStmt) *Error {
	r, err := c.lookupTable(s.Relation, false, relTable, relMatView)
	if err != nil {
		return err
	}
	t := r.table
	var names, nameParts []string
	var cols []*Column
	for _, p := range s.IndexParams {
		ie := p.GetIndexElem()
		if ie.GetName() != "" {
			col := t.Column(ie.Name)
			if col == nil {
				return c.errf(ErrUndefined, "column %q does not exist", ie.Name)
			}
			names, cols = append(names, ie.Name), append(cols, col)
			nameParts = append(nameParts, ie.Name)
			continue
		}
		part := "expr"
		if fc := ie.GetExpr().GetFuncCall(); fc != nil {
			_, part = qualifiedName(fc.Funcname)
		}
		nameParts = append(nameParts, part)
	}
	name := s.Idxname
	if name == "" {
		name = c.chooseRelationName(t.Schema, t.Name, indexNameAddition(nameParts), "idx")
	} else if c.rels[qname{t.Schema, name}] != nil {
		if s.IfNotExists {
			return nil
		}
		return c.relationNameFree(t.Schema, name)
	}
	ix := &index{table: t, unique: s.Unique, columns: cols}
	if s.Unique {
		ix.constraint = &Constraint{Name: name, Columns: names}
		t.UniqueConstraints = append(t.UniqueConstraints, ix.constraint)
	}
	c.rels[qname{t.Schema, name}] = &relation{kind: relIndex, index: ix}
	return nil
}

func (c *catalog) comment(s *pg.CommentStmt) *Error {
	switch s.Objtype {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW:
		schema, name := qualifiedName(s.Object.GetList().GetItems())
		_, r := c.lookup(schema, name)
		if r == nil || r.table == nil {
			return c.errf(ErrUndefined, "relation %q does not exist", qualified(schema, name))
		}
		r.table.Comment = s.Comment
		return nil
	case pg.ObjectType_OBJECT_COLUMN:
		items := stringList(s.Object.GetList().GetItems())
		if len(items) < 2 {
			return c.errf(ErrInvalid, "column name must be qualified")
		}
		schema, name := qualifiedNameOf(items[:len(items)-1])
		_, r := c.lookup(schema, name)
		if r == nil || r.table == nil {
			return c.errf(ErrUndefined, "relation %q does not exist", qualified(schema, name))
		}
		col, err := c.column(r.table, items[len(items)-1])
		if err != nil {
			return err
		}
		col.Comment = s.Comment
		return nil
	}
	c.skip("COMMENT ON " + objectWord(s.Objtype))
	return nil
}

func qualifiedNameOf(parts []string) (schema, name string) {
	if len(parts) == 1 {
		return "", parts[0]
	}
	return parts[len(parts)-2], parts[len(parts)-1]
}

func (c *catalog) createSchema(s *pg.CreateSchemaStmt) *Error {
	if len(s.SchemaElts) > 0 {
		return c.errf(ErrUnsupported, "CREATE SCHEMA with schema elements is not modelled")
	}
	name := s.Schemaname
	if name == "" {
		return c.errf(ErrUnsupported, "CREATE SCHEMA AUTHORIZATION without a name is not modelled")
	}
	if c.schemas[name] {
		if s.IfNotExists {
			return nil
		}
		return c.errf(ErrInvalid, "schema %q already exists", name)
	}
	c.schemas[name] = true
	return nil
}

func (c *catalog) createSequence(s *pg.CreateSeqStmt) *Error {
	schema, err := c.creationSchema(s.Sequence.Schemaname)
	if err != nil {
		return err
	}
	if c.rels[qname{schema, s.Sequence.Relname}] != nil {
		if s.IfNotExists {
			return nil
		}
		return c.relationNameFree(schema, s.Sequence.Relname)
	}
	c.rels[qname{schema, s.Sequence.Relname}] = &relation{kind: relSequence}
	return nil
}

// alterSequence records OWNED BY, so that dropping the table drops the
// sequence; the other options do not matter here.
func (c *catalog) alterSequence(s *pg.AlterSeqStmt) *Error {
	_, r := c.lookup(s.Sequence.Schemaname, s.Sequence.Relname)
	if r == nil || r.kind != relSequence {
		if s.MissingOk {
			return nil
		}
		return c.errf(ErrUndefined, "sequence %q does not exist", qualified(s.Sequence.Schemaname, s.Sequence.Relname))
	}
	for _, o := range s.Options {
		de := o.GetDefElem()
		if de.GetDefname() != "owned_by" {
			continue
		}
		items := stringList(de.Arg.GetList().GetItems())
		if len(items) == 1 && items[0] == "none" {
			r.owner = nil
			continue
		}
		if len(items) < 2 {
			continue
		}
		schema, name := qualifiedNameOf(items[:len(items)-1])
		_, tr := c.lookup(schema, name)
		if tr == nil || tr.table == nil {
			return c.errf(ErrUndefined, "relation %q does not exist", qualified(schema, name))
		}
		if _, err := c.column(tr.table, items[len(items)-1]); err != nil {
			return err
		}
		r.owner = tr.table
	}
	return nil
}

// createTrigger models INSTEAD OF triggers on views, which make them
// insertable, updatable or deletable; other triggers only run code.
func (c *catalog) createTrigger(s *pg.CreateTrigStmt) *Error {
	if s.Timing&triggerInstead == 0 {
		c.skip("CREATE TRIGGER")
		return nil
	}
	r, err := c.lookupTable(s.Relation, false, relView)
	if err != nil {
		return err
	}
	if r.instead == nil {
		r.instead = map[string]int32{}
	}
	r.instead[s.Trigname] = s.Events
	r.refreshMutability()
	return nil
}

func (c *catalog) dropTrigger(relation []string, name string) {
	schema, rel := qualifiedNameOf(relation)
	if _, r := c.lookup(schema, rel); r != nil && r.instead != nil {
		delete(r.instead, name)
		r.refreshMutability()
	}
}

// setVariable follows search_path, which decides where unqualified names
// go; other settings do not matter here.
func (c *catalog) setVariable(s *pg.VariableSetStmt) {
	if s.Name != "search_path" {
		c.skip("SET " + s.Name)
		return
	}
	switch s.Kind {
	case pg.VariableSetKind_VAR_SET_VALUE:
		c.searchPath = nil
		for _, a := range s.Args {
			if k := a.GetAConst(); k != nil {
				v, _ := constText(k)
				c.searchPath = append(c.searchPath, splitSearchPath(v)...)
			}
		}
	case pg.VariableSetKind_VAR_SET_DEFAULT, pg.VariableSetKind_VAR_RESET, pg.VariableSetKind_VAR_RESET_ALL:
		c.searchPath = []string{"public"}
	}
}

// setConfig follows pg_dump's SELECT pg_catalog.set_config('search_path', …).
func (c *catalog) setConfig(sel *pg.SelectStmt) bool {
	if len(sel.TargetList) != 1 || len(sel.FromClause) > 0 {
		return false
	}
	fc := sel.TargetList[0].GetResTarget().GetVal().GetFuncCall()
	if fc == nil || len(fc.Args) < 2 {
		return false
	}
	if _, fn := qualifiedName(fc.Funcname); fn != "set_config" {
		return false
	}
	name, _ := constText(fc.Args[0].GetAConst())
	if name != "search_path" || fc.Args[1].GetAConst() == nil {
		return false
	}
	v, _ := constText(fc.Args[1].GetAConst())
	c.searchPath = splitSearchPath(v)
	return true
}

func splitSearchPath(v string) []string {
	var out []string
	start := 0
	for i := 0; i <= len(v); i++ {
		if i == len(v) || v[i] == ',' {
			if p := trimIdent(v[start:i]); p != "" {
				out = append(out, p)
			}
			start = i + 1
		}
	}
	return out
}

func trimIdent(s string) string {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		return s[1 : len(s)-1]
	}
	return strings.ToLower(s)
}
