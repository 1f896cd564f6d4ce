package subscription_test

import (
	"context"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
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

// wsRecorder is a websocket server that records every request it gets
// and the first message of every connection: where a redirect would
// deliver connection_init, and the token in it.
type wsRecorder struct {
	*httptest.Server
	requests atomic.Int64

	mu    sync.Mutex
	inits []string
}

func newWSRecorder(t *testing.T) *wsRecorder {
	r := &wsRecorder{}
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		r.requests.Add(1)
		ws, err := websocket.Accept(w, req, &websocket.AcceptOptions{Subprotocols: []string{"graphql-transport-ws"}})
		if err != nil {
			return
		}
		defer ws.CloseNow()
		ctx, cancel := context.WithTimeout(req.Context(), 5*time.Second)
		defer cancel()
		if _, data, err := ws.Read(ctx); err == nil {
			r.mu.Lock()
			r.inits = append(r.inits, string(data))
			r.mu.Unlock()
		}
	}))
	t.Cleanup(r.Close)
	return r
}

// received returns how many requests the server got, how many
// connections sent a first message, and how many of those carried a
// bearer token.
func (r *wsRecorder) received() (requests int64, inits, bearers int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, m := range r.inits {
		if strings.Contains(m, "Bearer ey") {
			bearers++
		}
	}
	return r.requests.Load(), len(r.inits), bearers
}

// redirector answers every request with a redirect to target.
func redirector(target string, hits *atomic.Int64) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hits.Add(1)
		http.Redirect(w, r, target, http.StatusFound)
	})
}

func TestSubscriptionRefusesRedirects(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	tests := []struct {
		name string
		// tls serves the redirect over wss, to a plain ws target.
		tls bool
		// sameOrigin redirects within the endpoint's origin.
		sameOrigin bool
	}{
		{name: "to another origin"},
		{name: "from wss down to ws", tls: true},
		{name: "within the origin", sameOrigin: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			target := newWSRecorder(t)
			var hits atomic.Int64
			var srv *httptest.Server
			if tt.sameOrigin {
				mux := http.NewServeMux()
				srv = httptest.NewServer(mux)
				mux.Handle("/v1/graphql", redirector("/v1/graphql/", &hits))
				mux.Handle("/v1/graphql/", target.Config.Handler)
			} else if tt.tls {
				srv = httptest.NewTLSServer(redirector(target.URL+"/v1/graphql", &hits))
			} else {
				srv = httptest.NewServer(redirector(target.URL+"/v1/graphql", &hits))
			}
			t.Cleanup(srv.Close)
			endpoint := "ws" + strings.TrimPrefix(srv.URL, "http") + "/v1/graphql"

			// The caller's client would follow any redirect, and must be
			// neither consulted nor changed.
			hc := srv.Client()
			var consulted atomic.Int64
			checkRedirect := func(*http.Request, []*http.Request) error {
				consulted.Add(1)
				return nil
			}
			hc.CheckRedirect = checkRedirect
			src := &sources.Counting{Src: f.source()}
			c := newClient(t, endpoint, src, &subscription.Options{HTTPClient: hc})
			defer c.Close()
			ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
			defer cancel()
			_, err := c.Start(ctx)

			requests, inits, bearers := target.received()
			assert.Zero(t, requests, "the redirect was followed: %d connection_init, %d with the token", inits, bearers)
			require.ErrorIs(t, err, subscription.ErrWebsocketRedirect)
			var re *subscription.WebsocketRedirectError
			require.ErrorAs(t, err, &re)
			assert.Equal(t, http.StatusFound, re.StatusCode)
			wantLocation := target.URL + "/v1/graphql"
			if tt.sameOrigin {
				wantLocation = srv.URL + "/v1/graphql/"
			}
			assert.Equal(t, wantLocation, re.Location)
			assert.Contains(t, err.Error(), wantLocation, "the error says where the redirect led")
			for _, tok := range src.HandedOut() {
				assert.NotContains(t, err.Error(), tok)
			}
			assert.EqualValues(t, 1, hits.Load(), "Start tried once: a redirect is no reason to try Apollo's protocol")
			assert.Zero(t, consulted.Load(), "the caller's CheckRedirect was consulted")
			require.NotNil(t, hc.CheckRedirect, "the caller's client was changed")
			require.NoError(t, hc.CheckRedirect(nil, nil))
			assert.EqualValues(t, 1, consulted.Load(), "the caller's CheckRedirect was replaced")
		})
	}
}

// TestSubscriptionRedirectWhileReconnecting puts a front server before
// the fake Hasura that starts to redirect elsewhere while a connection is
// lost: the client follows none of its redirects, retries at MaxBackoff's
// pace on its clock rather than quickly, logs an error, and carries on
// once the front server serves Hasura again.
func TestSubscriptionRedirectWhileReconnecting(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	target := newWSRecorder(t)
	hasura, err := url.Parse(f.hasura.URL())
	require.NoError(t, err)
	proxy := httputil.NewSingleHostReverseProxy(hasura)
	var redirecting atomic.Bool
	var mu sync.Mutex
	var redirects []time.Time
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !redirecting.Load() {
			proxy.ServeHTTP(w, r)
			return
		}
		mu.Lock()
		redirects = append(redirects, f.clock.Now())
		mu.Unlock()
		http.Redirect(w, r, target.URL+"/v1/graphql", http.StatusTemporaryRedirect)
	}))
	t.Cleanup(front.Close)
	// The proxied websockets end when the fake Hasura drops them.
	t.Cleanup(f.hasura.DropWebsockets)

	var logs testkit.LogBuffer
	const maxBackoff = 200 * time.Millisecond
	c := newClient(t, front.URL+"/v1/graphql", f.source(), &subscription.Options{
		MinBackoff:      5 * time.Millisecond,
		MaxBackoff:      maxBackoff,
		ReconnectJitter: 5 * time.Millisecond,
		Logger:          slog.New(slog.NewTextHandler(&logs, nil)),
		Clock:           f.clock,
	})
	t.Cleanup(func() { c.Close() })
	_, err = c.Start(context.Background())
	require.NoError(t, err)
	ch, _ := f.watch(c)
	expectName(t, ch, "v0")

	redirecting.Store(true)
	f.cut(f.hasura.DropWebsockets)
	f.advanceUntil(10*time.Millisecond, func() bool {
		mu.Lock()
		defer mu.Unlock()
		return len(redirects) >= 4
	})
	redirecting.Store(false)

	requests, inits, bearers := target.received()
	assert.Zero(t, requests, "a redirect was followed: %d connection_init, %d with the token", inits, bearers)
	mu.Lock()
	for i := 1; i < len(redirects); i++ {
		// Each wait is drawn from MaxBackoff's upper half, on the clock.
		assert.GreaterOrEqual(t, redirects[i].Sub(redirects[i-1]), maxBackoff/2, "attempt %d came too soon", i+1)
	}
	mu.Unlock()
	assert.Contains(t, logs.String(), "level=ERROR")
	assert.Contains(t, logs.String(), "redirected")

	f.advanceUntil(10*time.Millisecond, func() bool { return c.Stats().Reconnects == 1 })
	f.setName("v1")
	expectName(t, ch, "v1")
	assert.EqualValues(t, 1, c.Stats().Reconnects)
	assert.GreaterOrEqual(t, c.Stats().ConnectFailures, uint64(4))
}
