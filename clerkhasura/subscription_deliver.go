package clerkhasura

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"sync"

	"github.com/Khan/genqlient/graphql"
	"github.com/vektah/gqlparser/v2/gqlerror"
)

// stageSize bounds how many values one call of a forward function may
// send; genqlient's generated functions send exactly one.
const stageSize = 4

// subscription is one operation a caller subscribed to, and the goroutine
// that hands its results to the caller's channel. Results wait in an
// unbounded queue, so a slow reader never holds up the connection or the
// other subscriptions.
type subscription struct {
	id      string
	payload json.RawMessage // the subscribe message's payload
	out     reflect.Value   // the caller's channel
	stage   reflect.Value   // a buffered channel of the same type, for forward
	forward graphql.ForwardDataFunction
	// unbind stops the context watch of SubscribeContext; nil if none.
	unbind func() bool

	// last is the last result queued, incoming the newest result from a
	// connection taking over; both guarded by the client's mu.
	last     []byte
	incoming []byte

	mu       sync.Mutex
	queue    []delivery
	signal   chan struct{} // one pending wake-up
	stop     chan struct{} // closed by Unsubscribe and Close
	stopOnce sync.Once
	exited   chan struct{} // closed when the goroutine has closed out
}

// delivery is one item of a subscription's queue.
type delivery struct {
	body json.RawMessage // a response body for forward, or nil
	err  error           // an error to deliver, when body is nil
	// final ends the subscription after this item; an item with neither
	// body nor err only ends it.
	final bool
}

func newSubscription(id string, payload json.RawMessage, ch any, forward graphql.ForwardDataFunction) (*subscription, error) {
	out := reflect.ValueOf(ch)
	if out.Kind() != reflect.Chan || out.Type().ChanDir() != reflect.BothDir || out.IsNil() {
		return nil, errors.New("clerkhasura: Subscribe: interfaceChan must be a non-nil, bidirectional channel")
	}
	if forward == nil {
		return nil, errors.New("clerkhasura: Subscribe: nil forward function")
	}
	return &subscription{
		id:      id,
		payload: payload,
		out:     out,
		stage:   reflect.MakeChan(out.Type(), stageSize),
		forward: forward,
		signal:  make(chan struct{}, 1),
		stop:    make(chan struct{}),
		exited:  make(chan struct{}),
	}, nil
}

func (s *subscription) push(d delivery) {
	s.mu.Lock()
	s.queue = append(s.queue, d)
	s.mu.Unlock()
	select {
	case s.signal <- struct{}{}:
	default:
	}
}

// halt makes the goroutine close the caller's channel and return, dropping
// what it has not delivered.
func (s *subscription) halt() {
	s.stopOnce.Do(func() { close(s.stop) })
}

// run delivers queued items until a final one or halt, then closes the
// caller's channel, as genqlient's own client does on complete and on
// Unsubscribe.
func (s *subscription) run() {
	defer close(s.exited)
	defer s.out.Close()
	if s.unbind != nil {
		defer s.unbind()
	}
	for {
		select {
		case <-s.stop:
			return
		case <-s.signal:
		}
		s.mu.Lock()
		items := s.queue
		s.queue = nil
		s.mu.Unlock()
		for _, d := range items {
			if !s.deliver(d) || d.final {
				return
			}
		}
	}
}

// deliver hands one item to the caller; it reports false when halted.
func (s *subscription) deliver(d delivery) bool {
	var values []reflect.Value
	switch {
	case d.body != nil:
		values = s.decode(d.body)
	case d.err != nil:
		values = []reflect.Value{s.errorValue(d.err)}
	}
	for _, v := range values {
		if !s.send(v) {
			return false
		}
	}
	return true
}

// decode runs the forward function into the stage channel, so that the
// generated code's blocking send never blocks, and collects what it sent.
func (s *subscription) decode(body json.RawMessage) []reflect.Value {
	if err := s.forward(s.stage.Interface(), body); err != nil {
		s.drainStage()
		return []reflect.Value{s.errorValue(fmt.Errorf("clerkhasura: decoding a subscription result: %w", err))}
	}
	return s.drainStage()
}

func (s *subscription) drainStage() []reflect.Value {
	var values []reflect.Value
	for {
		v, ok := s.stage.TryRecv()
		if !ok {
			return values
		}
		values = append(values, v)
	}
}

var gqlErrorListType = reflect.TypeFor[gqlerror.List]()

// errorValue builds a channel element carrying err. Generated response
// types (graphql.BaseResponse) have an Errors gqlerror.List field: err is
// wrapped in it, so errors.Is and errors.As reach err through the list.
// Other types get err's message through the forward function.
func (s *subscription) errorValue(err error) reflect.Value {
	elem := s.out.Type().Elem()
	if elem.Kind() == reflect.Struct {
		if f, ok := elem.FieldByName("Errors"); ok && f.Type == gqlErrorListType && f.IsExported() {
			v := reflect.New(elem).Elem()
			v.FieldByIndex(f.Index).Set(reflect.ValueOf(gqlerror.List{gqlerror.Wrap(err)}))
			return v
		}
	}
	body, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"message": err.Error()}}})
	if s.forward(s.stage.Interface(), body) == nil {
		if values := s.drainStage(); len(values) > 0 {
			return values[0]
		}
	}
	return reflect.Zero(elem)
}

// send blocks until the caller receives v, or the subscription is halted.
func (s *subscription) send(v reflect.Value) bool {
	chosen, _, _ := reflect.Select([]reflect.SelectCase{
		{Dir: reflect.SelectSend, Chan: s.out, Send: v},
		{Dir: reflect.SelectRecv, Chan: reflect.ValueOf(s.stop)},
	})
	return chosen == 0
}
