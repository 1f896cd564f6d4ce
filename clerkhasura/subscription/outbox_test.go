package subscription_test

import (
	"context"
	"net"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestSubscriptionPingFloodHoldsOnePong connects to a server that acks
// connection_init, then sends pings as fast as it can and reads nothing:
// the client's writer soon blocks, and however many pings it reads
// meanwhile, at most one pong waits to be written.
func TestSubscriptionPingFloodHoldsOnePong(t *testing.T) {
	testkit.CheckLeaks(t)
	ping := []byte(`{"type":"ping","payload":{"message":"keepalive"}}`)
	stop := make(chan struct{})
	var handlers sync.WaitGroup
	var first atomic.Bool
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !first.CompareAndSwap(false, true) {
			http.Error(w, "one connection only", http.StatusServiceUnavailable)
			return
		}
		handlers.Add(1)
		defer handlers.Done()
		ws, err := websocket.Accept(w, r, &websocket.AcceptOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		go func() {
			<-stop
			cancel()
		}()
		if ws.Write(ctx, websocket.MessageText, []byte(`{"type":"connection_ack"}`)) != nil {
			return
		}
		for ws.Write(ctx, websocket.MessageText, ping) == nil {
		}
	}))
	// Small socket buffers for the pongs, so that the client's writer
	// blocks after a few kilobytes the server does not read.
	srv.Config.ConnContext = func(ctx context.Context, c net.Conn) context.Context {
		if tc, ok := c.(*net.TCPConn); ok {
			tc.SetReadBuffer(4 << 10)
		}
		return ctx
	}
	srv.Start()
	t.Cleanup(srv.Close)
	t.Cleanup(handlers.Wait)

	var read atomic.Int64 // bytes the client read
	dialer := &net.Dialer{}
	hc := &http.Client{Transport: &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := dialer.DialContext(ctx, network, addr)
		if err != nil {
			return nil, err
		}
		c.(*net.TCPConn).SetWriteBuffer(4 << 10)
		return countingConn{c, &read}, nil
	}}}
	t.Cleanup(hc.CloseIdleConnections)
	c := newClient(t, srv.URL+"/v1/graphql", sources.Value(sources.Forged), &subscription.Options{HTTPClient: hc})
	t.Cleanup(func() { c.Close() })
	// First end the flood, so that the client's close frame gets through.
	t.Cleanup(func() { close(stop) })
	_, err := c.Start(context.Background())
	require.NoError(t, err)

	// The client drops a connection whose writer is blocked for 10 s: the
	// flood must be read by then.
	const flood = 10_000
	pingFrame := int64(2 + len(ping))
	start := time.Now()
	maxMessages, pongWaiting := 0, false
	for read.Load() < flood*pingFrame && time.Since(start) < 8*time.Second {
		messages, pongs := subscription.Outbox(c)
		maxMessages = max(maxMessages, messages)
		pongWaiting = pongWaiting || pongs == 1
		if maxMessages > 1 {
			break
		}
		time.Sleep(50 * time.Microsecond)
	}
	t.Logf("%d pings read in %v, at most %d messages waiting", read.Load()/pingFrame, time.Since(start), maxMessages)
	assert.LessOrEqual(t, maxMessages, 1, "pongs pile up")
	assert.True(t, pongWaiting, "no pong ever waited: the flood did not reach the client")
	assert.GreaterOrEqual(t, read.Load()/pingFrame, int64(flood), "the flood was too slow to tell")
}

// countingConn counts the bytes read from a connection.
type countingConn struct {
	net.Conn
	read *atomic.Int64
}

func (c countingConn) Read(p []byte) (int, error) {
	n, err := c.Conn.Read(p)
	c.read.Add(int64(n))
	return n, err
}
