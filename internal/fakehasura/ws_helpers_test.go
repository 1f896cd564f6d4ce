package fakehasura

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/coder/websocket"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/clock"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// counterBackend is a [WSBackend] over one counter, to test the transport
// alone. A token "ok" never expires; "exp:<unix ms>" expires then; any
// other token is refused with Hasura's invalid-jwt error. The operation
// "subscription { counter }" (or a query) reads the counter; any other
// fails validation.
type counterBackend struct {
	mu      sync.Mutex
	counter int
	changes notifier
}

func (b *counterBackend) Authenticate(h http.Header) (WSSession, *Error) {
	auth := h.Get("Authorization")
	tok, ok := strings.CutPrefix(auth, "Bearer ")
	switch {
	case auth == "":
		return WSSession{}, newError(CodeInvalidHeaders, "$", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode")
	case !ok:
		return WSSession{}, newError(CodeInvalidHeaders, "$", "Malformed Authorization header")
	case tok == "ok":
		return WSSession{Session: "user"}, nil
	}
	if ms, found := strings.CutPrefix(tok, "exp:"); found {
		n, err := strconv.ParseInt(ms, 10, 64)
		if err == nil {
			return WSSession{Expiry: time.UnixMilli(n), Session: "user"}, nil
		}
	}
	return WSSession{}, newError(CodeInvalidJWT, "$", "Could not verify JWT: JWSError JWSInvalidSignature")
}

func (b *counterBackend) Execute(_ context.Context, _ WSSession, req Request) []byte {
	q := strings.Join(strings.Fields(req.Query), " ")
	if q != "subscription { counter }" && q != "query { counter }" {
		return newError(CodeValidationFailed, "$.selectionSet.nope", "field 'nope' not found in type: 'subscription_root'").Body()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	return []byte(`{"data":{"counter":` + strconv.Itoa(b.counter) + `}}`)
}

func (b *counterBackend) Changes() (<-chan struct{}, func()) { return b.changes.subscribe() }

func (b *counterBackend) set(n int) {
	b.mu.Lock()
	b.counter = n
	b.mu.Unlock()
	b.changes.notify()
}

// touch signals a change that leaves the result as it was.
func (b *counterBackend) touch() { b.changes.notify() }

type wsFixture struct {
	t       *testing.T
	backend *counterBackend
	ws      *WSServer
	http    *httptest.Server
}

func newWSFixture(t *testing.T, opts *WSOptions) *wsFixture {
	t.Helper()
	if opts == nil {
		opts = &WSOptions{KeepAlive: -1}
	}
	f := &wsFixture{t: t, backend: &counterBackend{}}
	f.ws = NewWSServer(f.backend, opts)
	f.http = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/v1/graphql" || !IsWebSocketUpgrade(r) {
			http.NotFound(w, r)
			return
		}
		f.ws.ServeHTTP(w, r)
	}))
	t.Cleanup(func() {
		f.ws.Close()
		f.http.Close()
	})
	return f
}

// lateClock is a clock on which an hour passes between two readings, so
// that every connection is accepted an hour after its upgrade request.
type lateClock struct {
	clock.System
	reads atomic.Int64
}

func (c *lateClock) Now() time.Time {
	return time.Now().Add(time.Duration(c.reads.Add(1)) * time.Hour)
}

// testClient is a raw websocket client that reads frames one by one.
type testClient struct {
	t  *testing.T
	ws *websocket.Conn
}

func (f *wsFixture) dial(subprotocols ...string) *testClient {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	ws, _, err := websocket.Dial(ctx, f.http.URL+"/v1/graphql", &websocket.DialOptions{Subprotocols: subprotocols})
	require.NoError(f.t, err)
	f.t.Cleanup(func() { ws.CloseNow() })
	return &testClient{t: f.t, ws: ws}
}

// dialHeader opens a websocket whose upgrade request carries the
// Sec-WebSocket-Protocol header values protocols, one header each, and
// returns it with the subprotocol the server named in its answer.
// coder/websocket refuses an answer naming a subprotocol it did not
// offer; the answer's name is hidden from it, as from clients that do not
// check.
func (f *wsFixture) dialHeader(protocols ...string) (*testClient, string) {
	f.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	var rt answerRecorder
	ws, _, err := websocket.Dial(ctx, f.http.URL+"/v1/graphql", &websocket.DialOptions{
		HTTPClient: &http.Client{Transport: &rt},
		HTTPHeader: http.Header{"Sec-Websocket-Protocol": protocols},
	})
	require.NoError(f.t, err)
	f.t.Cleanup(func() { ws.CloseNow() })
	return &testClient{t: f.t, ws: ws}, rt.named
}

// answerRecorder is an http.RoundTripper that keeps the subprotocol a
// handshake's answer names and removes it from the answer.
type answerRecorder struct{ named string }

func (a *answerRecorder) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := http.DefaultTransport.RoundTrip(r)
	if err == nil {
		a.named = resp.Header.Get("Sec-WebSocket-Protocol")
		resp.Header.Del("Sec-WebSocket-Protocol")
	}
	return resp, err
}

func (c *testClient) send(m wsproto.Message) {
	c.t.Helper()
	c.sendRaw(wsproto.Encode(m))
}

func (c *testClient) sendRaw(b []byte) {
	c.t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	require.NoError(c.t, c.ws.Write(ctx, websocket.MessageText, b))
}

// next reads the next message, or returns the error that ended the
// connection.
func (c *testClient) next() (wsproto.Message, error) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	_, data, err := c.ws.Read(ctx)
	if err != nil {
		return wsproto.Message{}, err
	}
	m, err := wsproto.Decode(data)
	require.NoError(c.t, err)
	return m, nil
}

func (c *testClient) expect(typ string) wsproto.Message {
	c.t.Helper()
	m, err := c.next()
	require.NoError(c.t, err)
	require.Equal(c.t, typ, m.Type, "payload %s", m.Payload)
	return m
}

// expectClose reads until the connection ends and returns its close error.
func (c *testClient) expectClose() websocket.CloseError {
	c.t.Helper()
	for {
		m, err := c.next()
		if err != nil {
			var ce websocket.CloseError
			if !errors.As(err, &ce) {
				return websocket.CloseError{Code: -1, Reason: err.Error()}
			}
			return ce
		}
		c.t.Logf("message before close: %s %s", m.Type, m.Payload)
	}
}

func (c *testClient) init(token string) {
	c.t.Helper()
	c.send(wsproto.Message{Type: wsproto.TypeConnectionInit,
		Payload: wsproto.InitPayload(map[string]string{"Authorization": "Bearer " + token})})
}

func subscribePayload(query string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"query": query, "variables": map[string]any{}})
	return b
}
