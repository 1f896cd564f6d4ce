package fakehasura

import "strings"

// runPlan executes the root fields in order within one transaction and
// writes {"data":{…}}. changed reports whether a mutation wrote any row.
func (t *txn) runPlan(plan []*rootField) (body []byte, changed bool, err *Error) {
	var w jsonWriter
	w.raw(`{"data":{`)
	for i, rf := range plan {
		if i > 0 {
			w.raw(",")
		}
		w.aesonString(rf.key)
		w.raw(":")
		wrote, err := t.runRoot(&w, rf)
		if err != nil {
			return nil, false, err
		}
		changed = changed || wrote
	}
	w.raw("}}")
	return w.bytes(), changed, nil
}

func (t *txn) runRoot(w *jsonWriter, rf *rootField) (changed bool, err *Error) {
	switch rf.kind {
	case rootTypename:
		w.aesonString(rf.typename)
		return false, nil
	case rootSelect:
		rows, err := t.selectRows(rf.sel)
		if err != nil {
			return false, err
		}
		writeRows(w, rows, rf.out)
		return false, nil
	case rootByPK:
		r, err := t.selectByPK(*rf.pk)
		if err != nil {
			return false, err
		}
		writeOptionalRow(w, r, rf.out)
		return false, nil
	}
	var rows []*Row
	switch rf.kind {
	case rootInsert, rootInsertOne:
		rows, err = t.insert(rf.ins)
	case rootUpdate, rootUpdateByPK:
		if rf.kind == rootUpdateByPK {
			if err = checkText(*rf.upd[0].pk); err != nil {
				return false, err
			}
		}
		rows, err = t.update(rf.upd[0])
	case rootUpdateMany:
		return t.runUpdateMany(w, rf)
	case rootDelete:
		rows, err = t.del(rf.del, nil)
	case rootDeleteByPK:
		if err = checkText(*rf.pk); err != nil {
			return false, err
		}
		rows, err = t.del(nil, rf.pk)
	}
	if err != nil {
		return false, err
	}
	visible, err := t.visible(rows)
	if err != nil {
		return false, err
	}
	switch rf.kind {
	case rootInsertOne, rootUpdateByPK, rootDeleteByPK:
		var r *Row
		if len(visible) > 0 {
			r = visible[0]
		}
		writeOptionalRow(w, r, rf.out)
	default:
		writeMutationResponse(w, len(rows), visible, rf.out)
	}
	return len(rows) > 0, nil
}

func checkText(s string) *Error {
	if strings.ContainsRune(s, 0) {
		return newError(CodeDataException, "$", `invalid byte sequence for encoding "UTF8": 0x00`)
	}
	return nil
}

func (t *txn) runUpdateMany(w *jsonWriter, rf *rootField) (bool, *Error) {
	changed := false
	w.raw("[")
	for i, u := range rf.upd {
		rows, err := t.update(u)
		if err != nil {
			return false, err
		}
		visible, err := t.visible(rows)
		if err != nil {
			return false, err
		}
		if i > 0 {
			w.raw(",")
		}
		writeMutationResponse(w, len(rows), visible, rf.out)
		changed = changed || len(rows) > 0
	}
	w.raw("]")
	return changed, nil
}

// writeRow writes a row as PostgreSQL's row_to_json does: no spaces.
func writeRow(w *jsonWriter, r *Row, out []*outField) {
	w.raw("{")
	for i, f := range out {
		if i > 0 {
			w.raw(",")
		}
		w.pgString(f.key)
		w.raw(":")
		if f.kind == outTypename {
			w.pgString(f.typename)
			continue
		}
		v, ok := columnValue(r, f.col)
		switch {
		case !ok:
			w.null()
		case isTimestampColumn(f.col):
			w.pgString(v.ts.String())
		default:
			w.pgString(v.text)
		}
	}
	w.raw("}")
}

func writeOptionalRow(w *jsonWriter, r *Row, out []*outField) {
	if r == nil {
		w.null()
		return
	}
	writeRow(w, r, out)
}

// writeRows writes rows as json_agg does: elements separated by ", ".
func writeRows(w *jsonWriter, rows []*Row, out []*outField) {
	w.raw("[")
	for i, r := range rows {
		if i > 0 {
			w.raw(", ")
		}
		writeRow(w, r, out)
	}
	w.raw("]")
}

// writeMutationResponse writes a users_mutation_response as Hasura builds
// it with json_build_object: keys and values separated by " : ", pairs by
// ", ".
func writeMutationResponse(w *jsonWriter, affected int, returning []*Row, out []*outField) {
	w.raw("{")
	for i, f := range out {
		if i > 0 {
			w.raw(", ")
		}
		w.pgString(f.key)
		w.raw(" : ")
		switch f.kind {
		case outTypename:
			w.pgString(f.typename)
		case outAffectedRows:
			w.int(int64(affected))
		case outReturning:
			writeRows(w, returning, f.sub)
		}
	}
	w.raw("}")
}
