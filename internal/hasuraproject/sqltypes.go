package hasuraproject

import (
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// builtinTypes maps the spellings of the supported built-in types (after
// the parser has rewritten SQL's multi-word names, such as "timestamp with
// time zone" to pg_catalog.timestamptz) to their pg_type.typname.
var builtinTypes = map[string]string{
	"text": "text", "varchar": "varchar", "bpchar": "bpchar", "citext": "citext",
	"uuid": "uuid",
	"int2": "int2", "smallint": "int2",
	"int4": "int4", "int": "int4", "integer": "int4",
	"int8": "int8", "bigint": "int8",
	"float4": "float4", "real": "float4",
	"float8": "float8", "numeric": "numeric", "decimal": "numeric", "money": "money",
	"bool": "bool", "boolean": "bool",
	"date": "date", "time": "time", "timetz": "timetz",
	"timestamp": "timestamp", "timestamptz": "timestamptz", "interval": "interval",
	"json": "json", "jsonb": "jsonb", "bytea": "bytea", "inet": "inet",
}

// serialTypes are the pseudo-types that create a sequence.
var serialTypes = map[string]string{
	"serial": "int4", "serial4": "int4",
	"bigserial": "int8", "serial8": "int8",
	"smallserial": "int2", "serial2": "int2",
}

func typeNameParts(tn *pg.TypeName) []string {
	var parts []string
	for _, n := range tn.Names {
		parts = append(parts, n.GetString_().GetSval())
	}
	return parts
}

// sqlTypeName renders a type name for messages.
func sqlTypeName(tn *pg.TypeName) string {
	s := strings.Join(typeNameParts(tn), ".")
	s = strings.TrimPrefix(s, "pg_catalog.")
	if len(tn.ArrayBounds) > 0 {
		s += "[]"
	}
	return s
}

// resolveType maps a column's type name to the catalog type. serial is the
// base type of a serial pseudo-type (which also creates a sequence), else "".
func (c *catalog) resolveType(tn *pg.TypeName, allowSerial bool) (t Type, serial string, err *Error) {
	parts := typeNameParts(tn)
	if len(tn.ArrayBounds) > 0 || tn.Setof || tn.PctType {
		return Type{}, "", c.errAtLoc(tn.Location, ErrUnsupported, "column type %s: arrays, SETOF and %%TYPE are not modelled", sqlTypeName(tn))
	}
	if len(parts) == 0 || len(parts) > 2 {
		return Type{}, "", c.errAtLoc(tn.Location, ErrUnsupported, "column type %s is not modelled", sqlTypeName(tn))
	}
	name := parts[len(parts)-1]
	schema := ""
	if len(parts) == 2 {
		schema = parts[0]
	}
	if strings.HasPrefix(name, "_") {
		return Type{}, "", c.errAtLoc(tn.Location, ErrUnsupported, "column type %s: arrays are not modelled", sqlTypeName(tn))
	}
	if schema == "" || schema == "pg_catalog" {
		if b, ok := builtinTypes[name]; ok {
			return Type{Name: b}, "", nil
		}
		if b, ok := serialTypes[name]; ok && schema == "" {
			if !allowSerial {
				return Type{}, "", c.errAtLoc(tn.Location, ErrInvalid, "type %q can only be used in CREATE TABLE and ADD COLUMN", name)
			}
			return Type{Name: b}, b, nil
		}
	}
	if schema == "pg_catalog" {
		return Type{}, "", c.errAtLoc(tn.Location, ErrUnsupported, "column type %s is not modelled", sqlTypeName(tn))
	}
	te := c.lookupType(schema, name)
	switch {
	case te == nil:
		if schema == "" && (name == "geometry" || name == "geography" || name == "ltree") {
			return Type{}, "", c.errAtLoc(tn.Location, ErrUnsupported, "column type %s is not modelled", name)
		}
		return Type{}, "", c.errAtLoc(tn.Location, ErrUndefined, "type %q does not exist", qualified(schema, name))
	case te.enum != nil:
		return Type{Name: te.enum.Name, Enum: te.enum}, "", nil
	case te.domain != nil:
		return *te.domain, "", nil
	default:
		return Type{}, "", c.errAtLoc(tn.Location, ErrUnsupported, "column type %s: composite types are not modelled", sqlTypeName(tn))
	}
}

func (c *catalog) lookupType(schema, name string) *typeEntry {
	if schema != "" {
		return c.types[qname{schema, name}]
	}
	for _, s := range c.searchPath {
		if te := c.types[qname{s, name}]; te != nil {
			return te
		}
	}
	return nil
}

// qualifiedName splits a list of String nodes (a type's or an object's
// name) into schema and name.
func qualifiedName(nodes []*pg.Node) (schema, name string) {
	var parts []string
	for _, n := range nodes {
		parts = append(parts, n.GetString_().GetSval())
	}
	switch len(parts) {
	case 0:
		return "", ""
	case 1:
		return "", parts[0]
	default:
		return parts[len(parts)-2], parts[len(parts)-1]
	}
}

func (c *catalog) createEnum(s *pg.CreateEnumStmt) *Error {
	schema, name := qualifiedName(s.TypeName)
	schema, err := c.creationSchema(schema)
	if err != nil {
		return err
	}
	if c.types[qname{schema, name}] != nil {
		return c.errf(ErrInvalid, "type %q already exists", qname{schema, name}.String())
	}
	e := &EnumType{Schema: schema, Name: name}
	for _, v := range s.Vals {
		e.Values = append(e.Values, v.GetString_().GetSval())
	}
	c.types[qname{schema, name}] = &typeEntry{enum: e}
	return nil
}

func (c *catalog) alterEnum(s *pg.AlterEnumStmt) *Error {
	schema, name := qualifiedName(s.TypeName)
	te := c.lookupType(schema, name)
	if te == nil || te.enum == nil {
		return c.errf(ErrUndefined, "enum type %q does not exist", qualified(schema, name))
	}
	e := te.enum
	if s.OldVal != "" {
		for i, v := range e.Values {
			if v == s.OldVal {
				e.Values[i] = s.NewVal
				return nil
			}
		}
		return c.errf(ErrUndefined, "%q is not an existing enum label", s.OldVal)
	}
	for _, v := range e.Values {
		if v == s.NewVal {
			if s.SkipIfNewValExists {
				return nil
			}
			return c.errf(ErrInvalid, "enum label %q already exists", s.NewVal)
		}
	}
	at := len(e.Values)
	if s.NewValNeighbor != "" {
		at = -1
		for i, v := range e.Values {
			if v == s.NewValNeighbor {
				at = i
				if s.NewValIsAfter {
					at++
				}
			}
		}
		if at < 0 {
			return c.errf(ErrUndefined, "%q is not an existing enum label", s.NewValNeighbor)
		}
	}
	e.Values = append(e.Values[:at], append([]string{s.NewVal}, e.Values[at:]...)...)
	return nil
}

func (c *catalog) createDomain(s *pg.CreateDomainStmt) *Error {
	schema, name := qualifiedName(s.Domainname)
	schema, err := c.creationSchema(schema)
	if err != nil {
		return err
	}
	if c.types[qname{schema, name}] != nil {
		return c.errf(ErrInvalid, "type %q already exists", qname{schema, name}.String())
	}
	base, _, err := c.resolveType(s.TypeName, false)
	if err != nil {
		return err
	}
	c.types[qname{schema, name}] = &typeEntry{domain: &base}
	return nil
}

func (c *catalog) createComposite(s *pg.CompositeTypeStmt) *Error {
	schema, err := c.creationSchema(s.Typevar.Schemaname)
	if err != nil {
		return err
	}
	q := qname{schema, s.Typevar.Relname}
	if c.types[q] != nil {
		return c.errf(ErrInvalid, "type %q already exists", q.String())
	}
	c.types[q] = &typeEntry{composite: true}
	return nil
}

// typeInUse reports an error if a column of some table has the type.
func (c *catalog) typeInUse(te *typeEntry, q qname) *Error {
	for _, r := range c.rels {
		if r.table == nil {
			continue
		}
		for _, col := range r.table.Columns {
			if te.enum != nil && col.Type.Enum == te.enum {
				return c.errf(ErrInvalid, "cannot drop type %s: column %s of %s depends on it", q, col.Name, qnameOf(r.table))
			}
		}
	}
	return nil
}
