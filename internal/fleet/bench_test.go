package fleet

import (
	"flag"
	"fmt"
	"testing"
	"time"
)

// The benchmark's fleet; the flags let a reader try others.
var (
	benchReplicas = flag.Int("fleet.replicas", 10, "BenchmarkFleet: replicas")
	benchSessions = flag.Int("fleet.sessions", 10_000, "BenchmarkFleet: sessions of the ladder run")
	benchDuration = flag.Duration("fleet.duration", 10*time.Minute, "BenchmarkFleet: simulated time of the ladder run")
	benchEvery    = flag.Duration("fleet.every", 5*time.Second, "BenchmarkFleet: mean time between a session's requests")
	searchTime    = flag.Duration("fleet.search", 3*time.Minute, "BenchmarkFleet: simulated time of each run of rung 1's ceiling search")
)

// BenchmarkFleet runs the ladder on a fleet of -fleet.replicas replicas and
// -fleet.sessions sessions, then searches, on runs of -fleet.search, for the
// largest number of sessions rung 1 serves without a failed request, and
// confirms it on a run as long as the ladder's. It prints every run's table.
//
// Its cost is real signatures and verifications, all RSA-2048 but rung 3's
// Ed25519: about 40% is the fake Clerk signing the browsers' tokens (its
// Frontend API's work, two tokens a session every 50 s, about 1 ms each) and
// rung 1's mints, 40% verifying tokens (once per request and replica, tens of
// microseconds each), 13% the garbage collector and 3% rung 3's signatures.
// On a shared 2-core machine the default fleet takes over ten minutes. Run
// it alone:
//
//	go test -run '^$' -bench BenchmarkFleet -benchtime 1x -timeout 30m ./internal/fleet/
//
// and give flags after -args, such as -args -fleet.sessions=2000.
func BenchmarkFleet(b *testing.B) {
	cfg := Config{Replicas: *benchReplicas, Sessions: *benchSessions, Duration: *benchDuration, RequestEvery: *benchEvery}
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
		var c *Ceiling
		var confirmed bool
		for b.Loop() {
			search := cfg
			search.Rungs, search.Duration = []Rung{Mint}, *searchTime
			var err error
			if c, err = FindCeiling(search, 250, cfg.Sessions, 0.1); err != nil {
				b.Fatal(err)
			}
			search.Duration = cfg.Duration
			if confirmed, err = c.Confirm(search, 0.05, 4); err != nil {
				b.Fatal(err)
			}
		}
		for _, rep := range c.Runs {
			fmt.Print(rep)
		}
		fmt.Printf("rung 1 at R=%d: %d sessions served for %v without a failure (confirmed: %v), %d failed\n",
			cfg.Replicas, c.Served, cfg.Duration, confirmed, c.Failed)
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
