package fakehasura

import (
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraschema"
)

// The plan of one operation: what parsing the request against the role's
// schema produced, ready to execute.

type rootKind int

const (
	rootTypename rootKind = iota
	rootSelect
	rootByPK
	rootAggregate
	rootStream
	rootInsert
	rootInsertOne
	rootUpdate
	rootUpdateByPK
	rootUpdateMany
	rootDelete
	rootDeleteByPK
	rootNoQueries
	rootIntrospection
)

// rootKinds maps the generator's root field kinds to the plan's.
var rootKinds = map[hasuraschema.RootKind]rootKind{
	hasuraschema.Select: rootSelect, hasuraschema.SelectByPk: rootByPK, hasuraschema.SelectAggregate: rootAggregate,
	hasuraschema.SelectStream: rootStream, hasuraschema.Insert: rootInsert, hasuraschema.InsertOne: rootInsertOne,
	hasuraschema.Update: rootUpdate, hasuraschema.UpdateByPk: rootUpdateByPK, hasuraschema.UpdateMany: rootUpdateMany,
	hasuraschema.Delete: rootDelete, hasuraschema.DeleteByPk: rootDeleteByPK, hasuraschema.NoQueries: rootNoQueries,
}

type rootField struct {
	key      string
	name     string
	path     string
	kind     rootKind
	typename string
	ti       *tableInfo
	sel      *selectArgs
	pk       []pkValue
	ins      *insertArgs
	upd      []*updateArgs
	del      boolExp
	stream   *streamArgs
	out      []*outField
	// intro is an introspection field's selection.
	intro *introField
}

type outKind int

const (
	outTypename outKind = iota
	outColumn
	outObjectRel
	outArrayRel
	outAggregateRel
	outAffectedRows
	outReturning
	outAggregate // <t>_aggregate.aggregate
	outNodes     // <t>_aggregate.nodes
	outCount     // <t>_aggregate_fields.count
	outAggOp     // <t>_aggregate_fields.sum, max, …
	outAggColumn // a column of <t>_sum_fields, …
)

type outField struct {
	key      string
	kind     outKind
	typename string
	col      *colInfo
	jsonPath []string
	rel      *hasuraproject.Relationship
	sel      *selectArgs // of an array or aggregate relationship
	sub      []*outField
	// op is the aggregate function of outAggOp and outAggColumn.
	op string
	// countCols and distinct are count's arguments.
	countCols []*colInfo
	distinct  bool
}

// orderItem is one order_by key: a column, reached through object
// relationships on path, or an aggregate of an array relationship.
type orderItem struct {
	path       []*hasuraproject.Relationship
	col        *colInfo
	agg        *orderAgg
	desc       bool
	nullsFirst bool
}

// orderAgg orders by count() or op(col) over an array relationship.
type orderAgg struct {
	rel *hasuraproject.Relationship
	op  string
	col *colInfo
}

type selectArgs struct {
	where    boolExp
	orderBy  []orderItem
	distinct []*colInfo
	limit    *int64
	offset   *int64
}

type pkValue struct {
	col *colInfo
	val operand
}

// colValue is a column's value as the request gave it; a zero operand is
// NULL.
type colValue struct {
	col *colInfo
	val operand
}

type insertArgs struct {
	objects    []*insertObject
	onConflict *onConflict
	path       string // where Postgres errors of the insert are reported
}

// insertObject is one row to insert, with the rows of its nested
// relationship inserts.
type insertObject struct {
	cols   []colValue
	nested []*nestedInsert
}

type nestedInsert struct {
	rel *hasuraproject.Relationship
	ins *insertArgs
}

type onConflict struct {
	key           *uniqueKey
	updateColumns []*colInfo
	where         boolExp
}

type updateArgs struct {
	where boolExp
	pk    []pkValue
	set   []colValue
	inc   []colValue
}

type streamArgs struct {
	batchSize int64
	col       *colInfo
	initial   operand
	desc      bool
	where     boolExp
}
