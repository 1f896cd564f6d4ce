package hasuraproject

import (
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"
)

// adminRole needs no permissions: it has all of them.
const adminRole = "admin"

func (m *metaLoader) permissions(tm *tableMeta) *Error {
	for _, e := range tm.entries {
		if !strings.HasSuffix(e.key, "_permissions") {
			continue
		}
		items, err := m.yf.sequence(e.val)
		if err != nil {
			return err
		}
		for _, item := range items {
			if err := m.permission(tm.table, strings.TrimSuffix(e.key, "_permissions"), item); err != nil {
				return err
			}
		}
	}
	return nil
}

func (m *metaLoader) permission(t *Table, kind string, item ynode) *Error {
	entries, err := m.yf.mapping(item)
	if err != nil {
		return err
	}
	role, at := "", item.pos()
	var perm *entry
	for i, e := range entries {
		switch e.key {
		case "role":
			if role, err = scalarString(e.val); err != nil {
				return err
			}
			at = e.at
		case "permission":
			perm = &entries[i]
		case "comment":
		default:
			return errAt(e.at, ErrInvalid, "unexpected key %q in a permission", e.key)
		}
	}
	switch {
	case role == "":
		return errAt(item.pos(), ErrInvalid, "permission without a role")
	case role == adminRole:
		return errAt(at, ErrInvalid, "the admin role has every permission; it takes none")
	case perm == nil:
		return errAt(at, ErrInvalid, "%s permission of role %q has no permission key", kind, role)
	}
	p := t.Permissions[role]
	if p == nil {
		p = &Permissions{}
		t.Permissions[role] = p
	}
	fields, err := m.yf.mapping(perm.val)
	if err != nil {
		return err
	}
	pr := &permReader{m: m, t: t, fields: fields, at: at}
	dup := func() *Error {
		return errAt(at, ErrInvalid, "role %q has two %s permissions on %s", role, kind, qnameOf(t))
	}
	switch kind {
	case "select":
		if p.Select != nil {
			return dup()
		}
		p.Select, err = pr.selectPerm()
	case "insert":
		if p.Insert != nil {
			return dup()
		}
		p.Insert, err = pr.insertPerm()
	case "update":
		if p.Update != nil {
			return dup()
		}
		p.Update, err = pr.updatePerm()
	case "delete":
		if p.Delete != nil {
			return dup()
		}
		p.Delete, err = pr.deletePerm()
	}
	return err
}

// permReader reads the fields of one permission, refusing unknown ones.
type permReader struct {
	m      *metaLoader
	t      *Table
	fields []entry
	at     Position
}

func (pr *permReader) check(allowed ...string) *Error {
	for _, f := range pr.fields {
		switch {
		case slices.Contains(allowed, f.key):
		case f.key == "computed_fields":
			if err := pr.m.unsupportedIfSet(f, "computed fields"); err != nil {
				return err
			}
		case f.key == "validate_input":
			pr.m.skip(f.at, "validate_input")
		default:
			return errAt(f.at, ErrUnsupported, "permission key %q is not modelled", f.key)
		}
	}
	return nil
}

func (pr *permReader) field(key string) *entry {
	for i := range pr.fields {
		if pr.fields[i].key == key {
			return &pr.fields[i]
		}
	}
	return nil
}

// columns reads "*" or a list of columns; all is used when the key is
// absent and optional.
func (pr *permReader) columns(optional bool) ([]string, *Error) {
	f := pr.field("columns")
	all := func() []string {
		out := make([]string, len(pr.t.Columns))
		for i, c := range pr.t.Columns {
			out[i] = c.Name
		}
		return out
	}
	if f == nil {
		if optional {
			return all(), nil
		}
		return nil, errAt(pr.at, ErrInvalid, "permission without columns")
	}
	v, err := pr.m.yf.resolve(f.val)
	if err != nil {
		return nil, err
	}
	if v.n.Kind == yaml.ScalarNode && v.n.Value == "*" {
		return all(), nil
	}
	names, err := pr.m.columnNames(v)
	if err != nil {
		return nil, err
	}
	if err := pr.m.checkColumns(pr.t, names, f.at); err != nil {
		return nil, err
	}
	// Table order, as Hasura lists them.
	var out []string
	for _, c := range pr.t.Columns {
		if slices.Contains(names, c.Name) {
			out = append(out, c.Name)
		}
	}
	return out, nil
}

func (pr *permReader) boolExp(key string) (BoolExp, *Error) {
	f := pr.field(key)
	if f == nil {
		return And{}, nil
	}
	return pr.m.boolExp(f.val, pr.t, pr.t)
}

func (pr *permReader) boolean(key string) (bool, *Error) {
	if f := pr.field(key); f != nil {
		return scalarBool(f.val)
	}
	return false, nil
}

func (pr *permReader) presets() ([]Preset, *Error) {
	f := pr.field("set")
	if f == nil {
		return nil, nil
	}
	entries, err := pr.m.yf.mapping(f.val)
	if err != nil {
		return nil, err
	}
	var out []Preset
	for _, e := range entries {
		if err := pr.m.checkColumns(pr.t, []string{e.key}, e.at); err != nil {
			return nil, err
		}
		v, err := pr.m.value(e.val)
		if err != nil {
			return nil, err
		}
		out = append(out, Preset{Column: e.key, Value: v})
	}
	return out, nil
}

func (pr *permReader) selectPerm() (*SelectPermission, *Error) {
	if err := pr.check("columns", "filter", "limit", "allow_aggregations", "query_root_fields", "subscription_root_fields"); err != nil {
		return nil, err
	}
	p := &SelectPermission{Declared: pr.at}
	var err *Error
	if p.Columns, err = pr.columns(false); err != nil {
		return nil, err
	}
	if p.Filter, err = pr.boolExp("filter"); err != nil {
		return nil, err
	}
	if p.AllowAggregations, err = pr.boolean("allow_aggregations"); err != nil {
		return nil, err
	}
	if f := pr.field("limit"); f != nil && !isNull(f.val.n) {
		n, err := scalarInt(f.val)
		if err != nil {
			return nil, err
		}
		if n < 0 {
			return nil, errAt(f.at, ErrInvalid, "limit must not be negative")
		}
		p.Limit = &n
	}
	if p.QueryRootFields, err = pr.rootFields("query_root_fields", RootSelect, RootSelectByPk, RootSelectAggregate); err != nil {
		return nil, err
	}
	if p.SubscriptionRootFields, err = pr.rootFields("subscription_root_fields", RootSelect, RootSelectByPk, RootSelectAggregate, RootSelectStream); err != nil {
		return nil, err
	}
	return p, nil
}

func (pr *permReader) rootFields(key string, allowed ...string) ([]string, *Error) {
	f := pr.field(key)
	if f == nil || isNull(f.val.n) {
		return nil, nil
	}
	names, err := pr.m.columnNames(f.val)
	if err != nil {
		return nil, err
	}
	out := []string{}
	for _, n := range names {
		if !slices.Contains(allowed, n) {
			return nil, errAt(f.at, ErrInvalid, "%s: unknown root field kind %q", key, n)
		}
		out = append(out, n)
	}
	return out, nil
}

func (pr *permReader) insertPerm() (*InsertPermission, *Error) {
	if err := pr.check("columns", "check", "set", "backend_only"); err != nil {
		return nil, err
	}
	p := &InsertPermission{Declared: pr.at}
	var err *Error
	if p.Columns, err = pr.columns(true); err != nil {
		return nil, err
	}
	if p.Check, err = pr.boolExp("check"); err != nil {
		return nil, err
	}
	if p.Set, err = pr.presets(); err != nil {
		return nil, err
	}
	p.BackendOnly, err = pr.boolean("backend_only")
	return p, err
}

func (pr *permReader) updatePerm() (*UpdatePermission, *Error) {
	if err := pr.check("columns", "filter", "check", "set", "backend_only"); err != nil {
		return nil, err
	}
	p := &UpdatePermission{Declared: pr.at}
	var err *Error
	if p.Columns, err = pr.columns(false); err != nil {
		return nil, err
	}
	if p.Filter, err = pr.boolExp("filter"); err != nil {
		return nil, err
	}
	if f := pr.field("check"); f != nil && !isNull(f.val.n) {
		if p.Check, err = pr.m.boolExp(f.val, pr.t, pr.t); err != nil {
			return nil, err
		}
	}
	if p.Set, err = pr.presets(); err != nil {
		return nil, err
	}
	p.BackendOnly, err = pr.boolean("backend_only")
	return p, err
}

func (pr *permReader) deletePerm() (*DeletePermission, *Error) {
	if err := pr.check("filter", "backend_only"); err != nil {
		return nil, err
	}
	p := &DeletePermission{Declared: pr.at}
	var err *Error
	if p.Filter, err = pr.boolExp("filter"); err != nil {
		return nil, err
	}
	p.BackendOnly, err = pr.boolean("backend_only")
	return p, err
}
