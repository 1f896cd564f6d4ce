package hasuraproject

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
)

var renameRelKinds = map[pg.ObjectType][]relKind{
	pg.ObjectType_OBJECT_TABLE:    {relTable, relView, relMatView, relIndex, relSequence},
	pg.ObjectType_OBJECT_VIEW:     {relView},
	pg.ObjectType_OBJECT_MATVIEW:  {relMatView},
	pg.ObjectType_OBJECT_INDEX:    {relIndex},
	pg.ObjectType_OBJECT_SEQUENCE: {relSequence},
}

func (c *catalog) rename(s *pg.RenameStmt) *Error {
	switch s.RenameType {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW,
		pg.ObjectType_OBJECT_INDEX, pg.ObjectType_OBJECT_SEQUENCE:
		q, r := c.lookup(s.Relation.Schemaname, s.Relation.Relname)
		if r == nil {
			if s.MissingOk {
				return nil
			}
			return c.errf(ErrUndefined, "relation %q does not exist", qualified(s.Relation.Schemaname, s.Relation.Relname))
		}
		if !slices.Contains(renameRelKinds[s.RenameType], r.kind) {
			return c.errf(ErrInvalid, "%q is a %s", q.String(), r.kind)
		}
		return c.moveRelation(q, r, qname{q.schema, s.Newname})
	case pg.ObjectType_OBJECT_COLUMN:
		r, err := c.lookupTable(s.Relation, s.MissingOk, relTable, relView, relMatView)
		if err != nil || r == nil {
			return err
		}
		return c.renameColumn(r.table, s.Subname, s.Newname)
	case pg.ObjectType_OBJECT_TABCONSTRAINT:
		r, err := c.lookupTable(s.Relation, s.MissingOk, relTable)
		if err != nil || r == nil {
			return err
		}
		return c.renameConstraint(r.table, s.Subname, s.Newname)
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		schema, name := qualifiedName(s.Object.GetList().GetItems())
		te := c.lookupType(schema, name)
		if te == nil {
			return c.errf(ErrUndefined, "type %q does not exist", qualified(schema, name))
		}
		for q, e := range c.types {
			if e == te {
				return c.moveType(q, te, qname{q.schema, s.Newname})
			}
		}
		return nil
	case pg.ObjectType_OBJECT_SCHEMA:
		return c.renameSchema(s.Subname, s.Newname)
	case pg.ObjectType_OBJECT_RULE, pg.ObjectType_OBJECT_FOREIGN_TABLE, pg.ObjectType_OBJECT_ATTRIBUTE:
		return c.errf(ErrUnsupported, "ALTER … RENAME of a %s is not modelled", objectWord(s.RenameType))
	}
	c.skip("ALTER " + objectWord(s.RenameType) + " RENAME")
	return nil
}

// moveRelation renames a relation or moves it to another schema.
func (c *catalog) moveRelation(from qname, r *relation, to qname) *Error {
	if from == to {
		return nil
	}
	if c.rels[to] != nil {
		return c.relationNameFree(to.schema, to.name)
	}
	delete(c.rels, from)
	c.rels[to] = r
	switch {
	case r.table != nil:
		t := r.table
		for _, o := range c.rels {
			if o.kind != relTable {
				continue
			}
			for _, fk := range o.table.ForeignKeys {
				if fk.RefSchema == from.schema && fk.RefTable == from.name {
					fk.RefSchema, fk.RefTable = to.schema, to.name
				}
			}
		}
		t.Schema, t.Name = to.schema, to.name
	case r.kind == relIndex && r.index.constraint != nil:
		r.index.constraint.Name = to.name
	case r.kind == relSequence:
		for _, o := range c.rels {
			if o.table == nil {
				continue
			}
			for _, col := range o.table.Columns {
				if col.Default.Kind == SequenceDefault && col.Default.Sequence == from.String() {
					col.Default.Sequence = to.String()
				}
			}
		}
	}
	return nil
}

func (c *catalog) renameColumn(t *Table, from, to string) *Error {
	col := t.Column(from)
	if col == nil {
		return c.errf(ErrUndefined, "column %q of relation %q does not exist", from, t.Name)
	}
	if t.Column(to) != nil {
		return c.errf(ErrInvalid, "column %q of relation %q already exists", to, t.Name)
	}
	col.Name = to
	rename := func(names []string) {
		for i, n := range names {
			if n == from {
				names[i] = to
			}
		}
	}
	for _, k := range t.Constraints() {
		rename(k.Columns)
	}
	for _, fk := range t.ForeignKeys {
		rename(fk.Columns)
	}
	for _, r := range c.rels {
		if r.kind != relTable {
			continue
		}
		for _, fk := range r.table.ForeignKeys {
			if fk.RefSchema == t.Schema && fk.RefTable == t.Name {
				rename(fk.RefColumns)
			}
		}
	}
	return nil
}

func (c *catalog) renameConstraint(t *Table, from, to string) *Error {
	if slices.Contains(c.tableConstraintNames(t), to) {
		return c.errf(ErrInvalid, "constraint %q for relation %q already exists", to, t.Name)
	}
	for q, ix := range c.indexesOf(t) {
		if ix.constraint != nil && ix.constraint.Name == from && ix.fromConstraint {
			return c.moveRelation(q, c.rels[q], qname{q.schema, to})
		}
	}
	for _, fk := range t.ForeignKeys {
		if fk.Name == from {
			fk.Name = to
			return nil
		}
	}
	for i, ck := range c.checks[t] {
		if ck.name == from {
			c.checks[t][i].name = to
			return nil
		}
	}
	return c.errf(ErrUndefined, "constraint %q for table %q does not exist", from, t.Name)
}

func (c *catalog) moveType(from qname, te *typeEntry, to qname) *Error {
	if c.types[to] != nil {
		return c.errf(ErrInvalid, "type %q already exists", to.String())
	}
	delete(c.types, from)
	c.types[to] = te
	if te.enum != nil {
		te.enum.Schema, te.enum.Name = to.schema, to.name
		for _, r := range c.rels {
			if r.table == nil {
				continue
			}
			for _, col := range r.table.Columns {
				if col.Type.Enum == te.enum {
					col.Type.Name = to.name
				}
			}
		}
	}
	return nil
}

func (c *catalog) renameSchema(from, to string) *Error {
	if !c.schemas[from] {
		return c.errf(ErrUndefined, "schema %q does not exist", from)
	}
	if c.schemas[to] {
		return c.errf(ErrInvalid, "schema %q already exists", to)
	}
	c.schemas[to] = true
	for q, r := range c.rels {
		if q.schema == from {
			if err := c.moveRelation(q, r, qname{to, q.name}); err != nil {
				return err
			}
		}
	}
	for q, te := range c.types {
		if q.schema == from {
			if err := c.moveType(q, te, qname{to, q.name}); err != nil {
				return err
			}
		}
	}
	delete(c.schemas, from)
	return nil
}

// setSchema is ALTER … SET SCHEMA: a table takes its indexes and owned
// sequences along.
func (c *catalog) setSchema(s *pg.AlterObjectSchemaStmt) *Error {
	if !c.schemas[s.Newschema] {
		return c.errf(ErrUndefined, "schema %q does not exist", s.Newschema)
	}
	switch s.ObjectType {
	case pg.ObjectType_OBJECT_TABLE, pg.ObjectType_OBJECT_VIEW, pg.ObjectType_OBJECT_MATVIEW, pg.ObjectType_OBJECT_SEQUENCE:
		q, r := c.lookup(s.Relation.Schemaname, s.Relation.Relname)
		if r == nil {
			if s.MissingOk {
				return nil
			}
			return c.errf(ErrUndefined, "relation %q does not exist", qualified(s.Relation.Schemaname, s.Relation.Relname))
		}
		var along []qname
		if r.table != nil {
			for iq := range c.indexesOf(r.table) {
				along = append(along, iq)
			}
			for sq, sr := range c.rels {
				if sr.kind == relSequence && sr.owner == r.table {
					along = append(along, sq)
				}
			}
		}
		if err := c.moveRelation(q, r, qname{s.Newschema, q.name}); err != nil {
			return err
		}
		for _, aq := range along {
			if err := c.moveRelation(aq, c.rels[aq], qname{s.Newschema, aq.name}); err != nil {
				return err
			}
		}
		return nil
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		schema, name := qualifiedName(s.Object.GetList().GetItems())
		for q, te := range c.types {
			if (schema == "" || q.schema == schema) && q.name == name {
				return c.moveType(q, te, qname{s.Newschema, name})
			}
		}
		return c.errf(ErrUndefined, "type %q does not exist", qualified(schema, name))
	case pg.ObjectType_OBJECT_FOREIGN_TABLE:
		return c.errf(ErrUnsupported, "foreign tables are not modelled")
	}
	c.skip("ALTER " + objectWord(s.ObjectType) + " SET SCHEMA")
	return nil
}
