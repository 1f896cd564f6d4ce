package fakehasura

import (
	"bytes"
	"context"
	"sort"
)

// streamCursor is a streaming subscription's position: the cursor
// column's value in the last row sent.
type streamCursor struct {
	value any
	set   bool
	// rows counts the rows of the last batch.
	rows int
}

// streamRows returns the next batch of a <t>_stream: the rows the role may
// see after the cursor, in cursor order, at most batch_size of them.
func (t *txn) streamRows(ti *tableInfo, s *streamArgs) ([]*row, *Error) {
	var start any
	if t.cursor != nil && t.cursor.set {
		start = t.cursor.value
	} else {
		v, err := t.b.value(s.col.typ, s.initial)
		if err != nil {
			return nil, err
		}
		start = v
	}
	perm, err := t.selectFilter(ti)
	if err != nil {
		return nil, err
	}
	where, err := t.bindOpt(s.where, ti)
	if err != nil {
		return nil, err
	}
	rows, err := filter(t.rows(ti), perm, where)
	if err != nil {
		return nil, err
	}
	var after []*row
	for _, r := range rows {
		v := r.vals[s.col.idx]
		if v == nil || start == nil {
			continue
		}
		c := orderValues(s.col.typ, v, start)
		if s.desc && c < 0 || !s.desc && c > 0 {
			after = append(after, r)
		}
	}
	sort.SliceStable(after, func(i, j int) bool {
		c := orderValues(s.col.typ, after[i].vals[s.col.idx], after[j].vals[s.col.idx])
		if s.desc {
			return c > 0
		}
		return c < 0
	})
	limit := s.batchSize
	if p := t.rs.perm(ti); p != nil && p.sel != nil && p.sel.Limit != nil && int64(*p.sel.Limit) < limit {
		limit = int64(*p.sel.Limit)
	}
	if int64(len(after)) > limit {
		after = after[:limit]
	}
	if t.cursor != nil {
		t.cursor.rows = len(after)
		if len(after) > 0 {
			t.cursor.value, t.cursor.set = after[len(after)-1].vals[s.col.idx], true
		}
	}
	return after, nil
}

// Subscribe prepares a subscription for the websocket transport and
// returns the function that runs it: each call returns the body to send
// and whether to send it. A live query is sent when its result changed
// since the last one sent; a streaming subscription (<table>_stream)
// sends each batch of new rows, nothing when there is none, and moves its
// cursor past the rows it sent. Errors are always sent.
func (e *Engine) Subscribe(s WSSession, req Request) func(ctx context.Context) (body []byte, send bool) {
	cursor := &streamCursor{}
	var last []byte
	return func(ctx context.Context) ([]byte, bool) {
		sess, ok := s.Session.(*Session)
		if !ok {
			return newError(CodeUnexpected, "$", "invalid session").Body(), true
		}
		cursor.rows = -1
		body, err := e.execute(sess, req, runMode{ws: true, cursor: cursor})
		if err != nil {
			return err.Body(), true
		}
		if cursor.rows >= 0 {
			return body, cursor.rows > 0
		}
		if bytes.Equal(body, last) {
			return body, false
		}
		last = body
		return body, true
	}
}
