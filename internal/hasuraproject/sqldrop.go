package hasuraproject

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// dropKinds are the relations each DROP accepts.
var dropKinds = map[pg.ObjectType]relKind{
	pg.ObjectType_OBJECT_TABLE:    relTable,
	pg.ObjectType_OBJECT_VIEW:     relView,
	pg.ObjectType_OBJECT_MATVIEW:  relMatView,
	pg.ObjectType_OBJECT_INDEX:    relIndex,
	pg.ObjectType_OBJECT_SEQUENCE: relSequence,
}

func (c *catalog) drop(s *pg.DropStmt) *Error {
	cascade := s.Behavior == pg.DropBehavior_DROP_CASCADE
	if kind, ok := dropKinds[s.RemoveType]; ok {
		for _, o := range s.Objects {
			schema, name := qualifiedName(o.GetList().GetItems())
			q, r := c.lookup(schema, name)
			if r == nil {
				if s.MissingOk {
					continue
				}
				return c.errf(ErrUndefined, "%s %q does not exist", kind, qualified(schema, name))
			}
			if r.kind != kind {
				return c.errf(ErrInvalid, "%q is not a %s", q.String(), kind)
			}
			if err := c.dropRel(q, r, cascade); err != nil {
				return err
			}
		}
		return nil
	}
	switch s.RemoveType {
	case pg.ObjectType_OBJECT_TYPE, pg.ObjectType_OBJECT_DOMAIN:
		for _, o := range s.Objects {
			schema, name := qualifiedName(o.GetTypeName().GetNames())
			te := c.lookupType(schema, name)
			if te == nil {
				if s.MissingOk {
					continue
				}
				return c.errf(ErrUndefined, "type %q does not exist", qualified(schema, name))
			}
			for q, e := range c.types {
				if e == te {
					if err := c.typeInUse(te, q); err != nil {
						return err
					}
					delete(c.types, q)
				}
			}
		}
		return nil
	case pg.ObjectType_OBJECT_SCHEMA:
		for _, o := range s.Objects {
			if err := c.dropSchema(o.GetString_().GetSval(), s.MissingOk, cascade); err != nil {
				return err
			}
		}
		return nil
	case pg.ObjectType_OBJECT_TRIGGER:
		for _, o := range s.Objects {
			items := stringList(o.GetList().GetItems())
			if len(items) >= 2 {
				c.dropTrigger(items[:len(items)-1], items[len(items)-1])
			}
		}
		c.skip("DROP TRIGGER")
		return nil
	case pg.ObjectType_OBJECT_FOREIGN_TABLE, pg.ObjectType_OBJECT_RULE:
		return c.errf(ErrUnsupported, "DROP %s is not modelled", objectWord(s.RemoveType))
	}
	c.skip("DROP " + objectWord(s.RemoveType))
	return nil
}

func objectWord(t pg.ObjectType) string {
	return strings.ReplaceAll(strings.TrimPrefix(t.String(), "OBJECT_"), "_", " ")
}

// dropRel drops a relation and, with cascade, what depends on it.
func (c *catalog) dropRel(q qname, r *relation, cascade bool) *Error {
	switch r.kind {
	case relIndex:
		if r.index.fromConstraint {
			return c.errf(ErrInvalid, "cannot drop index %s because a constraint on table %s requires it", q, qnameOf(r.index.table))
		}
		c.removeIndex(q, r.index)
		return nil
	case relSequence:
		delete(c.rels, q)
		return nil
	}
	t := r.table
	var views []*Table
	for _, v := range c.viewsReading(t, nil) {
		if v != t {
			views = append(views, v)
		}
	}
	var refs []fkRef
	for _, ref := range c.referencingFKs(t, nil, nil) {
		if ref.table != t {
			refs = append(refs, ref)
		}
	}
	if !cascade && (len(views) > 0 || len(refs) > 0) {
		return c.errf(ErrInvalid, "cannot drop %s %s because other objects depend on it (use CASCADE)", r.kind, q)
	}
	for _, v := range views {
		if vr := c.rels[qnameOf(v)]; vr != nil {
			if err := c.dropRel(qnameOf(v), vr, true); err != nil {
				return err
			}
		}
	}
	for _, ref := range refs {
		c.dropFK(ref)
	}
	for iq := range c.indexesOf(t) {
		delete(c.rels, iq)
	}
	for sq, sr := range c.rels {
		if sr.kind == relSequence && sr.owner == t {
			delete(c.rels, sq)
		}
	}
	delete(c.checks, t)
	delete(c.rels, q)
	return nil
}

func (c *catalog) dropSchema(schema string, missingOK, cascade bool) *Error {
	if !c.schemas[schema] {
		if missingOK {
			return nil
		}
		return c.errf(ErrUndefined, "schema %q does not exist", schema)
	}
	var inside []qname
	for q := range c.rels {
		if q.schema == schema {
			inside = append(inside, q)
		}
	}
	for q := range c.types {
		if q.schema == schema && !cascade {
			return c.errf(ErrInvalid, "cannot drop schema %q because other objects depend on it (use CASCADE)", schema)
		}
	}
	if len(inside) > 0 && !cascade {
		return c.errf(ErrInvalid, "cannot drop schema %q because other objects depend on it (use CASCADE)", schema)
	}
	for _, q := range inside {
		if r := c.rels[q]; r != nil && r.table != nil {
			if err := c.dropRel(q, r, true); err != nil {
				return err
			}
		}
	}
	for q := range c.rels {
		if q.schema == schema {
			delete(c.rels, q)
		}
	}
	for q := range c.types {
		if q.schema == schema {
			delete(c.types, q)
		}
	}
	delete(c.schemas, schema)
	return nil
}
