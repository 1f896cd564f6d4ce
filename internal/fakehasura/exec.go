package fakehasura

// runPlan executes the root fields in order within one transaction and
// writes {"data":{…}}. A subscription's data is built by Postgres'
// json_build_object, which puts " : " between key and value.
func (t *txn) runPlan(plan []*rootField, subscription bool) ([]byte, *Error) {
	var w jsonWriter
	w.raw(`{"data":{`)
	for i, rf := range plan {
		if i > 0 {
			w.raw(",")
		}
		if subscription {
			w.pgString(rf.key)
			w.raw(" : ")
		} else {
			w.aesonString(rf.key)
			w.raw(":")
		}
		if err := t.runRoot(&w, rf); err != nil {
			return nil, err
		}
	}
	w.raw("}}")
	return w.bytes(), nil
}

func (t *txn) runRoot(w *jsonWriter, rf *rootField) *Error {
	switch rf.kind {
	case rootTypename:
		w.aesonString(rf.typename)
		return nil
	case rootNoQueries:
		w.aesonString(noQueriesText)
		return nil
	case rootIntrospection:
		return rf.intro.write(w, t.rs)
	case rootSelect:
		rows, err := t.selectRows(rf.ti, rf.sel, t.rows(rf.ti))
		if err != nil {
			return err
		}
		return t.writeRows(w, rf.ti, rows, rf.out)
	case rootByPK:
		r, err := t.selectByPK(rf.ti, rf.pk, true)
		if err != nil {
			return err
		}
		return t.writeOptionalRow(w, rf.ti, r, rf.out)
	case rootAggregate:
		rows, err := t.selectRows(rf.ti, rf.sel, t.rows(rf.ti))
		if err != nil {
			return err
		}
		return t.writeAggregate(w, rf.ti, rows, rf.out)
	case rootStream:
		rows, err := t.streamRows(rf.ti, rf.stream)
		if err != nil {
			return err
		}
		return t.writeRows(w, rf.ti, rows, rf.out)
	case rootUpdateMany:
		return t.runUpdateMany(w, rf)
	}
	affected, rows, err := t.mutate(rf)
	if err != nil {
		return err
	}
	visible, err := t.visible(rf.ti, rows)
	if err != nil {
		return err
	}
	switch rf.kind {
	case rootInsertOne, rootUpdateByPK, rootDeleteByPK:
		var r *row
		if len(visible) > 0 {
			r = visible[0]
		}
		return t.writeOptionalRow(w, rf.ti, r, rf.out)
	}
	return t.writeMutationResponse(w, rf.ti, affected, visible, rf.out)
}

// noQueriesText is the value of no_queries_available.
const noQueriesText = "There are no queries available to the current role. Either there are no sources or remote schemas configured, or the current role doesn't have the required permissions."

// mutate runs one insert, update or delete root field and returns the
// number of rows it affected (nested inserts included) and the rows of
// its own table.
func (t *txn) mutate(rf *rootField) (int, []*row, *Error) {
	switch rf.kind {
	case rootInsert, rootInsertOne:
		return t.insert(rf.ti, rf.ins, nil)
	case rootUpdate, rootUpdateByPK:
		rows, err := t.update(rf.ti, rf.upd[0])
		return len(rows), rows, err
	case rootDeleteByPK:
		where := andExp{}
		for _, p := range rf.pk {
			where = append(where, &cmpExp{col: p.col.Name, op: "_eq", val: p.val})
		}
		rows, err := t.del(rf.ti, where)
		return len(rows), rows, err
	}
	rows, err := t.del(rf.ti, rf.del)
	return len(rows), rows, err
}

func (t *txn) runUpdateMany(w *jsonWriter, rf *rootField) *Error {
	w.raw("[")
	for i, u := range rf.upd {
		rows, err := t.update(rf.ti, u)
		if err != nil {
			return err
		}
		visible, err := t.visible(rf.ti, rows)
		if err != nil {
			return err
		}
		if i > 0 {
			w.raw(",")
		}
		if err := t.writeMutationResponse(w, rf.ti, len(rows), visible, rf.out); err != nil {
			return err
		}
	}
	w.raw("]")
	return nil
}
