package fakehasura

import (
	"bytes"
	"context"
	"encoding/json"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"

	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// onStart begins an operation: a subscription becomes a live query that
// sends its result again whenever it changes; a query or mutation sends
// one result and completes.
func (c *wsServerConn) onStart(m wsproto.Message) {
	req, ok := decodeStartPayload(m.Payload)
	if !ok {
		c.protocolError("parsing ClientMessage failed: the start payload is not a GraphQL request")
		return
	}
	if m.ID == "" {
		c.protocolError("parsing ClientMessage failed: the start message has no id")
		return
	}
	c.mu.Lock()
	initialised, sess := c.initialised, c.session
	_, exists := c.ops[m.ID]
	op := &wsOp{}
	if initialised && !exists {
		op.ctx, op.cancel = context.WithCancel(c.ctx)
		c.ops[m.ID] = op
	}
	c.mu.Unlock()
	switch {
	case !initialised:
		c.startError(m.ID, "start received before the connection is initialised")
		return
	case exists:
		c.startError(m.ID, "an operation already exists with this id: "+m.ID)
		return
	}
	c.srv.stats.operations.Add(1)
	c.wg.Add(1)
	go c.run(op, m.ID, sess, req)
}

// wsOp is one running operation.
type wsOp struct {
	ctx    context.Context
	cancel context.CancelFunc
}

// startError rejects a start message as Hasura's onStart does. On Apollo
// it sends an error for the id whose payload is one start-failed error
// object, then complete. On graphql-transport-ws Hasura queues the same
// two, but also writes at once (mkConnectionCloseAction) an error whose
// payload is msg as a JSON string and a close frame with 1000 and the
// reason "4400: msg"; the queued messages race with those and may come
// before them or not at all, so the fake sends only the direct ones.
func (c *wsServerConn) startError(id, msg string) {
	payload, _ := json.Marshal(msg)
	if c.proto == wsproto.TransportWS {
		c.send(wsproto.Message{ID: id, Type: wsproto.TypeError, Payload: payload})
		c.closeWith(wsproto.CloseNormal, wsproto.CloseReason(wsproto.CloseBadRequest, msg))
		return
	}
	var w jsonWriter
	newError("start-failed", "$", "%s", msg).write(&w)
	c.send(wsproto.Message{ID: id, Type: wsproto.TypeError, Payload: w.bytes()})
	c.send(wsproto.Message{ID: id, Type: wsproto.TypeComplete})
}

func decodeStartPayload(payload json.RawMessage) (Request, bool) {
	var p struct {
		Query         *string        `json:"query"`
		OperationName *string        `json:"operationName"`
		Variables     map[string]any `json:"variables"`
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	if len(payload) == 0 || dec.Decode(&p) != nil || p.Query == nil {
		return Request{}, false
	}
	return Request{Query: *p.Query, OperationName: p.OperationName, Variables: p.Variables}, true
}

// stopOp ends the operation id, as the client's stop or complete asks.
func (c *wsServerConn) stopOp(id string) {
	c.mu.Lock()
	op, ok := c.ops[id]
	delete(c.ops, id)
	c.mu.Unlock()
	if ok {
		op.cancel()
	}
}

// forget removes op once it ended, unless the id was reused since.
func (c *wsServerConn) forget(id string, op *wsOp) {
	c.mu.Lock()
	if c.ops[id] == op {
		delete(c.ops, id)
	}
	c.mu.Unlock()
	op.cancel()
}

// run executes one operation until it ends. The change signal is taken
// before the first execution, so that no change between the two is missed.
func (c *wsServerConn) run(op *wsOp, id string, sess WSSession, req Request) {
	defer c.wg.Done()
	defer c.forget(id, op)
	ctx := op.ctx
	live := isSubscription(req)
	var changes <-chan struct{}
	if live {
		ch, stop := c.srv.backend.Changes()
		defer stop()
		changes = ch
	}
	next := c.next(sess, req, live)
	for first := true; ; first = false {
		body, send := next(ctx)
		if ctx.Err() != nil {
			return
		}
		if first && isRequestError(body) {
			c.sendError(id, body)
			return
		}
		if send {
			c.srv.stats.results.Add(1)
			c.send(wsproto.Message{ID: id, Type: c.proto.Next(), Payload: body})
		}
		if !live {
			c.send(wsproto.Message{ID: id, Type: wsproto.TypeComplete})
			return
		}
		select {
		case <-ctx.Done():
			return
		case <-changes:
		}
	}
}

// next returns the function that runs an operation once more: the
// backend's own for a subscription when it keeps state between runs (a
// streaming cursor), else Execute, sending a result only when it differs
// from the last one sent.
func (c *wsServerConn) next(sess WSSession, req Request, live bool) func(ctx context.Context) ([]byte, bool) {
	if s, ok := c.srv.backend.(WSSubscriber); ok && live {
		return s.Subscribe(sess, req)
	}
	var last []byte
	return func(ctx context.Context) ([]byte, bool) {
		body := c.srv.backend.Execute(ctx, sess, req)
		if bytes.Equal(body, last) {
			return body, false
		}
		last = body
		return body, true
	}
}

// sendError sends a failed operation's errors: graphql-transport-ws as an
// array, Apollo as {"errors":[…]}.
func (c *wsServerConn) sendError(id string, body []byte) {
	payload := json.RawMessage(body)
	if c.proto == wsproto.TransportWS {
		var r struct {
			Errors json.RawMessage `json:"errors"`
		}
		if json.Unmarshal(body, &r) == nil && len(r.Errors) > 0 {
			payload = r.Errors
		}
	}
	c.send(wsproto.Message{ID: id, Type: wsproto.TypeError, Payload: payload})
}

// isSubscription reports whether req selects a subscription. A request
// that does not parse is not one; Execute reports why it fails.
func isSubscription(req Request) bool {
	doc, err := parser.ParseQuery(&ast.Source{Input: req.Query})
	if err != nil {
		return false
	}
	for _, op := range doc.Operations {
		if req.OperationName == nil && len(doc.Operations) == 1 ||
			req.OperationName != nil && op.Name == *req.OperationName {
			return op.Operation == ast.Subscription
		}
	}
	return false
}
