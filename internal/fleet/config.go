package fleet

import (
	"errors"
	"fmt"
	"runtime"
	"time"
)

// Rung is a way for a replica to get a Hasura token for a request.
type Rung int

// The rungs of the ladder.
const (
	// Mint verifies the session token with the middleware and mints a
	// template token through the Backend API (clerkhasura.SessionTokens).
	Mint Rung = 1
	// Forward verifies the browser's template token and forwards it.
	Forward Rung = 2
	// Local verifies the session token with the middleware and signs a
	// Hasura token locally (localjwt.Signer).
	Local Rung = 3
)

// String names the rung.
func (r Rung) String() string {
	switch r {
	case Mint:
		return "rung 1 (mint)"
	case Forward:
		return "rung 2 (forward)"
	case Local:
		return "rung 3 (local)"
	}
	return fmt.Sprintf("rung %d", int(r))
}

// Config describes a simulation. Zero fields take the defaults named.
type Config struct {
	// Replicas is how many replicas serve the sessions. Required.
	Replicas int
	// Sessions is how many browsers are signed in. Required.
	Sessions int
	// Duration is the simulated time. Optional. Default 10 min.
	Duration time.Duration
	// RequestEvery is the mean time between two requests of a session;
	// each interval is uniform between half and one and a half of it.
	// Optional. Default 5 s.
	RequestEvery time.Duration
	// Ramp is the span within which the sessions start. Optional.
	// Default 1 min.
	Ramp time.Duration
	// Tick is the resolution of simulated time. Optional. Default 100 ms.
	Tick time.Duration
	// RateLimit is the fake Clerk's limit per 10 s. Optional. Default
	// 1000, Clerk's production limit.
	RateLimit int
	// Rungs are the rungs run on the one workload. Optional. Default all.
	Rungs []Rung
	// Seed makes the workload: the same seed, the same sessions, times
	// and replicas. Optional.
	Seed uint64
	// Workers is how many goroutines run a tick's events. Optional.
	// Default GOMAXPROCS.
	Workers int
	// StopOnFailure ends the run after the first tick in which a request
	// failed, as a search for the largest fleet served without one wants.
	// Optional.
	StopOnFailure bool
}

// errConfig is matched by every error for a Config Run refuses.
var errConfig = errors.New("clerkhasura: invalid fleet configuration")

func (c Config) withDefaults() (Config, error) {
	if c.Replicas <= 0 || c.Sessions <= 0 {
		return c, fmt.Errorf("%w: Replicas and Sessions must be positive", errConfig)
	}
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	def(&c.Duration, 10*time.Minute)
	def(&c.RequestEvery, 5*time.Second)
	def(&c.Ramp, time.Minute)
	def(&c.Tick, 100*time.Millisecond)
	if c.RateLimit <= 0 {
		c.RateLimit = 1000
	}
	if len(c.Rungs) == 0 {
		c.Rungs = []Rung{Mint, Forward, Local}
	}
	seen := map[Rung]bool{}
	for _, r := range c.Rungs {
		if r < Mint || r > Local || seen[r] {
			return c, fmt.Errorf("%w: unknown or repeated %v", errConfig, r)
		}
		seen[r] = true
	}
	if c.Workers <= 0 {
		c.Workers = runtime.GOMAXPROCS(0)
	}
	return c, nil
}

func (c Config) has(r Rung) bool {
	for _, x := range c.Rungs {
		if x == r {
			return true
		}
	}
	return false
}
