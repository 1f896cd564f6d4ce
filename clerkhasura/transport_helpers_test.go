package clerkhasura_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// Hasura's answers to a rejected token, in both key orders its versions use.
const (
	trExpiredBody    = `{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"Could not verify JWT: JWTExpired"}]}`
	trExpiredBodyNew = `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`
	trDataBody       = `{"data":{"users":[{"id":"user_1","name":"Ada"}]}}`
)

// trSeen is one request as the fake Hasura received it.
type trSeen struct {
	Authorization string
	Role          string
	Body          string
	Path          string
}

// trHasura stands in for Hasura's /v1/graphql: it accepts the tokens for
// which accept returns true and answers the others with reject.
type trHasura struct {
	*httptest.Server
	accept func(token string) bool
	reject func(w http.ResponseWriter)

	mu   sync.Mutex
	seen []trSeen
}

func newTrHasura(t *testing.T, accept func(token string) bool, reject func(w http.ResponseWriter)) *trHasura {
	t.Helper()
	h := &trHasura{accept: accept, reject: reject}
	h.Server = httptest.NewServer(http.HandlerFunc(h.serve))
	t.Cleanup(h.Close)
	return h
}

func (h *trHasura) serve(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	auth := r.Header.Get("Authorization")
	h.mu.Lock()
	h.seen = append(h.seen, trSeen{Authorization: auth, Role: r.Header.Get("X-Hasura-Role"), Body: string(body), Path: r.URL.Path})
	h.mu.Unlock()
	const prefix = "Bearer "
	if len(auth) <= len(prefix) || auth[:len(prefix)] != prefix || !h.accept(auth[len(prefix):]) {
		h.reject(w)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	_, _ = io.WriteString(w, trDataBody)
}

func (h *trHasura) requests() []trSeen {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]trSeen(nil), h.seen...)
}

func (h *trHasura) endpoint() string { return h.URL + "/v1/graphql" }

// trRejectWith answers with status and body as Hasura does.
func trRejectWith(status int, body string) func(w http.ResponseWriter) {
	return func(w http.ResponseWriter) {
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}
}

func trOnly(tokens ...string) func(string) bool {
	return func(tok string) bool {
		for _, ok := range tokens {
			if tok == ok {
				return true
			}
		}
		return false
	}
}

// trBody is a request body that records Close, and hides any WriterTo or
// Len method so that http.NewRequest sets no GetBody.
type trBody struct {
	r      io.Reader
	mu     sync.Mutex
	closed bool
}

func newTrBody(s string) *trBody { return &trBody{r: trReader(s)} }

func (b *trBody) Read(p []byte) (int, error) { return b.r.Read(p) }

func (b *trBody) Close() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.closed = true
	return nil
}

func (b *trBody) isClosed() bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.closed
}

// trRoundTripper answers every request itself and records them.
type trRoundTripper struct {
	mu   sync.Mutex
	reqs []*http.Request
}

func (rt *trRoundTripper) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		req.Body.Close()
	}
	rt.mu.Lock()
	rt.reqs = append(rt.reqs, req)
	rt.mu.Unlock()
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json"}},
		Body:          io.NopCloser(trReader(trDataBody)),
		ContentLength: int64(len(trDataBody)),
		Request:       req,
	}, nil
}

func (rt *trRoundTripper) requests() []*http.Request {
	rt.mu.Lock()
	defer rt.mu.Unlock()
	return append([]*http.Request(nil), rt.reqs...)
}

func trReader(s string) io.Reader { return &trOnlyReader{s: s} }

// trOnlyReader is an io.Reader and nothing else.
type trOnlyReader struct{ s string }

func (r *trOnlyReader) Read(p []byte) (int, error) {
	if r.s == "" {
		return 0, io.EOF
	}
	n := copy(p, r.s)
	r.s = r.s[n:]
	return n, nil
}

// trHangGuard bounds tests that would otherwise hang on a regression.
const trHangGuard = 10 * time.Second

var errTrRead = errors.New("read failed")

// trErrReader fails every read.
type trErrReader struct{}

func (trErrReader) Read([]byte) (int, error) { return 0, errTrRead }

// newTransport is clerkhasura.NewTransport, failing t on error.
func newTransport(t testing.TB, endpoint string, src clerkhasura.TokenSource, opts *clerkhasura.TransportOptions) *clerkhasura.Transport {
	t.Helper()
	tr, err := clerkhasura.NewTransport(endpoint, src, opts)
	if err != nil {
		t.Fatalf("NewTransport: %v", err)
	}
	return tr
}
