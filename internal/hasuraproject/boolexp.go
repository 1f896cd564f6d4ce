package hasuraproject

// BoolExp is a permission's boolean expression over a table's rows, as the
// metadata writes it: [And], [Or], [Not], [Compare], [RelationshipExp] or
// [Exists]. The empty filter {} is an empty And, which is true.
type BoolExp interface {
	boolExp()
}

// And is true when every operand is (and when there is none).
type And []BoolExp

// Or is true when some operand is (and false when there is none).
type Or []BoolExp

// Not negates its operand.
type Not struct{ Exp BoolExp }

// Compare compares a column with a value, a session variable or another
// column.
type Compare struct {
	Column string
	// Op is the operator with Hasura's underscore spelling ("_eq", "_in",
	// "_is_null", "_ceq", …); the metadata's "$eq" spellings are folded
	// into it.
	Op string
	// Value is the right-hand side of every operator but the column
	// comparisons. For _in and _nin a literal is a []any.
	Value Value
	// Other is the right-hand column of _ceq, _cne, _cgt, _clt, _cgte and
	// _clte, else nil.
	Other *ColumnRef
}

// ColumnRef names a column in a column comparison.
type ColumnRef struct {
	Column string
	// Root is true for ["$", "column"]: a column of the table the
	// permission belongs to, not of the table at hand.
	Root bool
}

// RelationshipExp holds when the rows a relationship reaches satisfy Exp
// (some row, for an array relationship).
type RelationshipExp struct {
	Relationship string
	Exp          BoolExp
}

// Exists holds when some row of Schema.Table satisfies Where (_exists).
type Exists struct {
	Schema string
	Table  string
	Where  BoolExp
}

func (And) boolExp()             {}
func (Or) boolExp()              {}
func (Not) boolExp()             {}
func (Compare) boolExp()         {}
func (RelationshipExp) boolExp() {}
func (Exists) boolExp()          {}
