package fakehasura

// The plan of one operation: what parsing the request against the role's
// schema produced, ready to execute.

type rootKind int

const (
	rootTypename rootKind = iota
	rootSelect
	rootByPK
	rootInsert
	rootInsertOne
	rootUpdate
	rootUpdateByPK
	rootUpdateMany
	rootDelete
	rootDeleteByPK
)

type rootField struct {
	key      string
	name     string
	path     string
	kind     rootKind
	typename string
	sel      *selectArgs
	pk       *string
	ins      *insertArgs
	upd      []*updateArgs
	del      boolExp
	out      []*outField
}

type outKind int

const (
	outTypename outKind = iota
	outColumn
	outAffectedRows
	outReturning
)

type outField struct {
	key      string
	kind     outKind
	col      string
	typename string
	sub      []*outField
}

type orderItem struct {
	col        string
	desc       bool
	nullsFirst bool
}

type selectArgs struct {
	where    boolExp
	orderBy  []orderItem
	distinct []string
	limit    *int64
	offset   *int64
}

// colValue is a column's value as the client wrote it: text that
// PostgreSQL casts to the column's type, or NULL when text is nil.
type colValue struct {
	col  string
	text *string
}

type insertArgs struct {
	objects    [][]colValue
	onConflict *onConflict
	path       string // where PostgreSQL errors of the insert are reported
}

type onConflict struct {
	updateColumns []string
	where         boolExp
}

type updateArgs struct {
	where boolExp
	pk    *string
	set   []colValue
}
