package fleet

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// Result is what one rung did over a run.
type Result struct {
	Rung Rung
	// Requests counts the requests the rung's replicas served, and Failed
	// those that got no Hasura token, by reason in Failures.
	Requests, Failed int64
	Failures         map[string]int64
	// BackendRequests counts the requests to the Backend API's rate
	// limited routes (token mints), TooManyRequests their 429 answers, and
	// JWKSFetches the fetches of the instance's keys, which Clerk does not
	// rate limit.
	BackendRequests, TooManyRequests, JWKSFetches int64
	// BackendMean and BackendPeak are BackendRequests per second of
	// simulated time: the mean over the run and the largest count within
	// one simulated second.
	BackendMean float64
	BackendPeak int64
	// Mints, Waits and HeldBack are the token caches' counters of rung 1:
	// tokens minted, requests that found no valid token (and waited for a
	// mint or failed), and requests failed at once while the caches held
	// back after a 429.
	Mints, Waits, HeldBack uint64
	// WaitP99 and WaitMax are the 99th percentile and the longest of the
	// real time a request spent getting its Hasura token.
	WaitP99, WaitMax time.Duration
}

// Report is what a run did.
type Report struct {
	Config  Config
	Results []Result
	// SessionTokens and TemplateTokens count the tokens the browsers got
	// from the Frontend API: not Backend API requests.
	SessionTokens, TemplateTokens int64
	// Simulated is the simulated time the run covered: Config.Duration,
	// or less when Config.StopOnFailure ended it.
	Simulated time.Duration
	// Clerk is the fake Clerk's counters at the end.
	Clerk clerkhasuratest.ClerkStats
	// Elapsed is the real time the run took.
	Elapsed time.Duration
}

// Result returns the result of rung, or nil if it was not run.
func (r *Report) Result(rung Rung) *Result {
	for i := range r.Results {
		if r.Results[i].Rung == rung {
			return &r.Results[i]
		}
	}
	return nil
}

func (r *run) report(simulated, elapsed time.Duration) *Report {
	rep := &Report{Config: r.cfg, Simulated: simulated, SessionTokens: r.sessionTokens.Load(),
		TemplateTokens: r.templateTokens.Load(), Clerk: r.clerk.Stats(), Elapsed: elapsed}
	for i, f := range r.fleets {
		res := Result{Rung: f.rung, Failures: map[string]int64{}}
		var waits []time.Duration
		for _, w := range r.workers {
			t := &w.tallies[i]
			res.Requests += t.requests
			res.Failed += t.failed
			for k, v := range t.failures {
				res.Failures[k] += v
			}
			waits = append(waits, t.waits...)
		}
		slices.Sort(waits)
		res.WaitP99, res.WaitMax = percentile(waits, 0.99), percentile(waits, 1)
		res.BackendRequests = f.meter.requests.Load()
		res.TooManyRequests = f.meter.tooMany.Load()
		res.JWKSFetches = f.meter.jwksFetches.Load()
		res.BackendMean, res.BackendPeak = f.meter.rates(simulated)
		for _, rp := range f.replicas {
			if rp.stats != nil {
				s := rp.stats()
				res.Mints += s.Mints
				res.Waits += s.Waits
				res.HeldBack += s.HeldBack
			}
		}
		rep.Results = append(rep.Results, res)
	}
	return rep
}

// String is the report as a table, one rung a line.
func (r *Report) String() string {
	var b strings.Builder
	c := r.Config
	fmt.Fprintf(&b, "R=%d S=%d, %v simulated, a request every %v on average, limit %d/10 s; browsers got %d session and %d template tokens; %v real\n",
		c.Replicas, c.Sessions, r.Simulated, c.RequestEvery, c.RateLimit, r.SessionTokens, r.TemplateTokens, r.Elapsed.Round(time.Millisecond))
	tw := tabwriter.NewWriter(&b, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "rung\trequests\tfailed\tBackend API req/s mean\tpeak\t429s\tJWKS fetches\tmints\twait p99\twait max\t")
	for _, res := range r.Results {
		fmt.Fprintf(tw, "%v\t%d\t%d\t%.1f\t%d\t%d\t%d\t%d\t%v\t%v\t\n", res.Rung, res.Requests, res.Failed,
			res.BackendMean, res.BackendPeak, res.TooManyRequests, res.JWKSFetches, res.Mints,
			res.WaitP99.Round(time.Microsecond), res.WaitMax.Round(time.Microsecond))
	}
	tw.Flush()
	for _, res := range r.Results {
		for _, k := range slices.Sorted(maps.Keys(res.Failures)) {
			fmt.Fprintf(&b, "  %v failures: %s: %d\n", res.Rung, k, res.Failures[k])
		}
	}
	return b.String()
}
