package hasuraproject

import (
	"slices"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// alterNoops are the ALTER TABLE subcommands that cannot change what Hasura
// exposes: ownership, storage, triggers, rules, row security, clustering.
var alterNoops = map[pg.AlterTableType]string{
	pg.AlterTableType_AT_ChangeOwner:         "OWNER TO",
	pg.AlterTableType_AT_SetStatistics:       "SET STATISTICS",
	pg.AlterTableType_AT_SetOptions:          "SET (attribute options)",
	pg.AlterTableType_AT_ResetOptions:        "RESET (attribute options)",
	pg.AlterTableType_AT_SetStorage:          "SET STORAGE",
	pg.AlterTableType_AT_SetCompression:      "SET COMPRESSION",
	pg.AlterTableType_AT_ClusterOn:           "CLUSTER ON",
	pg.AlterTableType_AT_DropCluster:         "SET WITHOUT CLUSTER",
	pg.AlterTableType_AT_SetLogged:           "SET LOGGED",
	pg.AlterTableType_AT_SetUnLogged:         "SET UNLOGGED",
	pg.AlterTableType_AT_SetAccessMethod:     "SET ACCESS METHOD",
	pg.AlterTableType_AT_SetTableSpace:       "SET TABLESPACE",
	pg.AlterTableType_AT_SetRelOptions:       "SET (storage parameters)",
	pg.AlterTableType_AT_ResetRelOptions:     "RESET (storage parameters)",
	pg.AlterTableType_AT_ReplaceRelOptions:   "SET (storage parameters)",
	pg.AlterTableType_AT_EnableTrig:          "ENABLE TRIGGER",
	pg.AlterTableType_AT_EnableAlwaysTrig:    "ENABLE ALWAYS TRIGGER",
	pg.AlterTableType_AT_EnableReplicaTrig:   "ENABLE REPLICA TRIGGER",
	pg.AlterTableType_AT_DisableTrig:         "DISABLE TRIGGER",
	pg.AlterTableType_AT_EnableTrigAll:       "ENABLE TRIGGER ALL",
	pg.AlterTableType_AT_DisableTrigAll:      "DISABLE TRIGGER ALL",
	pg.AlterTableType_AT_EnableTrigUser:      "ENABLE TRIGGER USER",
	pg.AlterTableType_AT_DisableTrigUser:     "DISABLE TRIGGER USER",
	pg.AlterTableType_AT_EnableRule:          "ENABLE RULE",
	pg.AlterTableType_AT_EnableAlwaysRule:    "ENABLE ALWAYS RULE",
	pg.AlterTableType_AT_EnableReplicaRule:   "ENABLE REPLICA RULE",
	pg.AlterTableType_AT_DisableRule:         "DISABLE RULE",
	pg.AlterTableType_AT_ReplicaIdentity:     "REPLICA IDENTITY",
	pg.AlterTableType_AT_EnableRowSecurity:   "ENABLE ROW LEVEL SECURITY",
	pg.AlterTableType_AT_DisableRowSecurity:  "DISABLE ROW LEVEL SECURITY",
	pg.AlterTableType_AT_ForceRowSecurity:    "FORCE ROW LEVEL SECURITY",
	pg.AlterTableType_AT_NoForceRowSecurity:  "NO FORCE ROW LEVEL SECURITY",
	pg.AlterTableType_AT_ValidateConstraint:  "VALIDATE CONSTRAINT",
	pg.AlterTableType_AT_AlterConstraint:     "ALTER CONSTRAINT (deferrability)",
	pg.AlterTableType_AT_SetIdentity:         "ALTER COLUMN SET (identity options)",
	pg.AlterTableType_AT_DropOids:            "SET WITHOUT OIDS",
	pg.AlterTableType_AT_CookedColumnDefault: "ALTER COLUMN SET DEFAULT",
}

func (c *catalog) alterTable(s *pg.AlterTableStmt) *Error {
	kinds := map[pg.ObjectType][]relKind{
		pg.ObjectType_OBJECT_TABLE:    {relTable},
		pg.ObjectType_OBJECT_VIEW:     {relView},
		pg.ObjectType_OBJECT_MATVIEW:  {relMatView},
		pg.ObjectType_OBJECT_INDEX:    {relIndex},
		pg.ObjectType_OBJECT_SEQUENCE: {relSequence},
	}[s.Objtype]
	if kinds == nil {
		return c.errf(ErrUnsupported, "ALTER %v is not modelled", s.Objtype)
	}
	if s.Objtype == pg.ObjectType_OBJECT_INDEX || s.Objtype == pg.ObjectType_OBJECT_SEQUENCE {
		return c.alterOnlyNoops(s, strings.TrimPrefix(s.Objtype.String(), "OBJECT_"))
	}
	if s.Objtype == pg.ObjectType_OBJECT_TABLE {
		// ALTER TABLE also accepts views for the subcommands that apply to both.
		kinds = []relKind{relTable, relView, relMatView}
	}
	r, err := c.lookupTable(s.Relation, s.MissingOk, kinds...)
	if err != nil || r == nil {
		return err
	}
	t := r.table
	for _, n := range s.Cmds {
		cmd := n.GetAlterTableCmd()
		if cmd == nil {
			continue
		}
		if what, ok := alterNoops[cmd.Subtype]; ok {
			c.skip("ALTER TABLE " + what)
			continue
		}
		if t.Kind != KindTable && cmd.Subtype != pg.AlterTableType_AT_ColumnDefault {
			return c.errf(ErrInvalid, "%q is a %s", t.Name, t.Kind)
		}
		if err := c.alterCmd(t, cmd); err != nil {
			return err
		}
	}
	return nil
}

func (c *catalog) alterOnlyNoops(s *pg.AlterTableStmt, what string) *Error {
	for _, n := range s.Cmds {
		cmd := n.GetAlterTableCmd()
		if name, ok := alterNoops[cmd.GetSubtype()]; ok {
			c.skip("ALTER " + what + " " + name)
			continue
		}
		return c.errf(ErrUnsupported, "ALTER %s subcommand %v is not modelled", what, cmd.GetSubtype())
	}
	return nil
}

func (c *catalog) alterCmd(t *Table, cmd *pg.AlterTableCmd) *Error {
	switch cmd.Subtype {
	case pg.AlterTableType_AT_AddColumn:
		cd := cmd.Def.GetColumnDef()
		if t.Column(cd.Colname) != nil {
			if cmd.MissingOk {
				return nil
			}
			return c.errAtLoc(cd.Location, ErrInvalid, "column %q of relation %q already exists", cd.Colname, t.Name)
		}
		col, cons, err := c.columnDef(t, cd)
		if err != nil {
			return err
		}
		t.Columns = append(t.Columns, col)
		for _, k := range cons {
			if err := c.addConstraint(t, k, cd.Colname); err != nil {
				return err
			}
		}
		return nil
	case pg.AlterTableType_AT_DropColumn:
		return c.dropColumn(t, cmd.Name, cmd.MissingOk, cmd.Behavior == pg.DropBehavior_DROP_CASCADE)
	case pg.AlterTableType_AT_ColumnDefault:
		col, err := c.column(t, cmd.Name)
		if err != nil {
			return err
		}
		d, err := c.defaultOf(cmd.Def, t.Schema)
		if err != nil {
			return err
		}
		if col.Identity != "" || col.Generated {
			return c.errf(ErrInvalid, "column %q of relation %q is an identity or generated column", col.Name, t.Name)
		}
		col.Default = d
		return nil
	case pg.AlterTableType_AT_SetNotNull, pg.AlterTableType_AT_DropNotNull:
		col, err := c.column(t, cmd.Name)
		if err != nil {
			return err
		}
		if cmd.Subtype == pg.AlterTableType_AT_DropNotNull && t.PrimaryKey != nil && slices.Contains(t.PrimaryKey.Columns, col.Name) {
			return c.errf(ErrInvalid, "column %q is in a primary key", col.Name)
		}
		col.Nullable = cmd.Subtype == pg.AlterTableType_AT_DropNotNull
		return nil
	case pg.AlterTableType_AT_AlterColumnType:
		return c.alterColumnType(t, cmd)
	case pg.AlterTableType_AT_AddConstraint:
		return c.addConstraint(t, cmd.Def.GetConstraint(), "")
	case pg.AlterTableType_AT_DropConstraint:
		return c.dropConstraint(t, cmd.Name, cmd.MissingOk, cmd.Behavior == pg.DropBehavior_DROP_CASCADE)
	case pg.AlterTableType_AT_AddIdentity:
		col, err := c.column(t, cmd.Name)
		if err != nil {
			return err
		}
		if col.Default.Kind != NoDefault {
			return c.errf(ErrInvalid, "column %q of relation %q already has a default value", col.Name, t.Name)
		}
		return c.makeIdentity(t, col, cmd.Def.GetConstraint())
	case pg.AlterTableType_AT_DropIdentity:
		col, err := c.column(t, cmd.Name)
		if err != nil {
			return err
		}
		if col.Identity == "" {
			if cmd.MissingOk {
				return nil
			}
			return c.errf(ErrInvalid, "column %q of relation %q is not an identity column", col.Name, t.Name)
		}
		col.Identity, col.Default = "", Default{}
		return nil
	case pg.AlterTableType_AT_DropExpression:
		col, err := c.column(t, cmd.Name)
		if err != nil {
			return err
		}
		col.Generated, col.Default = false, Default{}
		return nil
	default:
		return c.errf(ErrUnsupported, "ALTER TABLE subcommand %v is not modelled", cmd.Subtype)
	}
}

func (c *catalog) column(t *Table, name string) (*Column, *Error) {
	col := t.Column(name)
	if col == nil {
		return nil, c.errf(ErrUndefined, "column %q of relation %q does not exist", name, t.Name)
	}
	return col, nil
}

func (c *catalog) alterColumnType(t *Table, cmd *pg.AlterTableCmd) *Error {
	col, err := c.column(t, cmd.Name)
	if err != nil {
		return err
	}
	for _, v := range c.viewsReading(t, col) {
		return c.errf(ErrInvalid, "cannot alter type of a column used by a view or rule: view %s depends on column %q", qnameOf(v), col.Name)
	}
	typ, _, err := c.resolveType(cmd.Def.GetColumnDef().TypeName, false)
	if err != nil {
		return err
	}
	col.Type = typ
	return nil
}

// viewsReading returns the views that read the table (col nil) or column.
func (c *catalog) viewsReading(t *Table, col *Column) []*Table {
	var out []*Table
	for _, r := range c.rels {
		if r.kind != relView && r.kind != relMatView {
			continue
		}
		for _, d := range r.deps {
			if d.table == t && (col == nil || d.column == col) {
				out = append(out, r.table)
				break
			}
		}
	}
	slices.SortFunc(out, func(a, b *Table) int { return strings.Compare(qnameOf(a).String(), qnameOf(b).String()) })
	return out
}

// referencingFKs returns the foreign keys of other tables that rely on
// one of t's keys containing col (any key when col is nil).
func (c *catalog) referencingFKs(t *Table, key *Constraint, col *Column) []fkRef {
	var out []fkRef
	for _, r := range c.rels {
		if r.kind != relTable {
			continue
		}
		for _, fk := range r.table.ForeignKeys {
			if fk.RefSchema != t.Schema || fk.RefTable != t.Name {
				continue
			}
			switch {
			case key != nil && !(len(key.Columns) == len(fk.RefColumns) && sameSet(key.Columns, fk.RefColumns)):
				continue
			case col != nil && !slices.Contains(fk.RefColumns, col.Name):
				continue
			}
			out = append(out, fkRef{r.table, fk})
		}
	}
	return out
}

type fkRef struct {
	table *Table
	fk    *ForeignKey
}

func (c *catalog) dropFK(r fkRef) {
	r.table.ForeignKeys = slices.DeleteFunc(r.table.ForeignKeys, func(f *ForeignKey) bool { return f == r.fk })
}

func (c *catalog) dropColumn(t *Table, name string, missingOK, cascade bool) *Error {
	col := t.Column(name)
	if col == nil {
		if missingOK {
			return nil
		}
		return c.errf(ErrUndefined, "column %q of relation %q does not exist", name, t.Name)
	}
	views := c.viewsReading(t, col)
	refs := c.referencingFKs(t, nil, col)
	if !cascade && (len(views) > 0 || len(refs) > 0) {
		return c.errf(ErrInvalid, "cannot drop column %q of %q because other objects depend on it (use CASCADE)", name, t.Name)
	}
	for _, v := range views {
		if r := c.rels[qnameOf(v)]; r != nil {
			if err := c.dropRel(qnameOf(v), r, true); err != nil {
				return err
			}
		}
	}
	for _, r := range refs {
		c.dropFK(r)
	}
	for q, ix := range c.indexesOf(t) {
		if slices.Contains(ix.columns, col) {
			c.removeIndex(q, ix)
		}
	}
	t.ForeignKeys = slices.DeleteFunc(t.ForeignKeys, func(fk *ForeignKey) bool { return slices.Contains(fk.Columns, name) })
	c.checks[t] = slices.DeleteFunc(c.checks[t], func(ck checkConstraint) bool { return slices.Contains(ck.columns, col) })
	t.Columns = slices.DeleteFunc(t.Columns, func(cl *Column) bool { return cl == col })
	return nil
}

// removeIndex drops an index and the key it implements.
func (c *catalog) removeIndex(q qname, ix *index) {
	delete(c.rels, q)
	if ix.constraint == nil {
		return
	}
	t := ix.table
	if t.PrimaryKey == ix.constraint {
		t.PrimaryKey = nil
	}
	t.UniqueConstraints = slices.DeleteFunc(t.UniqueConstraints, func(k *Constraint) bool { return k == ix.constraint })
}

func (c *catalog) dropConstraint(t *Table, name string, missingOK, cascade bool) *Error {
	for q, ix := range c.indexesOf(t) {
		if ix.constraint == nil || ix.constraint.Name != name || !ix.fromConstraint {
			continue
		}
		refs := c.referencingFKs(t, ix.constraint, nil)
		if len(refs) > 0 && !cascade {
			return c.errf(ErrInvalid, "cannot drop constraint %q on table %q because other objects depend on it (use CASCADE)", name, t.Name)
		}
		for _, r := range refs {
			c.dropFK(r)
		}
		c.removeIndex(q, ix)
		return nil
	}
	for i, fk := range t.ForeignKeys {
		if fk.Name == name {
			t.ForeignKeys = slices.Delete(t.ForeignKeys, i, i+1)
			return nil
		}
	}
	for i, ck := range c.checks[t] {
		if ck.name == name {
			c.checks[t] = slices.Delete(c.checks[t], i, i+1)
			return nil
		}
	}
	if missingOK {
		return nil
	}
	return c.errf(ErrUndefined, "constraint %q of relation %q does not exist", name, t.Name)
}
