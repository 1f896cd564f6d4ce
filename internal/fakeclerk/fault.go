package fakeclerk

import (
	"encoding/json"
	"math"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Fault is a failure the server injects instead of answering a request.
type Fault struct {
	Status      int           // 0: only delay, then answer normally
	Body        string        // "": Clerk's error JSON for Status
	ContentType string        // "": application/json for JSON bodies, sniffed otherwise
	RetryAfter  time.Duration // > 0: Retry-After header in whole seconds, rounded up
	Latency     time.Duration // delay before answering
	Path        string        // "": the routes that mint tokens; else paths containing it
}

func (f *Fault) matches(path string) bool {
	if f.Path == "" {
		return isTokenRoute(path)
	}
	return strings.Contains(path, f.Path)
}

// isTokenRoute reports whether path is a route that mints tokens,
// /v1/sessions/{id}/tokens or /v1/sessions/{id}/tokens/{template}: what a
// test that fails "the next requests" means, where the JWKS fetches and
// session reads of a verifier would otherwise take the fault.
func isTokenRoute(path string) bool {
	rest, ok := strings.CutPrefix(path, "/v1/sessions/")
	if !ok {
		return false
	}
	parts := strings.Split(rest, "/")
	switch len(parts) {
	case 2:
		return parts[0] != "" && parts[1] == "tokens"
	case 3:
		return parts[0] != "" && parts[1] == "tokens" && parts[2] != ""
	}
	return false
}

// faultQueue holds pending faults in the order they were added.
type faultQueue struct {
	mu      sync.Mutex
	pending []pendingFault
}

type pendingFault struct {
	fault Fault
	left  int
}

func (q *faultQueue) add(n int, f Fault) {
	if n <= 0 {
		return
	}
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = append(q.pending, pendingFault{fault: f, left: n})
}

func (q *faultQueue) clear() {
	q.mu.Lock()
	defer q.mu.Unlock()
	q.pending = nil
}

// take consumes one use of the first pending fault matching path.
func (q *faultQueue) take(path string) (Fault, bool) {
	q.mu.Lock()
	defer q.mu.Unlock()
	for i := range q.pending {
		p := &q.pending[i]
		if !p.fault.matches(path) {
			continue
		}
		f := p.fault
		p.left--
		if p.left == 0 {
			q.pending = append(q.pending[:i:i], q.pending[i+1:]...)
		}
		return f, true
	}
	return Fault{}, false
}

// wait sleeps for d unless the request or the server ends first. It
// reports whether the full delay passed.
func wait(r *http.Request, done <-chan struct{}, d time.Duration) bool {
	if d <= 0 {
		return true
	}
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-r.Context().Done():
		return false
	case <-done:
		return false
	}
}

// writeFault sends f's response.
func writeFault(w http.ResponseWriter, f Fault) {
	trace := newTraceID()
	h := w.Header()
	h.Set("Clerk-Trace-Id", trace)
	if f.RetryAfter > 0 {
		secs := int64(math.Ceil(f.RetryAfter.Seconds()))
		h.Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	body := []byte(f.Body)
	if f.Body == "" {
		body = errorJSON(f.Status, trace)
	}
	switch {
	case f.ContentType != "":
		h.Set("Content-Type", f.ContentType)
	case json.Valid(body):
		h.Set("Content-Type", "application/json")
	default:
		h.Set("Content-Type", http.DetectContentType(body))
	}
	w.WriteHeader(f.Status)
	_, _ = w.Write(body)
}
