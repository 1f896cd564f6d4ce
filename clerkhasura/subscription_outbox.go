package clerkhasura

import "sync"

// outbox holds the messages a connection's writer has yet to write. It
// refuses none: a connection too slow to take them is caught by the write
// timeout, and a dead one by the keepalive watchdog. So a new connection
// can queue a subscribe for each of thousands of subscriptions at once,
// and a caller can subscribe to thousands in a burst, without the
// connection being taken for dead and replaced, which would queue them
// all again.
type outbox struct {
	mu     sync.Mutex
	queue  [][]byte
	signal chan struct{} // one pending wake-up
}

func newOutbox() *outbox {
	return &outbox{signal: make(chan struct{}, 1)}
}

func (o *outbox) put(b []byte) {
	o.mu.Lock()
	o.queue = append(o.queue, b)
	o.mu.Unlock()
	select {
	case o.signal <- struct{}{}:
	default:
	}
}

// take empties the outbox and returns what it held, oldest first.
func (o *outbox) take() [][]byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := o.queue
	o.queue = nil
	return q
}
