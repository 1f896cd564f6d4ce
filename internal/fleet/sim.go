package fleet

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"net/http"
	"net/url"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// epoch is the simulated start: a fixed instant, so that runs repeat.
var epoch = time.Date(2030, time.January, 1, 0, 0, 0, 0, time.UTC)

// requestURL is the URL of every simulated request.
var requestURL = &url.URL{Scheme: "https", Host: "api.fleet.test", Path: "/me"}

// rungFleet is the replicas of one rung and what they did.
type rungFleet struct {
	rung     Rung
	meter    *meter
	replicas []*replica
}

// worker is what one of the goroutines running a tick's events keeps from
// one request to the next: the simulated requests are made one at a time on
// it, and none is kept by a replica once served.
type worker struct {
	tallies []tally // by rung
	req     *http.Request
	out     *outcome // the outcome req's context carries
}

func newWorker(rungs int) *worker {
	w := &worker{tallies: make([]tally, rungs), out: &outcome{}}
	for i := range w.tallies {
		w.tallies[i].failures = map[string]int64{}
	}
	w.req = (&http.Request{
		Method: http.MethodGet, URL: requestURL, Host: requestURL.Host,
		Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1,
	}).WithContext(withOutcome(context.Background(), w.out))
	return w
}

// tally is one worker's count of one rung's requests.
type tally struct {
	requests, failed int64
	failures         map[string]int64
	waits            []time.Duration
}

// run is one simulation under way.
type run struct {
	cfg      Config
	clerk    *clerkhasuratest.Clerk
	fleets   []*rungFleet
	browsers []browser
	buckets  [][][]int32 // by worker, then by tick: the browsers due
	workers  []*worker

	sessionTokens, templateTokens atomic.Int64
}

// Run simulates cfg and reports what each rung did.
func Run(cfg Config) (*Report, error) {
	cfg, err := cfg.withDefaults()
	if err != nil {
		return nil, err
	}
	began := time.Now()
	var t clerkhasuratest.StandaloneTester
	defer t.Close()
	clock := clerkhasuratest.NewClock(epoch)
	fc := clerkhasuratest.NewClerk(&t, &clerkhasuratest.ClerkOptions{Clock: clock, RateLimit: cfg.RateLimit})
	key, err := localjwt.GenerateKey()
	if err != nil {
		return nil, err
	}
	e := &env{clock: clock, key: key, start: epoch, verified: 2 * cfg.Sessions}
	busy := newInflight()
	r := &run{cfg: cfg, clerk: fc}
	defer r.close()
	for _, rung := range cfg.Rungs {
		f := &rungFleet{rung: rung, meter: newMeter(fc.HTTPClient().Transport, clock.Now, epoch, cfg.Duration, busy)}
		bc := fc.BackendConfig()
		bc.HTTPClient = &http.Client{Transport: f.meter}
		r.fleets = append(r.fleets, f)
		for range cfg.Replicas {
			rep, err := newReplica[rung](e, bc)
			if err != nil {
				return nil, fmt.Errorf("building a replica of %v: %w", rung, err)
			}
			f.replicas = append(f.replicas, rep)
		}
	}
	r.setUp()
	simulated := cfg.Duration
	for k := range r.ticks() {
		clock.Set(epoch.Add(time.Duration(k) * cfg.Tick))
		var wg sync.WaitGroup
		for w := range cfg.Workers {
			wg.Go(func() { r.runTick(w, k) })
		}
		wg.Wait()
		busy.wait()
		if cfg.StopOnFailure && r.failed() {
			simulated = time.Duration(k+1) * cfg.Tick
			break
		}
	}
	clock.Set(epoch.Add(simulated))
	if err := r.settle(busy); err != nil {
		return nil, err
	}
	return r.report(simulated, time.Since(began)), nil
}

// settle waits until every Backend API request sent has its outcome counted
// by a token cache: a background refresh may still be on its way when the
// last tick ends.
func (r *run) settle(busy *inflight) error {
	deadline := time.Now().Add(30 * time.Second)
	for {
		busy.wait()
		var sent int64
		var counted uint64
		for _, f := range r.fleets {
			sent += f.meter.requests.Load()
			for _, rep := range f.replicas {
				if rep.stats != nil {
					s := rep.stats()
					counted += s.Mints + s.Failures
				}
			}
		}
		if uint64(sent) == counted {
			return nil
		}
		if time.Now().After(deadline) {
			return fmt.Errorf("clerkhasura: fleet: %d Backend API requests sent, %d counted by the caches", sent, counted)
		}
		time.Sleep(time.Millisecond)
	}
}

// failed reports whether a request has failed so far.
func (r *run) failed() bool {
	for _, w := range r.workers {
		for i := range w.tallies {
			if w.tallies[i].failed > 0 {
				return true
			}
		}
	}
	return false
}

func (r *run) ticks() int {
	return int((r.cfg.Duration + r.cfg.Tick - 1) / r.cfg.Tick)
}

// setUp creates the sessions and schedules their first requests.
func (r *run) setUp() {
	cfg := r.cfg
	r.buckets = make([][][]int32, cfg.Workers)
	r.workers = make([]*worker, cfg.Workers)
	for w := range cfg.Workers {
		r.buckets[w] = make([][]int32, r.ticks())
		r.workers[w] = newWorker(len(r.fleets))
	}
	r.browsers = make([]browser, cfg.Sessions)
	for i := range r.browsers {
		b := &r.browsers[i]
		b.id = r.clerk.CreateSession(fmt.Sprintf("user_%d", i))
		b.rng = rand.New(rand.NewPCG(cfg.Seed, uint64(i)))
		b.nextRequest = time.Duration(b.rng.Int64N(int64(cfg.Ramp)))
		b.nextPoll = never
		r.schedule(i)
	}
}

// schedule puts browser i in the bucket of its next event's tick.
func (r *run) schedule(i int) {
	if t := r.browsers[i].next(); t < r.cfg.Duration {
		w := i % r.cfg.Workers
		k := int(t / r.cfg.Tick)
		r.buckets[w][k] = append(r.buckets[w][k], int32(i))
	}
}

// runTick runs worker w's events of tick k.
func (r *run) runTick(w, k int) {
	end := time.Duration(k+1) * r.cfg.Tick
	for _, i := range r.buckets[w][k] {
		b := &r.browsers[i]
		for b.next() < end {
			if b.nextPoll <= b.nextRequest {
				r.renewSession(b, b.nextPoll)
				continue
			}
			r.request(b, w)
		}
		r.schedule(int(i))
	}
	r.buckets[w][k] = nil
}

func (r *run) needsSessionToken() bool { return r.cfg.has(Mint) || r.cfg.has(Local) }

func (r *run) renewSession(b *browser, t time.Duration) {
	b.renewedSession(r.clerk.SessionToken(b.id), t)
	r.sessionTokens.Add(1)
}

// request makes browser b's request due now on a random replica of every
// rung, with the tokens clerk-js would send.
func (r *run) request(b *browser, w int) {
	t := b.nextRequest
	if r.needsSessionToken() && b.sessionStale(t) {
		r.renewSession(b, t)
	}
	if r.cfg.has(Forward) && b.templateStale(t) {
		b.template, b.templateAt = r.clerk.TemplateToken(b.id, clerkhasuratest.DefaultTemplateName), t
		b.templateAuth = bearer(b.template)
		r.templateTokens.Add(1)
	}
	rep := b.rng.IntN(r.cfg.Replicas)
	wk := r.workers[w]
	for i, f := range r.fleets {
		auth := b.sessionAuth
		if f.rung == Forward {
			auth = b.templateAuth
		}
		wk.serve(f.replicas[rep].handler, auth, &wk.tallies[i])
	}
	b.nextRequest = t + b.interval(r.cfg.RequestEvery)
}

// serve sends one request, with the Authorization header auth, to a
// replica's handler and counts its outcome.
func (w *worker) serve(h http.Handler, auth http.Header, t *tally) {
	*w.out = outcome{}
	w.req.Header = auth
	h.ServeHTTP(discard{}, w.req)
	o := w.out
	t.requests++
	if o.timed {
		t.waits = append(t.waits, o.wait)
	}
	if !o.ok {
		t.failed++
		if o.reason == "" {
			o.reason = "no answer"
		}
		t.failures[o.reason]++
	}
}

func (r *run) close() {
	for _, f := range r.fleets {
		for _, rep := range f.replicas {
			rep.close()
		}
	}
}

// reasonOf classifies a token error without quoting anything secret: the
// module's errors never hold a token.
func reasonOf(err error) string {
	switch {
	case errors.Is(err, clerkhasura.ErrRateLimited):
		return "rate limited"
	case errors.Is(err, clerkhasura.ErrClerkUnavailable):
		return "Clerk unavailable"
	}
	return err.Error()
}

// discard is an http.ResponseWriter that keeps nothing: the outcome of a
// request is what its handler reports through outcomeOf.
type discard struct{}

func (discard) Header() http.Header         { return http.Header{} }
func (discard) Write(p []byte) (int, error) { return len(p), nil }
func (discard) WriteHeader(int)             {}

// percentile returns the p-th percentile of sorted durations.
func percentile(sorted []time.Duration, p float64) time.Duration {
	if len(sorted) == 0 {
		return 0
	}
	return sorted[min(len(sorted)-1, int(float64(len(sorted))*p))]
}
