package fakehasura

// Hasura has Postgres build the JSON of every result: a row with
// row_to_json (no spaces; json_build_object when an alias is longer than
// Postgres' 63-byte identifiers), a list of rows with json_agg (", "
// between rows), aggregates and mutation responses with
// json_build_object (" : " between key and value, ", " between pairs).

// maxResponse bounds a response body: aliases and fragments let a short
// query ask for a result that doubles with each level of relationships.
// Tests lower it.
var maxResponse = 64 << 20

func tooLarge(w *jsonWriter) *Error {
	if len(w.buf) > maxResponse {
		return notEmulated("$", "responses larger than %d MiB", maxResponse>>20)
	}
	return nil
}

// objectWriter writes one JSON object in either of Postgres' styles.
type objectWriter struct {
	w     *jsonWriter
	built bool // json_build_object rather than row_to_json
	n     int
}

func (o *objectWriter) open() { o.w.raw("{") }

func (o *objectWriter) key(k string) {
	if o.n > 0 {
		if o.built {
			o.w.raw(", ")
		} else {
			o.w.raw(",")
		}
	}
	o.n++
	o.w.pgString(k)
	if o.built {
		o.w.raw(" : ")
	} else {
		o.w.raw(":")
	}
}

func (o *objectWriter) close() { o.w.raw("}") }

func longAlias(out []*outField) bool {
	for _, f := range out {
		if len(f.key) > 63 {
			return true
		}
	}
	return false
}

// writeRow writes a row of ti with the selection out.
func (t *txn) writeRow(w *jsonWriter, ti *tableInfo, r *row, out []*outField) *Error {
	if err := tooLarge(w); err != nil {
		return err
	}
	o := objectWriter{w: w, built: longAlias(out)}
	o.open()
	for _, f := range out {
		o.key(f.key)
		switch f.kind {
		case outTypename:
			w.pgString(f.typename)
		case outColumn:
			v := r.vals[f.col.idx]
			if jv, ok := v.(jsonValue); ok && f.jsonPath != nil {
				if v, ok = jsonPathGet(f.col.typ, jv, f.jsonPath); !ok {
					v = nil
				}
			}
			writeValue(w, f.col.typ, v)
		default:
			if err := t.writeRelationship(w, ti, r, f); err != nil {
				return err
			}
		}
	}
	o.close()
	return nil
}

func (t *txn) writeRelationship(w *jsonWriter, ti *tableInfo, r *row, f *outField) *Error {
	remote, related := t.related(ti, f.rel, r)
	if f.kind == outObjectRel {
		perm, err := t.selectFilter(remote)
		if err != nil {
			return err
		}
		if related, err = filter(related, perm); err != nil {
			return err
		}
		var one *row
		if len(related) > 0 {
			one = related[0]
		}
		return t.writeOptionalRow(w, remote, one, f.sub)
	}
	rows, err := t.selectRows(remote, f.sel, related)
	if err != nil {
		return err
	}
	if f.kind == outArrayRel {
		return t.writeRows(w, remote, rows, f.sub)
	}
	return t.writeAggregate(w, remote, rows, f.sub)
}

func (t *txn) writeOptionalRow(w *jsonWriter, ti *tableInfo, r *row, out []*outField) *Error {
	if r == nil {
		w.null()
		return nil
	}
	return t.writeRow(w, ti, r, out)
}

// writeRows writes rows as json_agg does.
func (t *txn) writeRows(w *jsonWriter, ti *tableInfo, rows []*row, out []*outField) *Error {
	w.raw("[")
	for i, r := range rows {
		if i > 0 {
			w.raw(", ")
		}
		if err := t.writeRow(w, ti, r, out); err != nil {
			return err
		}
	}
	w.raw("]")
	return nil
}

// writeAggregate writes a <t>_aggregate over the selected rows.
func (t *txn) writeAggregate(w *jsonWriter, ti *tableInfo, rows []*row, out []*outField) *Error {
	o := objectWriter{w: w, built: true}
	o.open()
	for _, f := range out {
		o.key(f.key)
		switch f.kind {
		case outTypename:
			w.pgString(f.typename)
		case outNodes:
			if err := t.writeRows(w, ti, rows, f.sub); err != nil {
				return err
			}
		case outAggregate:
			if err := writeAggregateFields(w, rows, f.sub); err != nil {
				return err
			}
		}
	}
	o.close()
	return nil
}

func writeAggregateFields(w *jsonWriter, rows []*row, out []*outField) *Error {
	o := objectWriter{w: w, built: true}
	o.open()
	for _, f := range out {
		o.key(f.key)
		switch f.kind {
		case outTypename:
			w.pgString(f.typename)
		case outCount:
			w.int(count(rows, f.countCols, f.distinct))
		case outAggOp:
			fo := objectWriter{w: w, built: true}
			fo.open()
			for _, c := range f.sub {
				fo.key(c.key)
				if c.kind == outTypename {
					w.pgString(c.typename)
					continue
				}
				vals := make([]any, len(rows))
				for i, r := range rows {
					vals[i] = r.vals[c.col.idx]
				}
				v, ct, err := aggregate(c.op, c.col.typ, vals)
				if err != nil {
					return err
				}
				writeValue(w, ct, v)
			}
			fo.close()
		}
	}
	o.close()
	return nil
}

// writeMutationResponse writes a <t>_mutation_response.
func (t *txn) writeMutationResponse(w *jsonWriter, ti *tableInfo, affected int, returning []*row, out []*outField) *Error {
	o := objectWriter{w: w, built: true}
	o.open()
	for _, f := range out {
		o.key(f.key)
		switch f.kind {
		case outTypename:
			w.pgString(f.typename)
		case outAffectedRows:
			w.int(int64(affected))
		case outReturning:
			if err := t.writeRows(w, ti, returning, f.sub); err != nil {
				return err
			}
		}
	}
	o.close()
	return nil
}
