package fakehasura

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"
)

// Errors of the seeding API.
var (
	// ErrUnknownTable means the project tracks no such table.
	ErrUnknownTable = errors.New("fakehasura: unknown table")
	// ErrInvalidRow means a row names an unknown column or holds a value
	// the fake cannot turn into the column's type.
	ErrInvalidRow = errors.New("fakehasura: invalid row")
)

// RowError is a row that Postgres refused: a constraint it breaks or a
// value it cannot cast, with Hasura's error for it.
type RowError struct {
	Table string
	Err   *Error
}

// Error returns "fakehasura: table: message (code)".
func (e *RowError) Error() string {
	return fmt.Sprintf("fakehasura: %s: %s (%s)", e.Table, e.Err.Message, e.Err.Code)
}

// Insert adds rows to a table as a migration or the admin role would:
// no permission applies, missing columns get their defaults (sequences,
// gen_random_uuid(), now() on the engine's clock), and NOT NULL, unique
// and foreign key constraints hold. It inserts all rows or none, and
// signals live queries. table is "schema.name" or the table's GraphQL
// name ("users", "other_things"). Values are Go values: nil is NULL, a
// string is text that Postgres casts to the column's type ("now()",
// "2024-05-01", a UUID, JSON text for json columns), numbers, booleans,
// time.Time (its UTC wall clock for timestamp), [Timestamp], and maps and
// slices for json and jsonb.
func (e *Engine) Insert(table string, rows ...map[string]any) error {
	ti, err := e.cat.table(table)
	if err != nil {
		return err
	}
	objects := make([]*insertObject, len(rows))
	for i, r := range rows {
		obj := &insertObject{}
		for _, name := range sortedKeys(r) {
			ci := ti.col(name)
			if ci == nil {
				return fmt.Errorf("%w: %s has no column %q", ErrInvalidRow, ti.qualified(), name)
			}
			o, err := goOperand(ci.typ, r[name])
			if err != nil {
				return fmt.Errorf("%w: column %q of %s: %v", ErrInvalidRow, name, ti.qualified(), err)
			}
			obj.cols = append(obj.cols, colValue{col: ci, val: o})
		}
		objects[i] = obj
	}
	return e.admin(ti, func(t *txn) *Error {
		_, _, err := t.insert(ti, &insertArgs{objects: objects, path: "$"}, nil)
		return err
	})
}

// admin runs f in a transaction of the admin role and commits it when f
// succeeds.
func (e *Engine) admin(ti *tableInfo, f func(t *txn) *Error) error {
	rs, err := e.schemas.forRole(adminRole)
	if err != nil {
		return err
	}
	e.mu.Lock()
	t := &txn{cat: e.cat, seqs: &e.seqs, rs: rs, st: e.st.fork()}
	t.b = &binder{vars: map[string]string{"x-hasura-role": adminRole}, now: e.Now(), tx: t}
	ferr := f(t)
	if ferr == nil {
		e.st = t.st
	}
	e.mu.Unlock()
	if ferr != nil {
		return &RowError{Table: ti.qualified(), Err: ferr}
	}
	if t.changed {
		e.changes.notify()
	}
	return nil
}

// matchExp is the where of UpdateRows and DeleteRows: every column of
// match equals its value (a nil value matches NULL).
func matchExp(ti *tableInfo, match map[string]any) (boolExp, error) {
	where := andExp{}
	for _, name := range sortedKeys(match) {
		ci := ti.col(name)
		if ci == nil {
			return nil, fmt.Errorf("%w: %s has no column %q", ErrInvalidRow, ti.qualified(), name)
		}
		if match[name] == nil {
			where = append(where, &cmpExp{col: name, op: "_is_null", isNull: true})
			continue
		}
		o, err := goOperand(ci.typ, match[name])
		if err != nil {
			return nil, fmt.Errorf("%w: column %q of %s: %v", ErrInvalidRow, name, ti.qualified(), err)
		}
		where = append(where, &cmpExp{col: name, op: "_eq", val: o})
	}
	return where, nil
}

// UpdateRows sets columns of the rows that match (all of them when match
// is empty) as the admin role would, and returns how many it updated.
func (e *Engine) UpdateRows(table string, match, set map[string]any) (int, error) {
	ti, err := e.cat.table(table)
	if err != nil {
		return 0, err
	}
	where, err := matchExp(ti, match)
	if err != nil {
		return 0, err
	}
	u := &updateArgs{where: where}
	for _, name := range sortedKeys(set) {
		ci := ti.col(name)
		if ci == nil {
			return 0, fmt.Errorf("%w: %s has no column %q", ErrInvalidRow, ti.qualified(), name)
		}
		o, err := goOperand(ci.typ, set[name])
		if err != nil {
			return 0, fmt.Errorf("%w: column %q of %s: %v", ErrInvalidRow, name, ti.qualified(), err)
		}
		u.set = append(u.set, colValue{col: ci, val: o})
	}
	n := 0
	err = e.admin(ti, func(t *txn) *Error {
		rows, err := t.update(ti, u)
		n = len(rows)
		return err
	})
	return n, err
}

// DeleteRows deletes the rows that match (all of them when match is
// empty) as the admin role would, foreign keys' ON DELETE actions
// included, and returns how many rows of the table it deleted.
func (e *Engine) DeleteRows(table string, match map[string]any) (int, error) {
	ti, err := e.cat.table(table)
	if err != nil {
		return 0, err
	}
	where, err := matchExp(ti, match)
	if err != nil {
		return 0, err
	}
	n := 0
	err = e.admin(ti, func(t *txn) *Error {
		rows, err := t.del(ti, where)
		n = len(rows)
		return err
	})
	return n, err
}

// TableRows returns a table's rows, sorted by primary key (in physical
// order when it has none), each column's value as a client decodes
// Hasura's JSON: string, json.Number, bool, nil, and maps and slices for
// json columns.
func (e *Engine) TableRows(table string) ([]map[string]any, error) {
	ti, err := e.cat.table(table)
	if err != nil {
		return nil, err
	}
	e.mu.RLock()
	rows := append([]*row(nil), e.st.tables[ti]...)
	e.mu.RUnlock()
	if pk := ti.pk(); pk != nil {
		sort.SliceStable(rows, func(i, j int) bool {
			for _, c := range pk.cols {
				if d := compareValues(ti.cols[c].typ, rows[i].vals[c], rows[j].vals[c]); d != 0 {
					return d < 0
				}
			}
			return false
		})
	}
	out := make([]map[string]any, len(rows))
	for i, r := range rows {
		m := map[string]any{}
		for _, c := range ti.cols {
			var w jsonWriter
			writeValue(&w, c.typ, r.vals[c.idx])
			dec := json.NewDecoder(bytes.NewReader(w.bytes()))
			dec.UseNumber()
			var v any
			_ = dec.Decode(&v)
			m[c.Name] = v
		}
		out[i] = m
	}
	return out, nil
}

// goOperand turns a Go value into a value for a column of type ct.
func goOperand(ct colType, v any) (operand, error) {
	switch x := v.(type) {
	case nil:
		return operand{}, nil
	case string:
		return textOperand(x), nil
	case json.RawMessage:
		return textOperand(string(x)), nil
	case Timestamp:
		return operand{typed: x}, nil
	case time.Time:
		if !ct.isTime() {
			return operand{}, fmt.Errorf("a time.Time for a column of type %s", ct.sqlName())
		}
		ts := TimestampOf(x)
		if ct.name == "date" {
			ts, _ = parseDate(ts.String(), x)
		}
		return operand{typed: ts}, nil
	case bool:
		if ct.name == "bool" {
			return operand{typed: x}, nil
		}
	case json.Number:
		return numberOperand(ct, string(x)), nil
	case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		return numberOperand(ct, fmt.Sprint(x)), nil
	case float32:
		return numberOperand(ct, strconv.FormatFloat(float64(x), 'g', -1, 32)), nil
	case float64:
		return numberOperand(ct, strconv.FormatFloat(x, 'g', -1, 64)), nil
	}
	if !ct.isJSON() {
		return operand{}, fmt.Errorf("a %T for a column of type %s", v, ct.sqlName())
	}
	b, err := json.Marshal(v)
	if err != nil {
		return operand{}, err
	}
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.UseNumber()
	var js any
	if err := dec.Decode(&js); err != nil {
		return operand{}, err
	}
	jv, jerr := jsonFromInput(ct, js)
	if jerr != nil {
		return operand{}, errors.New(jerr.Message)
	}
	return operand{typed: jv}, nil
}
