package hasura_test

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
)

// clRequest is what the canned Hasura received.
type clRequest struct {
	Header        http.Header
	OperationName string
	Variables     map[string]any
}

// clHasura is an httptest server that answers every GraphQL request with
// the body answer returns for it, and records the requests.
type clHasura struct {
	*httptest.Server
	mu       sync.Mutex
	requests []clRequest
}

func newClHasura(t testing.TB, answer func(clRequest) string) *clHasura {
	t.Helper()
	h := &clHasura{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var req clRequest
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.Header = r.Header.Clone()
		h.mu.Lock()
		h.requests = append(h.requests, req)
		h.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer(req))
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *clHasura) endpoint() string { return h.URL + "/v1/graphql" }

func (h *clHasura) received() []clRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]clRequest(nil), h.requests...)
}

// clAnswer returns the same body for every request.
func clAnswer(body string) func(clRequest) string {
	return func(clRequest) string { return body }
}
