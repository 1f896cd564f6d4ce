package fakehasura

import (
	"math"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// update runs UPDATE … SET … WHERE (update permission) AND (where): _set,
// _inc and the role's presets, NOT NULL and unique checks row by row,
// the foreign keys at the end of the statement, then the permission's
// check on every updated row.
func (t *txn) update(ti *tableInfo, u *updateArgs) ([]*row, *Error) {
	if err := writableTable(ti); err != nil {
		return nil, err
	}
	var filter, check pred
	var presets []preset
	var err *Error
	if p := t.rs.perm(ti); p != nil {
		if filter, err = p.updFilter.bind(t.b, ti); err != nil {
			return nil, err
		}
		if check, err = t.bindOpt(p.updCheck, ti); err != nil {
			return nil, err
		}
		presets = p.updPresets
	}
	where, err := t.bindOpt(u.where, ti)
	if err != nil {
		return nil, err
	}
	set, err := t.castAll(u.set)
	if err != nil {
		return nil, err
	}
	inc, err := t.castAll(u.inc)
	if err != nil {
		return nil, err
	}
	var pk []any
	for _, p := range u.pk {
		v, err := t.b.value(p.col.typ, p.val)
		if err != nil {
			return nil, err
		}
		pk = append(pk, v)
	}
	var out, olds []*row
	for _, r := range append([]*row(nil), t.rows(ti)...) {
		if !pkMatches(u.pk, pk, r) {
			continue
		}
		ok, err := matches(r, r, filter, where)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		next := r.clone()
		for i, cv := range u.set {
			next.vals[cv.col.idx] = set[i]
		}
		for i, cv := range u.inc {
			if next.vals[cv.col.idx], err = increment(cv.col.typ, next.vals[cv.col.idx], inc[i]); err != nil {
				return nil, err
			}
		}
		if err := t.applyPresets(ti, next, presets); err != nil {
			return nil, err
		}
		if err := checkNotNull(ti, next); err != nil {
			return nil, err
		}
		if k, _ := t.conflict(ti, next, r); k != nil {
			return nil, uniqueViolation(k)
		}
		t.replaceRow(ti, r, next)
		if err := t.cascadeKeyChange(ti, r, next); err != nil {
			return nil, err
		}
		out, olds = append(out, next), append(olds, r)
	}
	for i, next := range out {
		old := olds[i]
		if err := t.checkReferences(ti, []*row{next}, func(f *fkInfo, _ *row) bool { return keyChanged(f.cols, old, next) }); err != nil {
			return nil, err
		}
	}
	for _, r := range out {
		if ok, err := matches(r, r, check); err != nil || !ok {
			return nil, orCheckFailed(err, "$")
		}
	}
	return out, nil
}

func (t *txn) castAll(vals []colValue) ([]any, *Error) {
	out := make([]any, len(vals))
	for i, cv := range vals {
		v, err := t.b.value(cv.col.typ, cv.val)
		if err != nil {
			return nil, err
		}
		out[i] = v
	}
	return out, nil
}

func pkMatches(pk []pkValue, vals []any, r *row) bool {
	for i, p := range pk {
		v := r.vals[p.col.idx]
		if v == nil || vals[i] == nil || compareValues(p.col.typ, v, vals[i]) != 0 {
			return false
		}
	}
	return true
}

func keyChanged(cols []int, old, next *row) bool {
	for _, i := range cols {
		a, b := old.vals[i], next.vals[i]
		if (a == nil) != (b == nil) || a != nil && valueKey(colType{}, a) != valueKey(colType{}, b) {
			return true
		}
	}
	return false
}

// increment is col + by, with Postgres' overflow errors; NULL stays NULL.
func increment(ct colType, v, by any) (any, *Error) {
	if v == nil || by == nil {
		return nil, nil
	}
	switch x := v.(type) {
	case int64:
		y := by.(int64)
		b := intBounds[ct.name]
		if (y > 0 && x > math.MaxInt64-y) || (y < 0 && x < math.MinInt64-y) || x+y < b[0] || x+y > b[1] {
			return nil, dataException("%s out of range", ct.sqlName())
		}
		return x + y, nil
	case float64:
		if ct.name == "float4" {
			return float64(float32(x) + float32(by.(float64))), nil
		}
		return x + by.(float64), nil
	case *numeric:
		return x.add(by.(*numeric)), nil
	}
	return nil, notEmulated("$", "_inc on values of type %s", ct.sqlName())
}

// cascadeKeyChange applies the ON UPDATE action of the foreign keys that
// reference the columns an update changed.
func (t *txn) cascadeKeyChange(ti *tableInfo, old, next *row) *Error {
	for _, f := range ti.incoming {
		if !keyChanged(f.refCols, old, next) {
			continue
		}
		for _, ref := range append([]*row(nil), t.rows(f.from)...) {
			if !fkMatches(f, ref, old) {
				continue
			}
			switch f.fk.OnUpdate {
			case hasuraproject.Cascade, hasuraproject.SetNull, hasuraproject.SetDefault:
				moved := ref.clone()
				for k, i := range f.cols {
					switch f.fk.OnUpdate {
					case hasuraproject.Cascade:
						moved.vals[i] = next.vals[f.refCols[k]]
					case hasuraproject.SetNull:
						moved.vals[i] = nil
					default:
						v, err := t.defaultValue(f.from, f.from.cols[i])
						if err != nil {
							return err
						}
						moved.vals[i] = v
					}
				}
				if err := checkNotNull(f.from, moved); err != nil {
					return err
				}
				t.replaceRow(f.from, ref, moved)
				if err := t.cascadeKeyChange(f.from, ref, moved); err != nil {
					return err
				}
			default:
				return fkDeleteViolation(f)
			}
		}
	}
	return nil
}

// del runs DELETE … WHERE (delete permission) AND (where), then the ON
// DELETE actions of the foreign keys that reference the deleted rows.
func (t *txn) del(ti *tableInfo, where boolExp) ([]*row, *Error) {
	var perm pred
	var err *Error
	if p := t.rs.perm(ti); p != nil {
		if perm, err = p.delFilter.bind(t.b, ti); err != nil {
			return nil, err
		}
	}
	w, err := t.bindOpt(where, ti)
	if err != nil {
		return nil, err
	}
	rows, err := filter(t.rows(ti), perm, w)
	if err != nil {
		return nil, err
	}
	gone := map[*tableInfo]map[*row]bool{}
	if err := t.deleteRows(ti, rows, gone); err != nil {
		return nil, err
	}
	// NO ACTION and RESTRICT fail when a referencing row outlives the
	// statement.
	for _, dt := range t.cat.tables {
		set := gone[dt]
		for _, f := range dt.incoming {
			if f.fk.OnDelete == hasuraproject.Cascade || f.fk.OnDelete == hasuraproject.SetNull || f.fk.OnDelete == hasuraproject.SetDefault {
				continue
			}
			for _, ref := range t.rows(f.from) {
				if gone[f.from][ref] {
					continue
				}
				for r := range set {
					if fkMatches(f, ref, r) {
						return nil, fkDeleteViolation(f)
					}
				}
			}
		}
	}
	for dt, set := range gone {
		t.removeRows(dt, set)
	}
	return rows, nil
}

// deleteRows marks rows of ti deleted and applies CASCADE, SET NULL and
// SET DEFAULT to the rows that reference them.
func (t *txn) deleteRows(ti *tableInfo, rows []*row, gone map[*tableInfo]map[*row]bool) *Error {
	if gone[ti] == nil {
		gone[ti] = map[*row]bool{}
	}
	var fresh []*row
	for _, r := range rows {
		if !gone[ti][r] {
			gone[ti][r] = true
			fresh = append(fresh, r)
		}
	}
	for _, f := range ti.incoming {
		for _, r := range fresh {
			for _, ref := range append([]*row(nil), t.rows(f.from)...) {
				if gone[f.from][ref] || !fkMatches(f, ref, r) {
					continue
				}
				switch f.fk.OnDelete {
				case hasuraproject.Cascade:
					if err := t.deleteRows(f.from, []*row{ref}, gone); err != nil {
						return err
					}
				case hasuraproject.SetNull, hasuraproject.SetDefault:
					moved := ref.clone()
					for _, i := range f.cols {
						moved.vals[i] = nil
						if f.fk.OnDelete == hasuraproject.SetDefault {
							v, err := t.defaultValue(f.from, f.from.cols[i])
							if err != nil {
								return err
							}
							moved.vals[i] = v
						}
					}
					if err := checkNotNull(f.from, moved); err != nil {
						return err
					}
					t.replaceRow(f.from, ref, moved)
				}
			}
		}
	}
	return nil
}
