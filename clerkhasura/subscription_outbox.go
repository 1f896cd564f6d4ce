package clerkhasura

import "sync"

// outbox holds the messages a connection's writer has yet to write. It
// refuses none of the client's own: a connection too slow to take them
// is caught by the write timeout, and a dead one by the keepalive
// watchdog. So a new connection can queue a subscribe for each of
// thousands of subscriptions at once, and a caller can subscribe to
// thousands in a burst, without the connection being taken for dead and
// replaced, which would queue them all again. What the server makes it
// send is bounded instead: a pong answers every ping not yet answered,
// so however fast a server sends pings, and however slowly it reads, at
// most one pong waits.
type outbox struct {
	mu     sync.Mutex
	queue  [][]byte
	pong   []byte        // the pong to write, or nil
	signal chan struct{} // one pending wake-up
}

func newOutbox() *outbox {
	return &outbox{signal: make(chan struct{}, 1)}
}

func (o *outbox) put(b []byte) {
	o.mu.Lock()
	o.queue = append(o.queue, b)
	o.mu.Unlock()
	o.wake()
}

// putPong queues pong unless a pong already waits.
func (o *outbox) putPong(pong []byte) {
	o.mu.Lock()
	queued := o.pong != nil
	o.pong = pong
	o.mu.Unlock()
	if !queued {
		o.wake()
	}
}

func (o *outbox) wake() {
	select {
	case o.signal <- struct{}{}:
	default:
	}
}

// take empties the outbox and returns what it held, oldest first, the
// pong last.
func (o *outbox) take() [][]byte {
	o.mu.Lock()
	defer o.mu.Unlock()
	q := o.queue
	if o.pong != nil {
		q = append(q, o.pong)
	}
	o.queue, o.pong = nil, nil
	return q
}

// pending returns how many messages wait, and how many of them are pongs.
func (o *outbox) pending() (messages, pongs int) {
	o.mu.Lock()
	defer o.mu.Unlock()
	if o.pong != nil {
		pongs = 1
	}
	return len(o.queue) + pongs, pongs
}
