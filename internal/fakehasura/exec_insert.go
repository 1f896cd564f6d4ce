package fakehasura

import (
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// hasuraName is a table as Hasura's messages name it: bare in public.
func hasuraName(ti *tableInfo) string {
	if ti.t.Schema == "public" {
		return ti.t.Name
	}
	return ti.qualified()
}

// Mutations run on the transaction's copy of the tables; the engine
// commits it only when every root field succeeded.

const errCheckFailed = "check constraint of an insert/update permission has failed"

func withPath(err *Error, path string) *Error {
	if err.Code == CodeValidationFailed {
		return err
	}
	e := *err
	e.Path = path
	return &e
}

func checkFailed(path string) *Error {
	return newError(CodePermissionError, path, "%s", errCheckFailed)
}

// insert runs an insert mutation: one INSERT … ON CONFLICT statement for
// all objects when none has nested inserts, else, as Hasura does, one
// object at a time, its object relationships' rows first and its array
// relationships' rows after it. It returns the rows it affected in all
// tables, and the rows of ti it inserted or updated.
// extra sets columns of every object from the row that a nested insert
// belongs to.
func (t *txn) insert(ti *tableInfo, ins *insertArgs, extra map[int]any) (int, []*row, *Error) {
	if err := writableTable(ti); err != nil {
		return 0, nil, withPath(err, ins.path)
	}
	nested := false
	for _, obj := range ins.objects {
		nested = nested || len(obj.nested) > 0
	}
	if !nested {
		rows, err := t.insertStatement(ti, ins, ins.objects, extra)
		return len(rows), rows, err
	}
	affected := 0
	var out []*row
	for _, obj := range ins.objects {
		own := map[int]any{}
		for i, v := range extra {
			own[i] = v
		}
		for _, n := range obj.nested {
			if n.rel.Kind != hasuraproject.ObjectRelationship {
				continue
			}
			remote := t.cat.info(n.rel.Remote)
			a, rows, err := t.insert(remote, n.ins, nil)
			if err != nil {
				return 0, nil, err
			}
			if len(rows) == 0 {
				return 0, nil, validationError(strings.TrimSuffix(n.ins.path, ".data"),
					"cannot proceed to insert object relation %q since insert to table %q affects zero rows", n.rel.Name, hasuraName(remote))
			}
			affected += a
			for _, m := range n.rel.Mapping {
				own[ti.colIdx[m.Column]] = rows[0].vals[remote.colIdx[m.RemoteColumn]]
			}
		}
		rows, err := t.insertStatement(ti, ins, []*insertObject{obj}, own)
		if err != nil {
			return 0, nil, err
		}
		affected += len(rows)
		out = append(out, rows...)
		if len(rows) == 0 {
			continue
		}
		for _, n := range obj.nested {
			if n.rel.Kind == hasuraproject.ObjectRelationship {
				continue
			}
			remote := t.cat.info(n.rel.Remote)
			childExtra := map[int]any{}
			for _, m := range n.rel.Mapping {
				childExtra[remote.colIdx[m.RemoteColumn]] = rows[0].vals[ti.colIdx[m.Column]]
			}
			a, _, err := t.insert(remote, n.ins, childExtra)
			if err != nil {
				return 0, nil, err
			}
			affected += a
		}
	}
	return affected, out, nil
}

// insertStatement is one INSERT of objects into ti: column values, the
// role's presets and the columns' defaults; NOT NULL and unique checks
// row by row, the upsert of on_conflict, the foreign keys at the end of
// the statement, then Hasura's permission checks on every row written.
// extra sets columns from the rows of nested inserts.
func (t *txn) insertStatement(ti *tableInfo, ins *insertArgs, objects []*insertObject, extra map[int]any) ([]*row, *Error) {
	perm := t.rs.perm(ti)
	var insCheck, updFilter, updCheck, ocWhere pred
	var err *Error
	if perm != nil {
		if perm.ins == nil {
			return nil, checkFailed(ins.path)
		}
		if insCheck, err = perm.insCheck.bind(t.b, ti); err != nil {
			return nil, withPath(err, ins.path)
		}
		if perm.upd != nil {
			if updFilter, err = perm.updFilter.bind(t.b, ti); err != nil {
				return nil, withPath(err, ins.path)
			}
			if updCheck, err = t.bindOpt(perm.updCheck, ti); err != nil {
				return nil, withPath(err, ins.path)
			}
		}
	}
	oc := ins.onConflict
	if oc != nil {
		if ocWhere, err = t.bindOpt(oc.where, ti); err != nil {
			return nil, withPath(err, ins.path)
		}
	}
	proposed := make([]*row, len(objects))
	for i, obj := range objects {
		if proposed[i], err = t.newRow(ti, obj, extra, perm); err != nil {
			return nil, withPath(err, ins.path)
		}
	}
	// written lists the rows in the order the statement wrote them, as
	// RETURNING lists them.
	var inserted, updated, written []*row
	touched := map[*row]bool{}
	for _, r := range proposed {
		if err := checkNotNull(ti, r); err != nil {
			return nil, withPath(err, ins.path)
		}
		// ON CONFLICT looks at its own constraint first, as Postgres'
		// speculative insertion does; any other conflict is an error.
		var existing *row
		if oc != nil {
			existing = t.conflictOn(ti, oc.key, r)
		}
		if existing == nil {
			if key, _ := t.conflict(ti, r, nil); key != nil {
				return nil, withPath(uniqueViolation(key), ins.path)
			}
			t.appendRow(ti, r)
			touched[r] = true
			inserted = append(inserted, r)
			written = append(written, r)
			continue
		}
		if len(oc.updateColumns) == 0 {
			continue
		}
		if touched[existing] {
			return nil, newError(CodeUnexpected, ins.path, "database query error")
		}
		ok, err := matches(existing, existing, ocWhere, updFilter)
		if err != nil {
			return nil, withPath(err, ins.path)
		}
		if !ok {
			continue
		}
		next := existing.clone()
		for _, c := range oc.updateColumns {
			next.vals[c.idx] = r.vals[c.idx]
		}
		if perm != nil {
			if err := t.applyPresets(ti, next, perm.updPresets); err != nil {
				return nil, withPath(err, ins.path)
			}
		}
		if err := checkNotNull(ti, next); err != nil {
			return nil, withPath(err, ins.path)
		}
		if k, _ := t.conflict(ti, next, existing); k != nil {
			return nil, withPath(uniqueViolation(k), ins.path)
		}
		t.replaceRow(ti, existing, next)
		if err := t.cascadeKeyChange(ti, existing, next); err != nil {
			return nil, withPath(err, ins.path)
		}
		touched[next] = true
		updated = append(updated, next)
		written = append(written, next)
	}
	if err := t.checkReferences(ti, written, nil); err != nil {
		return nil, withPath(err, ins.path)
	}
	for _, r := range inserted {
		if ok, err := matches(r, r, insCheck); err != nil || !ok {
			return nil, orCheckFailed(err, ins.path)
		}
	}
	for _, r := range updated {
		if ok, err := matches(r, r, updCheck); err != nil || !ok {
			return nil, orCheckFailed(err, ins.path)
		}
	}
	return written, nil
}

func orCheckFailed(err *Error, path string) *Error {
	if err != nil {
		return withPath(err, path)
	}
	return checkFailed(path)
}

// newRow builds the row an object proposes: its columns, the nested
// rows' keys, the role's presets, and defaults for the rest.
func (t *txn) newRow(ti *tableInfo, obj *insertObject, extra map[int]any, perm *tablePerms) (*row, *Error) {
	r := &row{vals: make([]any, len(ti.cols))}
	given := make([]bool, len(ti.cols))
	for _, cv := range obj.cols {
		v, err := t.b.value(cv.col.typ, cv.val)
		if err != nil {
			return nil, err
		}
		r.vals[cv.col.idx], given[cv.col.idx] = v, true
	}
	for i, v := range extra {
		r.vals[i], given[i] = v, true
	}
	if perm != nil && perm.ins != nil {
		for _, p := range perm.insPresets {
			given[p.col] = true
		}
		if err := t.applyPresets(ti, r, perm.insPresets); err != nil {
			return nil, err
		}
	}
	for _, c := range ti.cols {
		if given[c.idx] {
			continue
		}
		v, err := t.defaultValue(ti, c)
		if err != nil {
			return nil, err
		}
		r.vals[c.idx] = v
	}
	return r, nil
}

func (t *txn) applyPresets(ti *tableInfo, r *row, presets []preset) *Error {
	for _, p := range presets {
		v, err := t.b.value(ti.cols[p.col].typ, p.val)
		if err != nil {
			return err
		}
		r.vals[p.col] = v
	}
	return nil
}
