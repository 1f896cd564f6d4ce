package fakehasura

// Mutations run on the transaction's private copy of the table; the
// caller commits the copy only when every root field succeeded.

var errCheckFailed = "check constraint of an insert/update permission has failed"

func uniqueViolation(path string) *Error {
	return newError(CodeConstraintViolation, path, `Uniqueness violation. duplicate key value violates unique constraint "users_pkey"`)
}

func notNullViolation(path, col string) *Error {
	return newError(CodeConstraintViolation, path, `Not-NULL violation. null value in column "%s" of relation "users" violates not-null constraint`, col)
}

// nullID stands for a NULL id while a statement runs: PostgreSQL text
// cannot contain NUL, so no real id can equal it.
const nullID = "\x00null"

// castValues casts a column list once per statement, as PostgreSQL folds
// the casts of constants when it plans the statement.
func (t *txn) castValues(vals []colValue, path string) ([]castCol, *Error) {
	out := make([]castCol, len(vals))
	for i, v := range vals {
		out[i].col = v.col
		if v.text == nil {
			continue
		}
		cv, err := castText(v.col, *v.text, t.b.now)
		if err != nil {
			return nil, withPath(err, path)
		}
		out[i].val = &cv
	}
	return out, nil
}

type castCol struct {
	col string
	val *value // nil for NULL
}

func applyCast(r *Row, vals []castCol) {
	for _, v := range vals {
		switch {
		case v.col == "id" && v.val == nil:
			r.ID = nullID
		case v.col == "id":
			r.ID = v.val.text
		case v.col == "name" && v.val == nil:
			r.Name = nil
		case v.col == "name":
			s := v.val.text
			r.Name = &s
		case v.val == nil:
			r.LastSeen = nil
		default:
			ts := v.val.ts
			r.LastSeen = &ts
		}
	}
}

func withPath(err *Error, path string) *Error {
	if err.Code == CodeValidationFailed {
		return err
	}
	e := *err
	e.Path = path
	return &e
}

// insert runs INSERT … ON CONFLICT as PostgreSQL does, row by row: column
// defaults, the not-null and primary key constraints, the upsert, and
// Hasura's permission check on every row the statement wrote.
func (t *txn) insert(ins *insertArgs) ([]*Row, *Error) {
	var insCheck, updFilter, updCheck, ocWhere pred
	var err *Error
	if p := t.rs.perms; p != nil {
		if insCheck, err = t.bindPerm(p.insertCheck); err != nil {
			return nil, err
		}
		if updFilter, err = t.bindPerm(p.updateFilter); err != nil {
			return nil, err
		}
		if updCheck, err = t.bindPerm(p.updateCheck); err != nil {
			return nil, err
		}
	}
	if ins.onConflict != nil {
		if ocWhere, err = t.bindOpt(ins.onConflict.where); err != nil {
			return nil, err
		}
	}
	proposed := make([]*Row, len(ins.objects))
	now := TimestampOf(t.b.now)
	for i, obj := range ins.objects {
		vals, err := t.castValues(obj, ins.path)
		if err != nil {
			return nil, err
		}
		r := &Row{ID: nullID, LastSeen: &now}
		applyCast(r, vals)
		proposed[i] = r
	}
	touched := map[string]bool{}
	var out []*Row
	for _, r := range proposed {
		if r.ID == nullID {
			return nil, notNullViolation(ins.path, "id")
		}
		_, existing := t.tbl.find(r.ID)
		if existing == nil {
			t.tbl.rows = append(t.tbl.rows, r)
			touched[r.ID] = true
			if ok, err := matches(r, insCheck); err != nil || !ok {
				return nil, orCheckFailed(err, ins.path)
			}
			out = append(out, r)
			continue
		}
		if ins.onConflict == nil {
			return nil, uniqueViolation(ins.path)
		}
		if len(ins.onConflict.updateColumns) == 0 {
			continue
		}
		if touched[existing.ID] {
			return nil, newError(CodeUnexpected, ins.path, "database query error")
		}
		ok, err := matches(existing, ocWhere, updFilter)
		if err != nil {
			return nil, withPath(err, ins.path)
		}
		if !ok {
			continue
		}
		for _, col := range ins.onConflict.updateColumns {
			copyColumn(existing, r, col)
		}
		touched[existing.ID] = true
		if ok, err := matches(existing, updCheck); err != nil || !ok {
			return nil, orCheckFailed(err, ins.path)
		}
		out = append(out, existing)
	}
	return out, nil
}

func orCheckFailed(err *Error, path string) *Error {
	if err != nil {
		return withPath(err, path)
	}
	return newError(CodePermissionError, path, "%s", errCheckFailed)
}

func copyColumn(dst, src *Row, col string) {
	switch col {
	case "id":
		dst.ID = src.ID
	case "name":
		dst.Name = src.clone().Name
	default:
		dst.LastSeen = src.clone().LastSeen
	}
}

// update runs UPDATE … SET … WHERE (update permission) AND (where) and
// checks every updated row against the update permission's check.
func (t *txn) update(u *updateArgs) ([]*Row, *Error) {
	var filter, check pred
	var err *Error
	if p := t.rs.perms; p != nil {
		if filter, err = t.bindPerm(p.updateFilter); err != nil {
			return nil, err
		}
		if check, err = t.bindPerm(p.updateCheck); err != nil {
			return nil, err
		}
	}
	where, err := t.bindOpt(u.where)
	if err != nil {
		return nil, err
	}
	set, err := t.castValues(u.set, "$")
	if err != nil {
		return nil, err
	}
	var out []*Row
	for _, r := range t.tbl.rows {
		if u.pk != nil && r.ID != *u.pk {
			continue
		}
		ok, err := matches(r, filter, where)
		if err != nil {
			return nil, err
		}
		if !ok {
			continue
		}
		oldID := r.ID
		applyCast(r, set)
		if r.ID == nullID {
			return nil, notNullViolation("$", "id")
		}
		if r.ID != oldID {
			for _, other := range t.tbl.rows {
				if other != r && other.ID == r.ID {
					return nil, uniqueViolation("$")
				}
			}
		}
		if ok, err := matches(r, check); err != nil || !ok {
			return nil, orCheckFailed(err, "$")
		}
		out = append(out, r)
	}
	return out, nil
}

// del runs DELETE … WHERE for the admin role, the only one the metadata
// lets delete.
func (t *txn) del(where boolExp, pk *string) ([]*Row, *Error) {
	p, err := t.bindOpt(where)
	if err != nil {
		return nil, err
	}
	var out []*Row
	kept := t.tbl.rows[:0:0]
	for _, r := range t.tbl.rows {
		ok := pk == nil || r.ID == *pk
		if ok {
			if ok, err = matches(r, p); err != nil {
				return nil, err
			}
		}
		if ok {
			out = append(out, r)
		} else {
			kept = append(kept, r)
		}
	}
	t.tbl.rows = kept
	return out, nil
}

// visible keeps the rows the role may select: the rows a mutation's
// "returning" shows.
func (t *txn) visible(rows []*Row) ([]*Row, *Error) {
	perm, err := t.selectFilter()
	if err != nil || perm == nil {
		return rows, err
	}
	var out []*Row
	for _, r := range rows {
		ok, err := matches(r, perm)
		if err != nil {
			return nil, err
		}
		if ok {
			out = append(out, r)
		}
	}
	return out, nil
}
