package hasuraproject

import (
	pg "github.com/pganalyze/pg_query_go/v6"
)

// viewCol is an output column of a SELECT.
type viewCol struct {
	name string
	typ  Type
	// src is the base column a plain column reference reads; nil for an
	// expression. Postgres can write through a view only to such columns.
	src *viewDep
}

// rangeEntry is a FROM item: its name in the query and its columns.
type rangeEntry struct {
	alias string
	cols  []viewCol
}

type selectInfo struct {
	cols []viewCol
	deps []viewDep
	// simple: one FROM relation and no DISTINCT, GROUP BY, HAVING, LIMIT,
	// OFFSET, WITH, set operation, window or aggregate: what Postgres
	// needs to update through a view automatically.
	simple    bool
	simpleRel *relation
}

func (c *catalog) createView(s *pg.ViewStmt) *Error {
	sel := s.Query.GetSelectStmt()
	if sel == nil {
		return c.errf(ErrUnsupported, "view query is not a SELECT")
	}
	return c.defineView(s.View, sel, stringList(s.Aliases), s.Replace, false)
}

func (c *catalog) createMatView(s *pg.CreateTableAsStmt) *Error {
	sel := s.Query.GetSelectStmt()
	if s.Objtype != pg.ObjectType_OBJECT_MATVIEW || s.Into == nil || sel == nil {
		return c.errf(ErrUnsupported, "CREATE TABLE … AS is not modelled")
	}
	if _, r := c.lookup(s.Into.Rel.Schemaname, s.Into.Rel.Relname); r != nil && s.IfNotExists {
		return nil
	}
	return c.defineView(s.Into.Rel, sel, stringList(s.Into.ColNames), false, true)
}

func (c *catalog) defineView(rv *pg.RangeVar, sel *pg.SelectStmt, aliases []string, replace, materialized bool) *Error {
	if rv.Relpersistence == "t" {
		return c.errf(ErrUnsupported, "temporary views are not modelled")
	}
	schema, err := c.creationSchema(rv.Schemaname)
	if err != nil {
		return err
	}
	q := qname{schema, rv.Relname}
	old := c.rels[q]
	if old != nil && (!replace || old.kind != relView) {
		return c.relationNameFree(schema, rv.Relname)
	}
	info, err := c.inferSelect(sel)
	if err != nil {
		return err
	}
	if len(aliases) > len(info.cols) {
		return c.errf(ErrInvalid, "CREATE VIEW specifies more column names than columns")
	}
	t := &Table{Schema: schema, Name: rv.Relname, Kind: KindView, Permissions: map[string]*Permissions{}}
	kind := relView
	if materialized {
		t.Kind, kind = KindMaterializedView, relMatView
	}
	seen := map[string]bool{}
	anyWritable := false
	for i, vc := range info.cols {
		name := vc.name
		if i < len(aliases) {
			name = aliases[i]
		}
		if seen[name] {
			return c.errf(ErrInvalid, "column %q specified more than once", name)
		}
		seen[name] = true
		col := &Column{Name: name, Type: vc.typ, Nullable: true}
		if old != nil {
			if oc := old.table.Column(name); oc != nil {
				col.Comment, col.Default = oc.Comment, oc.Default
			}
		}
		t.Columns = append(t.Columns, col)
		anyWritable = anyWritable || vc.src != nil
	}
	var auto [3]bool
	if info.simple && !materialized && info.simpleRel != nil && (info.simpleRel.kind == relTable || info.simpleRel.auto[2]) {
		auto = [3]bool{anyWritable, anyWritable, true}
	}
	if old != nil {
		t.Comment = old.table.Comment
		*old.table = *t // keep the pointer others hold (dependent views, metadata)
		old.deps, old.auto = info.deps, auto
		old.refreshMutability()
		return nil
	}
	r := &relation{kind: kind, table: t, deps: info.deps, auto: auto}
	r.refreshMutability()
	c.rels[q] = r
	return nil
}

// inferSelect derives a SELECT's output columns and their types.
func (c *catalog) inferSelect(sel *pg.SelectStmt) (*selectInfo, *Error) {
	if sel.WithClause != nil {
		return nil, c.errf(ErrUnsupported, "view query with WITH is not modelled")
	}
	if sel.Op != pg.SetOperation_SETOP_NONE && sel.Op != pg.SetOperation_SET_OPERATION_UNDEFINED {
		l, err := c.inferSelect(sel.Larg)
		if err != nil {
			return nil, err
		}
		r, err := c.inferSelect(sel.Rarg)
		if err != nil {
			return nil, err
		}
		for i := range l.cols {
			l.cols[i].src = nil
		}
		return &selectInfo{cols: l.cols, deps: append(l.deps, r.deps...)}, nil
	}
	if len(sel.ValuesLists) > 0 {
		return nil, c.errf(ErrUnsupported, "view query with VALUES is not modelled")
	}
	info := &selectInfo{}
	var scope []rangeEntry
	for _, f := range sel.FromClause {
		entries, err := c.fromItem(f, info)
		if err != nil {
			return nil, err
		}
		scope = append(scope, entries...)
	}
	info.simple = len(sel.FromClause) == 1 && sel.FromClause[0].GetRangeVar() != nil &&
		len(sel.DistinctClause) == 0 && len(sel.GroupClause) == 0 && sel.HavingClause == nil &&
		sel.LimitCount == nil && sel.LimitOffset == nil && len(sel.WindowClause) == 0
	if info.simple {
		rv := sel.FromClause[0].GetRangeVar()
		_, info.simpleRel = c.lookup(rv.Schemaname, rv.Relname)
	}
	tc := &typer{c: c, scope: scope, info: info}
	for _, n := range sel.TargetList {
		rt := n.GetResTarget()
		if rt == nil {
			continue
		}
		if len(rt.Indirection) > 0 {
			return nil, c.errAtLoc(rt.Location, ErrUnsupported, "view column with subscripts is not modelled")
		}
		if cr := rt.Val.GetColumnRef(); cr != nil && isStar(cr) {
			cols, err := tc.star(cr)
			if err != nil {
				return nil, err
			}
			info.cols = append(info.cols, cols...)
			continue
		}
		vc, err := tc.expr(rt.Val)
		if err != nil {
			return nil, err
		}
		if rt.Name != "" {
			vc.name = rt.Name
		}
		info.cols = append(info.cols, vc)
	}
	if tc.aggregate {
		info.simple = false
	}
	if !info.simple {
		for i := range info.cols {
			info.cols[i].src = nil
		}
	}
	return info, nil
}

// fromItem returns the range entries a FROM item brings into scope.
func (c *catalog) fromItem(f *pg.Node, info *selectInfo) ([]rangeEntry, *Error) {
	switch {
	case f.GetRangeVar() != nil:
		rv := f.GetRangeVar()
		_, r := c.lookup(rv.Schemaname, rv.Relname)
		if r == nil || r.table == nil {
			return nil, c.errAtLoc(rv.Location, ErrUndefined, "relation %q does not exist", qualified(rv.Schemaname, rv.Relname))
		}
		e := rangeEntry{alias: rv.Relname}
		if rv.Alias != nil {
			e.alias = rv.Alias.Aliasname
		}
		info.deps = append(info.deps, viewDep{table: r.table})
		for _, col := range r.table.Columns {
			e.cols = append(e.cols, viewCol{name: col.Name, typ: col.Type, src: &viewDep{table: r.table, column: col}})
		}
		if rv.Alias != nil {
			renameCols(e.cols, stringList(rv.Alias.Colnames))
		}
		return []rangeEntry{e}, nil
	case f.GetJoinExpr() != nil:
		j := f.GetJoinExpr()
		l, err := c.fromItem(j.Larg, info)
		if err != nil {
			return nil, err
		}
		r, err := c.fromItem(j.Rarg, info)
		if err != nil {
			return nil, err
		}
		if j.Alias != nil {
			var cols []viewCol
			for _, e := range append(l, r...) {
				cols = append(cols, e.cols...)
			}
			renameCols(cols, stringList(j.Alias.Colnames))
			return []rangeEntry{{alias: j.Alias.Aliasname, cols: cols}}, nil
		}
		return append(l, r...), nil
	case f.GetRangeSubselect() != nil:
		rs := f.GetRangeSubselect()
		sub, err := c.inferSelect(rs.Subquery.GetSelectStmt())
		if err != nil {
			return nil, err
		}
		info.deps = append(info.deps, sub.deps...)
		e := rangeEntry{cols: sub.cols}
		if rs.Alias != nil {
			e.alias = rs.Alias.Aliasname
			renameCols(e.cols, stringList(rs.Alias.Colnames))
		}
		return []rangeEntry{e}, nil
	default:
		return nil, c.errf(ErrUnsupported, "view FROM item %T is not modelled", f.Node)
	}
}

func renameCols(cols []viewCol, names []string) {
	for i, n := range names {
		if i < len(cols) {
			cols[i].name = n
		}
	}
}

func isStar(cr *pg.ColumnRef) bool {
	return len(cr.Fields) > 0 && cr.Fields[len(cr.Fields)-1].GetAStar() != nil
}
