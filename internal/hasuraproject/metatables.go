package hasuraproject

import (
	"slices"

	"go.yaml.in/yaml/v3"
)

// tableMeta is one table entry of the metadata, kept between the passes:
// tables first, then relationships (which need every table), then
// permissions (which need every relationship).
type tableMeta struct {
	table   *Table
	entries []entry
}

func (m *metaLoader) tables(list ynode) ([]*Table, *Error) {
	items, err := m.yf.sequence(list)
	if err != nil {
		return nil, err
	}
	m.tracked = map[qname]*Table{}
	var metas []*tableMeta
	for _, item := range items {
		tm, err := m.trackTable(item)
		if err != nil {
			return nil, err
		}
		metas = append(metas, tm)
	}
	for _, tm := range metas {
		if err := m.relationships(tm); err != nil {
			return nil, err
		}
	}
	for _, tm := range metas {
		if err := m.permissions(tm); err != nil {
			return nil, err
		}
	}
	out := make([]*Table, len(metas))
	for i, tm := range metas {
		out[i] = tm.table
	}
	return out, nil
}

// tableName reads {schema, name} or, as older metadata writes it, a bare
// name in public.
func (m *metaLoader) tableName(y ynode) (qname, *Error) {
	y, err := m.yf.resolve(y)
	if err != nil {
		return qname{}, err
	}
	if y.n.Kind == yaml.ScalarNode {
		name, err := scalarString(y)
		return qname{"public", name}, err
	}
	entries, err := m.yf.mapping(y)
	if err != nil {
		return qname{}, err
	}
	q := qname{schema: "public"}
	for _, e := range entries {
		switch e.key {
		case "schema":
			q.schema, err = scalarString(e.val)
		case "name":
			q.name, err = scalarString(e.val)
		default:
			err = errAt(e.at, ErrInvalid, "unexpected key %q in a table name", e.key)
		}
		if err != nil {
			return qname{}, err
		}
	}
	if q.name == "" {
		return qname{}, errAt(y.pos(), ErrInvalid, "table name without a name")
	}
	return q, nil
}

func (m *metaLoader) trackTable(item ynode) (*tableMeta, *Error) {
	item, err := m.yf.resolve(item)
	if err != nil {
		return nil, err
	}
	entries, err := m.yf.mapping(item)
	if err != nil {
		return nil, err
	}
	i := slices.IndexFunc(entries, func(e entry) bool { return e.key == "table" })
	if i < 0 {
		return nil, errAt(item.pos(), ErrInvalid, "table entry without a table key")
	}
	q, err := m.tableName(entries[i].val)
	if err != nil {
		return nil, err
	}
	r := m.cat.rels[q]
	if r == nil || r.table == nil {
		return nil, errAt(entries[i].at, ErrUndefined, "table %s is tracked but the migrations do not create it", q)
	}
	if m.tracked[q] != nil {
		return nil, errAt(entries[i].at, ErrInvalid, "table %s is tracked twice", q)
	}
	t := r.table
	t.Tracked = entries[i].at
	t.Permissions = map[string]*Permissions{}
	m.tracked[q] = t
	for _, e := range entries {
		switch e.key {
		case "table", "object_relationships", "array_relationships",
			"select_permissions", "insert_permissions", "update_permissions", "delete_permissions":
		case "configuration":
			err = m.configuration(e)
		case "is_enum":
			err = m.unsupportedIfSet(e, "enum tables")
		case "remote_relationships":
			err = m.unsupportedIfSet(e, "remote relationships")
		case "computed_fields":
			err = m.unsupportedIfSet(e, "computed fields")
		case "apollo_federation_config":
			err = m.unsupportedIfSet(e, "Apollo federation")
		case "event_triggers":
			if set, serr := m.nonEmpty(e.val); serr != nil {
				err = serr
			} else if set {
				m.skip(e.at, "event_triggers")
			}
		default:
			err = errAt(e.at, ErrUnsupported, "table key %q is not modelled", e.key)
		}
		if err != nil {
			return nil, err
		}
	}
	return &tableMeta{table: t, entries: entries}, nil
}

// configuration refuses custom names and comments, which change the
// schema's names; an empty configuration is fine.
func (m *metaLoader) configuration(e entry) *Error {
	entries, err := m.yf.mapping(e.val)
	if err != nil {
		return err
	}
	for _, c := range entries {
		if err := m.unsupportedIfSet(c, "table configuration"); err != nil {
			return err
		}
	}
	return nil
}

// trackedTable returns the tracked table q or an error at at.
func (m *metaLoader) trackedTable(q qname, at Position) (*Table, *Error) {
	if t := m.tracked[q]; t != nil {
		return t, nil
	}
	if r := m.cat.rels[q]; r == nil || r.table == nil {
		return nil, errAt(at, ErrUndefined, "table %s does not exist", q)
	}
	return nil, errAt(at, ErrUndefined, "table %s is not tracked", q)
}
