package subscription_test

import (
	"context"
	"encoding/binary"
	"fmt"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/coder/websocket"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// coderDialer adapts coder/websocket to genqlient's gorilla-shaped Dialer,
// so that genqlient's own websocket client can run against the fake.
type coderDialer struct{}

func (coderDialer) DialContext(ctx context.Context, url string, h http.Header) (graphql.WSConn, error) {
	h = h.Clone()
	protos := h.Values("Sec-WebSocket-Protocol")
	h.Del("Sec-WebSocket-Protocol")
	ws, _, err := websocket.Dial(ctx, url, &websocket.DialOptions{HTTPHeader: h, Subprotocols: protos})
	if err != nil {
		return nil, err
	}
	ws.SetReadLimit(-1)
	return coderConn{ws}, nil
}

type coderConn struct{ ws *websocket.Conn }

func (c coderConn) ReadMessage() (int, []byte, error) {
	typ, b, err := c.ws.Read(context.Background())
	return int(typ), b, err
}

func (c coderConn) WriteMessage(typ int, b []byte) error {
	if typ == 8 { // gorilla's CloseMessage: code and reason
		code := websocket.StatusNormalClosure
		if len(b) >= 2 {
			code = websocket.StatusCode(binary.BigEndian.Uint16(b))
		}
		return c.ws.Close(code, string(b[min(2, len(b)):]))
	}
	return c.ws.Write(context.Background(), websocket.MessageType(typ), b)
}

func (c coderConn) Close() error { return c.ws.CloseNow() }

// genqlientClient starts genqlient's client with one static token.
func genqlientClient(tb testing.TB, f *subFixture) (graphql.WebSocketClient, chan error) {
	tb.Helper()
	tok := f.clerk.TemplateToken(f.sid, "hasura")
	c := graphql.NewClientUsingWebSocket(f.endpoint(), coderDialer{},
		graphql.WithConnectionParams(map[string]any{"headers": map[string]string{"Authorization": "Bearer " + tok}}))
	errs, err := c.Start(context.Background())
	if err != nil {
		tb.Fatal(err)
	}
	return c, errs
}

// BenchmarkSubscriptionEvents measures change-to-event round trips
// through one connection: each op changes the row and waits until every
// subscription received the new state.
func BenchmarkSubscriptionEvents(b *testing.B) {
	for _, subs := range []int{1, 50} {
		b.Run(fmt.Sprintf("clerkhasura/subs=%d", subs), func(b *testing.B) {
			f := newSubFixture(b, subFixtureOptions{realTime: true})
			c := newClient(b, f.endpoint(), f.source(), nil)
			defer c.Close()
			if _, err := c.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			runEvents(b, f, c, subs, nil)
		})
		b.Run(fmt.Sprintf("genqlient/subs=%d", subs), func(b *testing.B) {
			f := newSubFixture(b, subFixtureOptions{realTime: true})
			c, errs := genqlientClient(b, f)
			defer func() {
				go func() {
					for range errs {
					}
				}()
				c.Close()
			}()
			runEvents(b, f, c, subs, errs)
		})
	}
	b.Run("genqlient/with-keepalive", func(b *testing.B) {
		genqlientStops(b, subFixtureOptions{keepAlive: 5 * time.Second, realTime: true},
			"genqlient's client cannot run past the first keepalive", "genqlient's client survived a keepalive")
	})
	b.Run("genqlient/at-token-expiry", func(b *testing.B) {
		genqlientStops(b, subFixtureOptions{lifetime: 2 * time.Second, realTime: true},
			"genqlient's client stops for good when its token expires", "genqlient's client outlived its token")
	})
}

// genqlientStops records, as a skipped benchmark with the reason, that
// genqlient's own websocket client dies on the fake set up by opts; it
// fails the benchmark if the client survives 10 s.
func genqlientStops(b *testing.B, opts subFixtureOptions, stopped, survived string) {
	f := newSubFixture(b, opts)
	c, errs := genqlientClient(b, f)
	ch, _, err := hgql.WatchUser(context.Background(), c, f.user)
	if err != nil {
		b.Fatal(err)
	}
	go func() {
		for range ch {
		}
	}()
	select {
	case err := <-errs:
		b.Skipf("%s: %v", stopped, err)
	case <-time.After(10 * time.Second):
		b.Fatal(survived)
	}
}

// runEvents reads every subscription in a goroutine of its own, since
// genqlient's client stops delivering to all while one channel is unread.
func runEvents(b *testing.B, f *subFixture, c graphql.WebSocketClient, subs int, errs chan error) {
	got := make(chan string, 2*subs)
	for range subs {
		ch, _, err := hgql.WatchUser(context.Background(), c, f.user)
		if err != nil {
			b.Fatal(err)
		}
		go func() {
			for resp := range ch {
				if len(resp.Errors) > 0 || resp.Data == nil || resp.Data.UsersByPk == nil {
					got <- fmt.Sprint("error: ", resp.Errors)
					continue
				}
				got <- *resp.Data.UsersByPk.Name
			}
		}()
	}
	await := func(want string) {
		for n := 0; n < subs; {
			select {
			case name := <-got:
				if name == want {
					n++
				} else if len(name) > 6 && name[:6] == "error:" {
					b.Fatal(name)
				}
			case err := <-errs:
				b.Fatal(err)
			case <-time.After(10 * time.Second):
				b.Fatalf("no event %q", want)
			}
		}
	}
	await("v0")
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		name := "b" + itoa(i)
		f.setName(name)
		await(name)
	}
	b.StopTimer()
	b.ReportMetric(float64(subs*b.N)/b.Elapsed().Seconds(), "events/s")
}

// gapMeter records the longest interval between consecutive events.
type gapMeter struct {
	mu     sync.Mutex
	last   time.Time
	maxGap time.Duration
}

func (g *gapMeter) event() {
	g.mu.Lock()
	defer g.mu.Unlock()
	now := time.Now()
	if !g.last.IsZero() {
		g.maxGap = max(g.maxGap, now.Sub(g.last))
	}
	g.last = now
}

func (g *gapMeter) reset() time.Duration {
	g.mu.Lock()
	defer g.mu.Unlock()
	m := g.maxGap
	g.maxGap, g.last = 0, time.Time{}
	return m
}

// BenchmarkSubscriptionGap measures the longest silence a subscriber sees
// while the row changes every 2 ms: over one switch-over to a fresh token
// (3 s tokens), over one lost connection, and, for reference, over 1.5 s
// without either. Clerk takes 100 ms to mint a token, as over a network.
func BenchmarkSubscriptionGap(b *testing.B) {
	cases := []struct {
		name string
		step func(f *subFixture, c *subscription.Client)
	}{
		{"steady", func(*subFixture, *subscription.Client) { time.Sleep(1500 * time.Millisecond) }},
		{"switch-over-at-expiry", func(_ *subFixture, c *subscription.Client) {
			for r := c.Stats().Rotations; c.Stats().Rotations == r; {
				time.Sleep(10 * time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond)
		}},
		{"reconnect-after-loss", func(f *subFixture, c *subscription.Client) {
			// A connection lost within a second of opening backs off first;
			// this one served long enough to be replaced at once.
			time.Sleep(1100 * time.Millisecond)
			n := c.Stats().Reconnects
			f.hasura.DropWebsockets()
			for c.Stats().Reconnects == n {
				time.Sleep(time.Millisecond)
			}
			time.Sleep(100 * time.Millisecond)
		}},
	}
	for _, tc := range cases {
		b.Run(tc.name, func(b *testing.B) {
			f := newSubFixture(b, subFixtureOptions{lifetime: 3 * time.Second, realTime: true})
			f.clerk.FailNext(1<<20, clerkhasuratest.Fault{Latency: 100 * time.Millisecond, Path: "/tokens/"})
			c := newClient(b, f.endpoint(), f.source(), nil)
			defer c.Close()
			if _, err := c.Start(context.Background()); err != nil {
				b.Fatal(err)
			}
			ch, _, err := hgql.WatchUser(context.Background(), c, f.user)
			if err != nil {
				b.Fatal(err)
			}
			var g gapMeter
			go func() {
				for range ch {
					g.event()
				}
			}()
			stop := make(chan struct{})
			var wg sync.WaitGroup
			wg.Go(func() {
				t := time.NewTicker(2 * time.Millisecond)
				defer t.Stop()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					case <-t.C:
						f.setName("g" + itoa(i))
					}
				}
			})
			defer func() {
				close(stop)
				wg.Wait()
			}()
			time.Sleep(50 * time.Millisecond)
			g.reset()
			var total time.Duration
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				tc.step(f, c)
				total += g.reset()
			}
			b.StopTimer()
			b.ReportMetric(float64(total.Microseconds())/float64(b.N)/1000, "max-gap-ms")
		})
	}
}
