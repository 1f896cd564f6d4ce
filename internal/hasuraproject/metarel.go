package hasuraproject

import (
	"slices"

	"go.yaml.in/yaml/v3"
)

func (m *metaLoader) relationships(tm *tableMeta) *Error {
	for _, kind := range []RelationshipKind{ObjectRelationship, ArrayRelationship} {
		key := "object_relationships"
		if kind == ArrayRelationship {
			key = "array_relationships"
		}
		for _, e := range tm.entries {
			if e.key != key {
				continue
			}
			items, err := m.yf.sequence(e.val)
			if err != nil {
				return err
			}
			for _, item := range items {
				rel, err := m.relationship(tm.table, kind, item)
				if err != nil {
					return err
				}
				tm.table.Relationships = append(tm.table.Relationships, rel)
			}
		}
	}
	return nil
}

func (m *metaLoader) relationship(t *Table, kind RelationshipKind, item ynode) (*Relationship, *Error) {
	item, err := m.yf.resolve(item)
	if err != nil {
		return nil, err
	}
	entries, err := m.yf.mapping(item)
	if err != nil {
		return nil, err
	}
	rel := &Relationship{Kind: kind, Declared: item.pos()}
	var using *entry
	for i, e := range entries {
		switch e.key {
		case "name":
			if rel.Name, err = scalarString(e.val); err != nil {
				return nil, err
			}
			rel.Declared = e.at
		case "using":
			using = &entries[i]
		case "comment":
			err = m.unsupportedIfSet(e, "relationship comments")
		default:
			err = errAt(e.at, ErrUnsupported, "relationship key %q is not modelled", e.key)
		}
		if err != nil {
			return nil, err
		}
	}
	switch {
	case rel.Name == "":
		return nil, errAt(item.pos(), ErrInvalid, "relationship without a name")
	case t.Column(rel.Name) != nil:
		return nil, errAt(rel.Declared, ErrInvalid, "relationship %q of %s clashes with a column", rel.Name, qnameOf(t))
	case t.Relationship(rel.Name) != nil:
		return nil, errAt(rel.Declared, ErrInvalid, "relationship %q of %s is declared twice", rel.Name, qnameOf(t))
	case using == nil:
		return nil, errAt(rel.Declared, ErrInvalid, "relationship %q has no using", rel.Name)
	}
	ways, err := m.yf.mapping(using.val)
	if err != nil {
		return nil, err
	}
	if len(ways) != 1 {
		return nil, errAt(using.at, ErrInvalid, "using needs exactly one of foreign_key_constraint_on and manual_configuration")
	}
	switch ways[0].key {
	case "foreign_key_constraint_on":
		err = m.fkRelationship(t, rel, ways[0])
	case "manual_configuration":
		err = m.manualRelationship(t, rel, ways[0])
	default:
		err = errAt(ways[0].at, ErrUnsupported, "relationship using %q is not modelled", ways[0].key)
	}
	if err != nil {
		return nil, err
	}
	return rel, nil
}

// columnNames reads a column or a list of columns.
func (m *metaLoader) columnNames(y ynode) ([]string, *Error) {
	y, err := m.yf.resolve(y)
	if err != nil {
		return nil, err
	}
	if y.n.Kind == yaml.ScalarNode {
		s, err := scalarString(y)
		return []string{s}, err
	}
	items, err := m.yf.sequence(y)
	if err != nil {
		return nil, err
	}
	out := make([]string, 0, len(items))
	for _, it := range items {
		s, err := scalarString(it)
		if err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, nil
}

func (m *metaLoader) fkRelationship(t *Table, rel *Relationship, e entry) *Error {
	v, err := m.yf.resolve(e.val)
	if err != nil {
		return err
	}
	if v.n.Kind != yaml.MappingNode {
		// The table's own foreign key: an object relationship to the
		// table it references.
		if rel.Kind == ArrayRelationship {
			return errAt(e.at, ErrInvalid, "an array relationship needs foreign_key_constraint_on: {table, column}")
		}
		cols, err := m.columnNames(v)
		if err != nil {
			return err
		}
		if err := m.checkColumns(t, cols, e.at); err != nil {
			return err
		}
		fk := findFK(t, cols, nil)
		if fk == nil {
			return errAt(e.at, ErrUndefined, "no foreign key constraint on %v of %s", cols, qnameOf(t))
		}
		remote, err := m.trackedTable(qname{fk.RefSchema, fk.RefTable}, e.at)
		if err != nil {
			return err
		}
		rel.Remote, rel.Nullable = remote, false
		for i, c := range fk.Columns {
			rel.Mapping = append(rel.Mapping, ColumnMapping{Column: c, RemoteColumn: fk.RefColumns[i]})
			rel.Nullable = rel.Nullable || t.Column(c).Nullable
		}
		return nil
	}
	// A foreign key of the remote table that references this one.
	entries, err := m.yf.mapping(v)
	if err != nil {
		return err
	}
	var remote *Table
	var cols []string
	for _, f := range entries {
		switch f.key {
		case "table":
			q, err := m.tableName(f.val)
			if err != nil {
				return err
			}
			if remote, err = m.trackedTable(q, f.at); err != nil {
				return err
			}
		case "column", "columns":
			if cols, err = m.columnNames(f.val); err != nil {
				return err
			}
		default:
			return errAt(f.at, ErrInvalid, "unexpected key %q in foreign_key_constraint_on", f.key)
		}
	}
	if remote == nil || len(cols) == 0 {
		return errAt(e.at, ErrInvalid, "foreign_key_constraint_on needs a table and a column")
	}
	if err := m.checkColumns(remote, cols, e.at); err != nil {
		return err
	}
	fk := findFK(remote, cols, t)
	if fk == nil {
		return errAt(e.at, ErrUndefined, "no foreign key constraint on %v of %s referencing %s", cols, qnameOf(remote), qnameOf(t))
	}
	rel.Remote, rel.Nullable = remote, true
	for i, c := range fk.Columns {
		rel.Mapping = append(rel.Mapping, ColumnMapping{Column: fk.RefColumns[i], RemoteColumn: c})
	}
	return nil
}

// findFK finds t's foreign key over exactly cols (referencing ref, if set).
func findFK(t *Table, cols []string, ref *Table) *ForeignKey {
	for _, fk := range t.ForeignKeys {
		if len(fk.Columns) != len(cols) || !sameSet(fk.Columns, cols) {
			continue
		}
		if ref != nil && (fk.RefSchema != ref.Schema || fk.RefTable != ref.Name) {
			continue
		}
		return fk
	}
	return nil
}

func (m *metaLoader) checkColumns(t *Table, cols []string, at Position) *Error {
	for _, c := range cols {
		if t.Column(c) == nil {
			return errAt(at, ErrUndefined, "column %q of %s does not exist", c, qnameOf(t))
		}
	}
	return nil
}

func (m *metaLoader) manualRelationship(t *Table, rel *Relationship, e entry) *Error {
	entries, err := m.yf.mapping(e.val)
	if err != nil {
		return err
	}
	rel.Manual, rel.Nullable = true, true
	var mapping []entry
	for _, f := range entries {
		switch f.key {
		case "remote_table":
			q, err := m.tableName(f.val)
			if err != nil {
				return err
			}
			if rel.Remote, err = m.trackedTable(q, f.at); err != nil {
				return err
			}
		case "column_mapping":
			if mapping, err = m.yf.mapping(f.val); err != nil {
				return err
			}
		case "insertion_order", "source":
		default:
			return errAt(f.at, ErrInvalid, "unexpected key %q in manual_configuration", f.key)
		}
	}
	if rel.Remote == nil || len(mapping) == 0 {
		return errAt(e.at, ErrInvalid, "manual_configuration needs remote_table and column_mapping")
	}
	for _, f := range mapping {
		remoteCol, err := scalarString(f.val)
		if err != nil {
			return err
		}
		if err := m.checkColumns(t, []string{f.key}, f.at); err != nil {
			return err
		}
		if err := m.checkColumns(rel.Remote, []string{remoteCol}, f.at); err != nil {
			return err
		}
		if slices.ContainsFunc(rel.Mapping, func(cm ColumnMapping) bool { return cm.Column == f.key }) {
			return errAt(f.at, ErrInvalid, "column %q is mapped twice", f.key)
		}
		rel.Mapping = append(rel.Mapping, ColumnMapping{Column: f.key, RemoteColumn: remoteCol})
	}
	return nil
}
