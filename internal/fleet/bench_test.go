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
// -fleet.sessions sessions, then searches for the largest number of
// sessions rung 1 serves without a failed request. Run it alone:
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
		b.Log("\n" + rep.String())
		for _, res := range rep.Results {
			reportResult(b, fmt.Sprintf("r%d-", res.Rung), &res)
		}
	})
	b.Run("rung1-ceiling", func(b *testing.B) {
		var c *Ceiling
		for b.Loop() {
			search := cfg
			search.Rungs, search.Duration = []Rung{Mint}, *searchTime
			var err error
			if c, err = FindCeiling(search, 250, cfg.Sessions, 0.1); err != nil {
				b.Fatal(err)
			}
		}
		for _, rep := range c.Runs {
			b.Log("\n" + rep.String())
		}
		b.Logf("rung 1 at R=%d: %d sessions served without a failure, %d failed", cfg.Replicas, c.Served, c.Failed)
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
