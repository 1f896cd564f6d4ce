package hasuraproject

import (
	"strings"

	"go.yaml.in/yaml/v3"
)

// opAliases folds the metadata's other spellings into Hasura's.
var opAliases = map[string]string{"_ne": "_neq", "_cneq": "_cne"}

var valueOps = map[string]bool{"_eq": true, "_neq": true, "_gt": true, "_lt": true, "_gte": true, "_lte": true}
var listOps = map[string]bool{"_in": true, "_nin": true}
var columnOps = map[string]bool{"_ceq": true, "_cne": true, "_cgt": true, "_clt": true, "_cgte": true, "_clte": true}
var stringOps = map[string]bool{"_like": true, "_nlike": true, "_ilike": true, "_nilike": true, "_similar": true,
	"_nsimilar": true, "_regex": true, "_nregex": true, "_iregex": true, "_niregex": true}
var jsonbOps = map[string]bool{"_contains": true, "_contained_in": true, "_has_key": true, "_has_keys_any": true, "_has_keys_all": true}

// stringTypes take the pattern operators, as Hasura's isStringType.
var stringTypes = map[string]bool{"text": true, "varchar": true, "citext": true}

// value reads a preset or comparison value: a string naming an
// X-Hasura-* session variable, or a literal.
func (m *metaLoader) value(y ynode) (Value, *Error) {
	lit, err := m.yf.literal(y)
	if err != nil {
		return Value{}, err
	}
	if s, ok := lit.(string); ok && isSessionVariable(s) {
		return Value{Session: strings.ToLower(s)}, nil
	}
	return Value{Literal: lit}, nil
}

func isSessionVariable(s string) bool {
	return len(s) >= 9 && strings.EqualFold(s[:9], "x-hasura-")
}

// boolExp parses a filter or check over t; root is the permission's table,
// which ["$", column] refers to.
func (m *metaLoader) boolExp(y ynode, t, root *Table) (BoolExp, *Error) {
	entries, err := m.yf.mapping(y)
	if err != nil {
		return nil, err
	}
	var out And
	for _, e := range entries {
		x, err := m.boolTerm(e, t, root)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	if out == nil {
		return And{}, nil
	}
	return out, nil
}

func (m *metaLoader) boolList(e entry, t, root *Table) ([]BoolExp, *Error) {
	items, err := m.yf.sequence(e.val)
	if err != nil {
		return nil, err
	}
	out := make([]BoolExp, 0, len(items))
	for _, it := range items {
		x, err := m.boolExp(it, t, root)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, nil
}

func (m *metaLoader) boolTerm(e entry, t, root *Table) (BoolExp, *Error) {
	key := e.key
	if strings.HasPrefix(key, "$") {
		key = "_" + key[1:]
	}
	switch key {
	case "_and":
		xs, err := m.boolList(e, t, root)
		return And(xs), err
	case "_or":
		xs, err := m.boolList(e, t, root)
		return Or(xs), err
	case "_not":
		x, err := m.boolExp(e.val, t, root)
		return Not{Exp: x}, err
	case "_exists":
		return m.exists(e, root)
	}
	if strings.HasPrefix(key, "_") {
		return nil, errAt(e.at, ErrInvalid, "unknown boolean operator %q", e.key)
	}
	if col := t.Column(e.key); col != nil {
		return m.columnExp(e, col, t, root)
	}
	if rel := t.Relationship(e.key); rel != nil {
		x, err := m.boolExp(e.val, rel.Remote, root)
		return RelationshipExp{Relationship: rel.Name, Exp: x}, err
	}
	if strings.HasSuffix(e.key, "_aggregate") && t.Relationship(strings.TrimSuffix(e.key, "_aggregate")) != nil {
		return nil, errAt(e.at, ErrUnsupported, "aggregation predicates in permissions are not modelled")
	}
	return nil, errAt(e.at, ErrUndefined, "%q is neither a column nor a relationship of %s", e.key, qnameOf(t))
}

func (m *metaLoader) exists(e entry, root *Table) (BoolExp, *Error) {
	entries, err := m.yf.mapping(e.val)
	if err != nil {
		return nil, err
	}
	var target *Table
	var where *ynode
	for i, f := range entries {
		switch f.key {
		case "_table":
			q, err := m.tableName(f.val)
			if err != nil {
				return nil, err
			}
			if target, err = m.trackedTable(q, f.at); err != nil {
				return nil, err
			}
		case "_where":
			where = &entries[i].val
		default:
			return nil, errAt(f.at, ErrInvalid, "unexpected key %q in _exists", f.key)
		}
	}
	if target == nil || where == nil {
		return nil, errAt(e.at, ErrInvalid, "_exists needs _table and _where")
	}
	x, err := m.boolExp(*where, target, root)
	if err != nil {
		return nil, err
	}
	return Exists{Schema: target.Schema, Table: target.Name, Where: x}, nil
}

// columnExp reads {op: value, …}, or a bare value meaning _eq.
func (m *metaLoader) columnExp(e entry, col *Column, t, root *Table) (BoolExp, *Error) {
	v, err := m.yf.resolve(e.val)
	if err != nil {
		return nil, err
	}
	if v.n.Kind != yaml.MappingNode {
		val, err := m.value(v)
		return Compare{Column: col.Name, Op: "_eq", Value: val}, err
	}
	ops, err := m.yf.mapping(v)
	if err != nil {
		return nil, err
	}
	var out And
	for _, o := range ops {
		x, err := m.compare(o, col, t, root)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	if len(out) == 1 {
		return out[0], nil
	}
	return out, nil
}

func (m *metaLoader) compare(o entry, col *Column, t, root *Table) (BoolExp, *Error) {
	op := o.key
	if strings.HasPrefix(op, "$") {
		op = "_" + op[1:]
	}
	if a, ok := opAliases[op]; ok {
		op = a
	}
	cmp := Compare{Column: col.Name, Op: op}
	switch {
	case op == "_is_null":
		b, err := scalarBool(o.val)
		cmp.Value = Value{Literal: b}
		return cmp, err
	case columnOps[op]:
		ref, err := m.columnRef(o, t, root)
		cmp.Other = ref
		return cmp, err
	case stringOps[op] && !stringTypes[col.Type.Name]:
		return nil, errAt(o.at, ErrInvalid, "operator %s needs a text column; %q is %s", op, col.Name, col.Type.Name)
	case jsonbOps[op] && col.Type.Name != "jsonb":
		return nil, errAt(o.at, ErrInvalid, "operator %s needs a jsonb column; %q is %s", op, col.Name, col.Type.Name)
	case !valueOps[op] && !listOps[op] && !stringOps[op] && !jsonbOps[op]:
		return nil, errAt(o.at, ErrInvalid, "unknown operator %q on column %q", o.key, col.Name)
	}
	val, err := m.value(o.val)
	if err != nil {
		return nil, err
	}
	if listOps[op] || op == "_has_keys_any" || op == "_has_keys_all" {
		if _, isList := val.Literal.([]any); !isList && val.Session == "" {
			return nil, errAt(o.at, ErrInvalid, "operator %s needs a list or a session variable", op)
		}
	}
	cmp.Value = val
	return cmp, nil
}

// columnRef reads a column comparison's right-hand column: "col",
// ["col"] or ["$", "col"] for the permission's own table.
func (m *metaLoader) columnRef(o entry, t, root *Table) (*ColumnRef, *Error) {
	names, err := m.columnNames(o.val)
	if err != nil {
		return nil, err
	}
	ref := &ColumnRef{}
	target := t
	switch {
	case len(names) == 1:
		ref.Column = names[0]
	case len(names) == 2 && names[0] == "$":
		ref.Column, ref.Root, target = names[1], true, root
	default:
		return nil, errAt(o.at, ErrUnsupported, "column comparison through a path %v is not modelled", names)
	}
	if target.Column(ref.Column) == nil {
		return nil, errAt(o.at, ErrUndefined, "column %q of %s does not exist", ref.Column, qnameOf(target))
	}
	return ref, nil
}
