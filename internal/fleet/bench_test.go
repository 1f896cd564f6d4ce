package fleet

import (
	"flag"
	"fmt"
	"runtime/debug"
	"testing"
	"time"
)

// The benchmark's fleet; the flags let a reader try others.
var (
	benchReplicas = flag.Int("fleet.replicas", 10, "BenchmarkFleet: replicas")
	benchSessions = flag.Int("fleet.sessions", 10_000, "BenchmarkFleet: sessions of the ladder run")
	benchDuration = flag.Duration("fleet.duration", 10*time.Minute, "BenchmarkFleet: simulated time of the ladder run")
	benchEvery    = flag.Duration("fleet.every", 5*time.Second, "BenchmarkFleet: mean time between a session's requests")
	searchTime    = flag.Duration("fleet.search", 2*time.Minute, "BenchmarkFleet: simulated time of each run of rung 1's ceiling search")
	searchPrec    = flag.Float64("fleet.precision", 0.15, "BenchmarkFleet: relative precision of rung 1's ceiling search")
)

// ceilingSearch is rung 1's ceiling search under way beside the ladder.
type ceilingSearch struct {
	done      chan struct{}
	c         *Ceiling
	confirmed bool
	err       error
}

// searchCeiling searches, on runs of -fleet.search, for the largest number
// of sessions cfg's rung 1 serves without a failed request, within
// -fleet.precision, and confirms it on a run as long as cfg's.
func searchCeiling(cfg Config) *ceilingSearch {
	s := &ceilingSearch{done: make(chan struct{})}
	go func() {
		defer close(s.done)
		search := cfg
		search.Rungs, search.Duration = []Rung{Mint}, *searchTime
		if s.c, s.err = FindCeiling(search, 250, cfg.Sessions, *searchPrec); s.err != nil {
			return
		}
		search.Duration = cfg.Duration
		s.confirmed, s.err = s.c.Confirm(search, 0.05, 4)
	}()
	return s
}

// BenchmarkFleet runs the ladder on a fleet of -fleet.replicas replicas and
// -fleet.sessions sessions and, at the same time, searches for rung 1's
// ceiling (searchCeiling). It prints every run's table.
//
// Its cost is the real signatures and verifications and the decoding of
// tokens around them. Of about 1,000 CPU seconds for the default fleet,
// measured with -cpuprofile: 36% is the fake Clerk signing with RSA-2048
// (the browsers' session and template tokens, two a session every 45 to
// 50 s, which are its Frontend API's work, and rung 1's mints, about 100 a
// simulated second), 29% the middleware verifying tokens (once per token
// and replica, the verified-token cache answering the rest: a tenth is the
// RSA verification, the rest decoding the token three times, by
// jwtclaims.Peek, clerk-sdk-go's jwt.Verify and, for rung 2,
// forward.NewSource), 14% the handler's hasura.Client.UserID (decoding the
// Hasura token on every request, and rung 3's Ed25519 signatures), 6% the
// garbage collector. So that it finishes within minutes on 2 cores:
//   - the ceiling search runs beside the ladder, each on the cores the other
//     leaves idle (between ticks, and while a mint crosses the loopback);
//   - its runs last 2 minutes (the ramp and a renewal of every token after
//     it) and stop at the first failure, its bisection stops within 15%,
//     and only its answer is confirmed on a run as long as the ladder's;
//   - the garbage collector runs at GOGC=400: the replicas' caches of
//     verified tokens hold gigabytes, which GOGC=100 would scan every time
//     as much has been allocated. No simulated cost depends on it.
//
// It takes about 9 minutes on a shared 2-core machine. Run it alone:
//
//	go test -run '^$' -bench BenchmarkFleet -benchtime 1x -timeout 30m ./internal/fleet/
//
// and give flags after -args, such as -args -fleet.sessions=2000.
func BenchmarkFleet(b *testing.B) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	cfg := Config{Replicas: *benchReplicas, Sessions: *benchSessions, Duration: *benchDuration, RequestEvery: *benchEvery}
	search := searchCeiling(cfg)
	defer func() { <-search.done }()
	b.Run("ladder", func(b *testing.B) {
		var rep *Report
		for b.Loop() {
			var err error
			if rep, err = Run(cfg); err != nil {
				b.Fatal(err)
			}
		}
		fmt.Print(rep)
		for _, res := range rep.Results {
			reportResult(b, fmt.Sprintf("r%d-", res.Rung), &res)
		}
	})
	b.Run("rung1-ceiling", func(b *testing.B) {
		for b.Loop() {
			<-search.done
		}
		if search.err != nil {
			b.Fatal(search.err)
		}
		c := search.c
		for _, rep := range c.Runs {
			fmt.Print(rep)
		}
		fmt.Printf("rung 1 at R=%d: %d sessions served for %v without a failure (confirmed: %v), %d failed\n",
			cfg.Replicas, c.Served, cfg.Duration, search.confirmed, c.Failed)
		b.ReportMetric(float64(c.Served), "r1-max-sessions")
		b.ReportMetric(float64(c.Failed), "r1-failing-sessions")
	})
}

func reportResult(b *testing.B, prefix string, res *Result) {
	b.ReportMetric(res.BackendMean, prefix+"api-req/s")
	b.ReportMetric(float64(res.BackendPeak), prefix+"api-peak-req/s")
	b.ReportMetric(float64(res.TooManyRequests), prefix+"429s")
	b.ReportMetric(float64(res.Failed), prefix+"failed")
	b.ReportMetric(float64(res.Requests), prefix+"requests")
	b.ReportMetric(float64(res.WaitP99.Microseconds()), prefix+"wait-p99-us")
	b.ReportMetric(float64(res.WaitMax.Microseconds()), prefix+"wait-max-us")
}
