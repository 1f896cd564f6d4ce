package fleet

import (
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// inflight counts the Backend API requests under way, so that a tick ends
// only once those begun within it have been answered.
type inflight struct {
	mu   sync.Mutex
	cond *sync.Cond
	n    int
}

func newInflight() *inflight {
	f := &inflight{}
	f.cond = sync.NewCond(&f.mu)
	return f
}

func (f *inflight) add(d int) {
	f.mu.Lock()
	f.n += d
	if f.n == 0 {
		f.cond.Broadcast()
	}
	f.mu.Unlock()
}

// wait returns once no request is under way.
func (f *inflight) wait() {
	f.mu.Lock()
	for f.n > 0 {
		f.cond.Wait()
	}
	f.mu.Unlock()
}

// meter is the http.RoundTripper through which one rung's replicas reach
// the fake Clerk: it counts the rung's Backend API requests by simulated
// second, its 429s, and apart its JWKS fetches, which Clerk does not rate
// limit.
type meter struct {
	base  http.RoundTripper
	now   func() time.Time
	start time.Time
	busy  *inflight

	perSecond                      []atomic.Int64
	requests, tooMany, jwksFetches atomic.Int64
}

func newMeter(base http.RoundTripper, now func() time.Time, start time.Time, d time.Duration, busy *inflight) *meter {
	return &meter{base: base, now: now, start: start, busy: busy,
		perSecond: make([]atomic.Int64, int(d/time.Second)+2)}
}

func (m *meter) RoundTrip(r *http.Request) (*http.Response, error) {
	m.busy.add(1)
	defer m.busy.add(-1)
	if r.Method == http.MethodGet && strings.HasSuffix(r.URL.Path, "/jwks") {
		m.jwksFetches.Add(1)
		return m.base.RoundTrip(r)
	}
	m.requests.Add(1)
	sec := int(m.now().Sub(m.start) / time.Second)
	m.perSecond[min(max(sec, 0), len(m.perSecond)-1)].Add(1)
	resp, err := m.base.RoundTrip(r)
	if err == nil && resp.StatusCode == http.StatusTooManyRequests {
		m.tooMany.Add(1)
	}
	return resp, err
}

// rates returns the mean and the peak of the requests per simulated second
// over d.
func (m *meter) rates(d time.Duration) (mean float64, peak int64) {
	for i := range m.perSecond {
		peak = max(peak, m.perSecond[i].Load())
	}
	return float64(m.requests.Load()) / d.Seconds(), peak
}
