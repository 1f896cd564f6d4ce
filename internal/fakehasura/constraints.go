package fakehasura

import (
	"crypto/rand"
	"fmt"
	"strconv"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// Hasura reports Postgres' integrity errors with a prefix of its own and
// Postgres' message: constraint-violation, at the path of the mutation's
// rows for an insert and at $ otherwise.

func notNullViolation(ti *tableInfo, col string) *Error {
	return newError(CodeConstraintViolation, "$", `Not-NULL violation. null value in column "%s" of relation "%s" violates not-null constraint`, col, ti.t.Name)
}

func uniqueViolation(k *uniqueKey) *Error {
	return newError(CodeConstraintViolation, "$", `Uniqueness violation. duplicate key value violates unique constraint "%s"`, k.name)
}

func fkInsertViolation(f *fkInfo) *Error {
	return newError(CodeConstraintViolation, "$", `Foreign key violation. insert or update on table "%s" violates foreign key constraint "%s"`, f.from.t.Name, f.fk.Name)
}

func fkDeleteViolation(f *fkInfo) *Error {
	return newError(CodeConstraintViolation, "$", `Foreign key violation. update or delete on table "%s" violates foreign key constraint "%s" on table "%s"`, f.to.t.Name, f.fk.Name, f.from.t.Name)
}

// checkNotNull is Postgres' check of NOT NULL columns, in column order.
func checkNotNull(ti *tableInfo, r *row) *Error {
	for _, c := range ti.cols {
		if !c.Nullable && r.vals[c.idx] == nil {
			return notNullViolation(ti, c.Name)
		}
	}
	return nil
}

// sameKey reports whether two rows have equal, non-NULL values in cols.
func sameKey(ti *tableInfo, cols []int, a, b *row) bool {
	for _, i := range cols {
		x, y := a.vals[i], b.vals[i]
		if x == nil || y == nil || compareValues(ti.cols[i].typ, x, y) != 0 {
			return false
		}
	}
	return true
}

// conflict finds a row other than r and except that has r's values in
// one of the table's unique keys, checked in key order.
func (t *txn) conflict(ti *tableInfo, r, except *row) (*uniqueKey, *row) {
	for k := range ti.keys {
		key := &ti.keys[k]
		for _, other := range t.rows(ti) {
			if other != r && other != except && sameKey(ti, key.cols, r, other) {
				return key, other
			}
		}
	}
	return nil, nil
}

// conflictOn finds the row that has r's values in key.
func (t *txn) conflictOn(ti *tableInfo, key *uniqueKey, r *row) *row {
	for _, other := range t.rows(ti) {
		if other != r && sameKey(ti, key.cols, r, other) {
			return other
		}
	}
	return nil
}

// references reports whether the row's foreign key f points at a row
// that exists: true too when one of its columns is NULL (MATCH SIMPLE).
func (t *txn) references(f *fkInfo, r *row) bool {
	for _, i := range f.cols {
		if r.vals[i] == nil {
			return true
		}
	}
	for _, target := range t.rows(f.to) {
		if fkMatches(f, r, target) {
			return true
		}
	}
	return false
}

func fkMatches(f *fkInfo, from, to *row) bool {
	for k, i := range f.cols {
		x, y := from.vals[i], to.vals[f.refCols[k]]
		if x == nil || y == nil || !sameKind(x, y) || compareValues(f.to.cols[f.refCols[k]].typ, x, y) != 0 {
			return false
		}
	}
	return true
}

// checkReferences is the end-of-statement check of the foreign keys of
// the rows a statement wrote; changed limits it to the keys whose columns
// an update changed.
func (t *txn) checkReferences(ti *tableInfo, rows []*row, changed func(f *fkInfo, r *row) bool) *Error {
	for _, f := range ti.fks {
		for _, r := range rows {
			if changed != nil && !changed(f, r) {
				continue
			}
			if !t.references(f, r) {
				return fkInsertViolation(f)
			}
		}
	}
	return nil
}

// defaultValue computes a column's default for a new row.
func (t *txn) defaultValue(ti *tableInfo, c *colInfo) (any, *Error) {
	d := c.Default
	switch d.Kind {
	case hasuraproject.NoDefault:
		return nil, nil
	case hasuraproject.ConstantDefault:
		return castText(c.typ, d.Value, t.b.now)
	case hasuraproject.NowDefault:
		if !c.typ.isTime() {
			return nil, notEmulated("$", "the default %s of column %q of %s", d.Expr, c.Name, ti.qualified())
		}
		if c.typ.name == "date" {
			return castTime(c.typ, "today", t.b.now)
		}
		return TimestampOf(t.b.now), nil
	case hasuraproject.UUIDDefault:
		return castText(c.typ, randomUUID(), t.b.now)
	case hasuraproject.SequenceDefault:
		return castText(c.typ, strconv.FormatInt(t.seqs.next(d.Sequence), 10), t.b.now)
	}
	return nil, notEmulated("$", "the default %s of column %q of %s", d.Expr, c.Name, ti.qualified())
}

// randomUUID is a version 4 UUID, as gen_random_uuid() makes.
func randomUUID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return fmt.Sprintf("%x-%x-%x-%x-%x", b[0:4], b[4:6], b[6:8], b[8:10], b[10:])
}

// writableTable refuses tables whose rows the fake cannot compute.
func writableTable(ti *tableInfo) *Error {
	for _, c := range ti.cols {
		if c.Generated {
			return notEmulated("$", "generated columns (%q of %s)", c.Name, ti.qualified())
		}
	}
	return nil
}
