package fakehasura

import (
	"strings"
	"time"
)

// txn is one transaction: the rows it reads, which a mutation copies
// table by table before it writes, the role, and the session.
type txn struct {
	cat   *catalog
	seqs  *sequences
	st    *store
	owned map[*tableInfo]bool
	rs    *roleSchema
	b     *binder
	// changed is set when a statement wrote a row.
	changed bool
	// cursor is a streaming subscription's position, or nil.
	cursor *streamCursor
}

func (t *txn) rows(ti *tableInfo) []*row { return t.st.tables[ti] }

// writable returns the transaction's own copy of a table's rows.
func (t *txn) writable(ti *tableInfo) []*row {
	if !t.owned[ti] {
		if t.owned == nil {
			t.owned = map[*tableInfo]bool{}
		}
		t.st.tables[ti] = append([]*row(nil), t.st.tables[ti]...)
		t.owned[ti] = true
	}
	return t.st.tables[ti]
}

func (t *txn) appendRow(ti *tableInfo, r *row) {
	t.st.tables[ti] = append(t.writable(ti), r)
	t.changed = true
}

// replaceRow puts next where old was.
func (t *txn) replaceRow(ti *tableInfo, old, next *row) {
	rows := t.writable(ti)
	for i, r := range rows {
		if r == old {
			rows[i] = next
			t.changed = true
			return
		}
	}
}

func (t *txn) removeRows(ti *tableInfo, gone map[*row]bool) {
	if len(gone) == 0 {
		return
	}
	kept := t.writable(ti)[:0]
	for _, r := range t.st.tables[ti] {
		if !gone[r] {
			kept = append(kept, r)
		}
	}
	t.st.tables[ti] = kept
	t.changed = true
}

// binder resolves values for one transaction: session variables, and the
// casts Postgres folds into constants when it plans a statement.
type binder struct {
	vars map[string]string
	now  time.Time
	tx   *txn
}

// operand is a value as the request or the metadata gave it: text that
// Postgres casts to the column's type, a value Hasura already parsed, or
// a session variable.
type operand struct {
	text    *string
	typed   any
	sessVar string
}

func textOperand(s string) operand { return operand{text: &s} }

func (b *binder) sessionValue(name string) (string, *Error) {
	v, ok := b.vars[name]
	if !ok {
		return "", newError("not-found", "$", "missing session variable: %q", name)
	}
	return v, nil
}

// value casts an operand to a column type; nil is NULL.
func (b *binder) value(ct colType, o operand) (any, *Error) {
	switch {
	case o.sessVar != "":
		s, err := b.sessionValue(o.sessVar)
		if err != nil {
			return nil, err
		}
		return castText(ct, s, b.now)
	case o.text != nil:
		return castText(ct, *o.text, b.now)
	}
	return o.typed, nil
}

// list casts the operand of _in and _nin: a list, or a session variable
// holding a Postgres array literal such as {a,b,"c d"}.
func (b *binder) list(ct colType, items []operand, sessVar string) ([]any, *Error) {
	if sessVar != "" {
		s, err := b.sessionValue(sessVar)
		if err != nil {
			return nil, err
		}
		elems, ok := parseArrayLiteral(s)
		if !ok {
			return nil, dataException(`malformed array literal: "%s"`, s)
		}
		items = nil
		for _, e := range elems {
			items = append(items, textOperand(e))
		}
	}
	out := make([]any, 0, len(items))
	for _, o := range items {
		v, err := b.value(ct, o)
		if err != nil {
			return nil, err
		}
		out = append(out, v)
	}
	return out, nil
}

// parseArrayLiteral reads a one-dimensional Postgres array literal.
func parseArrayLiteral(s string) ([]string, bool) {
	s = strings.TrimSpace(s)
	if len(s) < 2 || s[0] != '{' || s[len(s)-1] != '}' {
		return nil, false
	}
	body := s[1 : len(s)-1]
	var out []string
	if strings.TrimSpace(body) == "" {
		return out, true
	}
	var cur strings.Builder
	quoted, inQuotes, escaped := false, false, false
	flush := func() {
		v := cur.String()
		if !quoted {
			v = strings.TrimSpace(v)
		}
		out = append(out, v)
		cur.Reset()
		quoted = false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case escaped:
			cur.WriteByte(c)
			escaped = false
		case c == '\\':
			escaped = true
		case c == '"':
			inQuotes = !inQuotes
			quoted = true
		case c == ',' && !inQuotes:
			flush()
		case c == '{' && !inQuotes:
			return nil, false
		default:
			cur.WriteByte(c)
		}
	}
	if inQuotes || escaped {
		return nil, false
	}
	flush()
	return out, true
}
