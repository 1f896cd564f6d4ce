package subscription

import (
	"bytes"
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
// that hands its results to the caller's channel. A live query's result is
// the whole current state, so only the newest result waits: a newer one
// replaces it. A slow reader thus holds up neither the connection nor the
// other subscriptions, and costs no more memory than one result.
type subscription struct {
	id      string
	payload json.RawMessage // the subscribe message's payload
	out     reflect.Value   // the caller's channel
	stage   reflect.Value   // a buffered channel of the same type, for forward
	forward graphql.ForwardDataFunction
	stats   *counters
	// unbind stops the context watch of SubscribeContext; nil if none.
	unbind func() bool

	// last is the last result queued; route is the connection its
	// results are taken from during a switch-over, and incoming the
	// newest result the new connection sent while it is switching. All
	// guarded by the client's mu.
	last     []byte
	route    route
	incoming []byte

	mu       sync.Mutex
	result   json.RawMessage // the newest result not yet taken, or nil
	final    *delivery       // what ends the subscription, once known
	signal   chan struct{}   // one pending wake-up
	stop     chan struct{}   // closed by Unsubscribe and Close
	stopOnce sync.Once
	exited   chan struct{} // closed when the goroutine has closed out

	delivered []byte // the last result handed to the caller; run's alone
}

// delivery is what the goroutine hands to the caller in one go.
type delivery struct {
	body json.RawMessage // a response body for forward, or nil
	err  error           // an error to deliver, when body is nil
}

func newSubscription(id string, payload json.RawMessage, ch any, forward graphql.ForwardDataFunction, stats *counters) (*subscription, error) {
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
		stats:   stats,
		signal:  make(chan struct{}, 1),
		stop:    make(chan struct{}),
		exited:  make(chan struct{}),
	}, nil
}

// pushResult queues a result, replacing one not yet taken.
func (s *subscription) pushResult(body json.RawMessage) {
	s.mu.Lock()
	if s.result != nil {
		s.stats.coalesced.Add(1)
	}
	s.result = body
	s.mu.Unlock()
	s.wake()
}

// end queues the subscription's last item, delivered after the newest
// result: an error, or, when d is zero, nothing but the channel's close.
func (s *subscription) end(d delivery) {
	s.mu.Lock()
	if s.final == nil {
		s.final = &d
	}
	s.mu.Unlock()
	s.wake()
}

func (s *subscription) wake() {
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

// run delivers results until the subscription ends or is halted, then
// closes the caller's channel, as genqlient's own client does on complete
// and on Unsubscribe.
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
		for {
			s.mu.Lock()
			body, final := s.result, s.final
			s.result = nil
			s.mu.Unlock()
			switch {
			case body != nil:
				if bytes.Equal(body, s.delivered) {
					// Results in between were replaced before the
					// caller took them: the caller has this state.
					s.stats.duplicates.Add(1)
					continue
				}
				if !s.deliver(delivery{body: body}) {
					return
				}
				s.delivered = body
				continue
			case final != nil:
				s.deliver(*final)
				return
			}
			break
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
