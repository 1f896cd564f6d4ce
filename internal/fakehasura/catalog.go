package fakehasura

import (
	"fmt"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraschema"
)

// catalog indexes a project's tracked tables for execution: columns by
// position, keys and foreign keys by column positions.
type catalog struct {
	project *hasuraproject.Project
	tables  []*tableInfo
	byTable map[*hasuraproject.Table]*tableInfo
}

// tableInfo is one tracked table or view.
type tableInfo struct {
	t      *hasuraproject.Table
	gql    string // the GraphQL name, <schema>_<table> outside public
	cols   []*colInfo
	colIdx map[string]int
	// keys are the primary key then the unique constraints.
	keys []uniqueKey
	// fks are the table's foreign keys to tracked tables; incoming are
	// the tracked tables' foreign keys to it.
	fks, incoming []*fkInfo
}

type colInfo struct {
	*hasuraproject.Column
	typ colType
	idx int
}

type uniqueKey struct {
	name string
	cols []int
}

type fkInfo struct {
	fk       *hasuraproject.ForeignKey
	from, to *tableInfo
	cols     []int // in from
	refCols  []int // in to
}

func newCatalog(p *hasuraproject.Project) *catalog {
	c := &catalog{project: p, byTable: map[*hasuraproject.Table]*tableInfo{}}
	for _, t := range p.Tables {
		ti := &tableInfo{t: t, gql: hasuraschema.TypeName(t), colIdx: map[string]int{}}
		for i, col := range t.Columns {
			ti.cols = append(ti.cols, &colInfo{Column: col, typ: typeOf(col.Type), idx: i})
			ti.colIdx[col.Name] = i
		}
		for _, k := range t.Constraints() {
			ti.keys = append(ti.keys, uniqueKey{name: k.Name, cols: ti.indexes(k.Columns)})
		}
		c.tables = append(c.tables, ti)
		c.byTable[t] = ti
	}
	for _, ti := range c.tables {
		for _, fk := range ti.t.ForeignKeys {
			to := c.byTable[p.Table(fk.RefSchema, fk.RefTable)]
			if to == nil {
				// Rows of untracked tables are beyond the fake's reach.
				continue
			}
			f := &fkInfo{fk: fk, from: ti, to: to, cols: ti.indexes(fk.Columns), refCols: to.indexes(fk.RefColumns)}
			ti.fks = append(ti.fks, f)
			to.incoming = append(to.incoming, f)
		}
	}
	return c
}

func (ti *tableInfo) indexes(names []string) []int {
	out := make([]int, len(names))
	for i, n := range names {
		out[i] = ti.colIdx[n]
	}
	return out
}

// col returns the column named name, or nil.
func (ti *tableInfo) col(name string) *colInfo {
	if i, ok := ti.colIdx[name]; ok {
		return ti.cols[i]
	}
	return nil
}

// qualified is schema.name, as the seeding API names tables.
func (ti *tableInfo) qualified() string { return ti.t.Schema + "." + ti.t.Name }

func (ti *tableInfo) isView() bool { return ti.t.Kind != hasuraproject.KindTable }

func (ti *tableInfo) pk() *uniqueKey {
	if ti.t.PrimaryKey == nil {
		return nil
	}
	return &ti.keys[0]
}

// table finds a table by "schema.name", "name" (in public) or its GraphQL
// name.
func (c *catalog) table(name string) (*tableInfo, error) {
	schema, tname, qualified := strings.Cut(name, ".")
	for _, ti := range c.tables {
		if qualified && ti.t.Schema == schema && ti.t.Name == tname || !qualified && ti.gql == name {
			return ti, nil
		}
	}
	return nil, fmt.Errorf("%w: %q", ErrUnknownTable, name)
}

func (c *catalog) info(t *hasuraproject.Table) *tableInfo { return c.byTable[t] }
