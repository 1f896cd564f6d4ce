package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// checkConsistent asserts what holds of any report: the rungs served one
// workload, every failure has a reason, and the fake Clerk saw what the
// rungs' meters counted.
func checkConsistent(t *testing.T, rep *Report) {
	t.Helper()
	var backend, tooMany, jwks int64
	var mints uint64
	for _, res := range rep.Results {
		assert.Equal(t, rep.Results[0].Requests, res.Requests, "%v served another workload", res.Rung)
		var failures int64
		for _, n := range res.Failures {
			failures += n
		}
		assert.Equal(t, res.Failed, failures, "%v: failures by reason", res.Rung)
		backend += res.BackendRequests
		tooMany += res.TooManyRequests
		jwks += res.JWKSFetches
		mints += res.Mints
		assert.LessOrEqual(t, res.BackendPeak, res.BackendRequests, "%v", res.Rung)
		assert.InDelta(t, float64(res.BackendRequests)/rep.Simulated.Seconds(), res.BackendMean, 1e-9, "%v", res.Rung)
	}
	assert.Equal(t, rep.Clerk.Requests, backend+jwks, "the fake's requests")
	assert.Equal(t, rep.Clerk.JWKSRequests, jwks, "the fake's JWKS requests")
	assert.Equal(t, rep.Clerk.RateLimited, tooMany, "the fake's 429s")
	assert.Equal(t, rep.Clerk.TokensMinted, int64(mints)+rep.TemplateTokens, "template tokens minted by the fake")
}

// TestFleetSmall runs every rung on a small fleet, where rung 1 stays
// within Clerk's limit: nothing fails, rungs 2 and 3 never call the Backend
// API but to fetch the keys, and the browsers renew as clerk-js does.
func TestFleetSmall(t *testing.T) {
	cfg := Config{Replicas: 3, Sessions: 100, Duration: 100 * time.Second}
	rep, err := Run(cfg)
	require.NoError(t, err)
	t.Log(rep)
	require.Len(t, rep.Results, 3)
	checkConsistent(t, rep)

	// Each session makes a request every 2.5 to 7.5 s once it has started
	// within the first minute.
	minRequests := int64(cfg.Sessions) * int64((cfg.Duration-time.Minute)/(7500*time.Millisecond))
	maxRequests := int64(cfg.Sessions) * int64(cfg.Duration/(2500*time.Millisecond)+1)
	for _, res := range rep.Results {
		assert.Zero(t, res.Failed, "%v failed: %v", res.Rung, res.Failures)
		assert.Zero(t, res.TooManyRequests, "%v", res.Rung)
		assert.GreaterOrEqual(t, res.Requests, minRequests, "%v", res.Rung)
		assert.LessOrEqual(t, res.Requests, maxRequests, "%v", res.Rung)
		assert.LessOrEqual(t, res.JWKSFetches, int64(cfg.Replicas), "%v: one key fetch per replica", res.Rung)
		assert.Positive(t, res.JWKSFetches, "%v", res.Rung)
	}
	for _, rung := range []Rung{Forward, Local} {
		res := rep.Result(rung)
		assert.Zero(t, res.BackendRequests, "%v", rung)
		assert.Zero(t, res.BackendPeak, "%v", rung)
	}
	assert.Positive(t, rep.Result(Local).WaitMax, "rung 3 signs")

	mint := rep.Result(Mint)
	assert.Equal(t, int64(mint.Mints), mint.BackendRequests, "rung 1: one request per mint")
	assert.Zero(t, mint.HeldBack)
	// Every session reaches every replica, and a replica keeps a token
	// less than a minute: at least one mint per pair, and at most one per
	// pair for every 40 s of the run (a token is used 43 s at least).
	pairs := uint64(cfg.Sessions * cfg.Replicas)
	assert.GreaterOrEqual(t, mint.Mints, pairs)
	assert.LessOrEqual(t, mint.Mints, pairs*uint64(cfg.Duration/(40*time.Second)))

	// clerk-js renews a token after 45 to 50 s of use: every session gets
	// one at its start and then one every 45 to 50 s.
	sessions := int64(cfg.Sessions)
	assert.GreaterOrEqual(t, rep.SessionTokens, sessions*int64(1+(cfg.Duration-time.Minute)/(50*time.Second)))
	assert.LessOrEqual(t, rep.SessionTokens, sessions*int64(1+cfg.Duration/(45*time.Second)))
	assert.GreaterOrEqual(t, rep.TemplateTokens, sessions*int64(1+(cfg.Duration-time.Minute)/(55*time.Second)))
	assert.LessOrEqual(t, rep.TemplateTokens, rep.SessionTokens)
}

// TestFleetOverLimit gives rung 1 too small a budget: Clerk answers 429,
// requests without a token fail and are counted, and the other rungs do
// not notice.
func TestFleetOverLimit(t *testing.T) {
	cfg := Config{Replicas: 3, Sessions: 60, Duration: time.Minute, Ramp: 10 * time.Second, RateLimit: 20}
	rep, err := Run(cfg)
	require.NoError(t, err)
	t.Log(rep)
	checkConsistent(t, rep)
	mint := rep.Result(Mint)
	assert.Positive(t, mint.TooManyRequests)
	assert.Positive(t, mint.Failed)
	assert.Positive(t, mint.Failures["token: rate limited"], "%v", mint.Failures)
	assert.Positive(t, mint.HeldBack)
	// The sliding window admits at most RateLimit requests in any 10 s.
	assert.LessOrEqual(t, int64(mint.Mints), int64(cfg.RateLimit)*int64(cfg.Duration/(10*time.Second)))
	assert.LessOrEqual(t, mint.BackendPeak-mint.TooManyRequests, int64(cfg.RateLimit))
	for _, rung := range []Rung{Forward, Local} {
		assert.Zero(t, rep.Result(rung).Failed, "%v: %v", rung, rep.Result(rung).Failures)
	}
}

func TestConfigRefused(t *testing.T) {
	for _, cfg := range []Config{
		{Sessions: 1},
		{Replicas: 1},
		{Replicas: 1, Sessions: 1, Rungs: []Rung{Mint, Mint}},
		{Replicas: 1, Sessions: 1, Rungs: []Rung{4}},
	} {
		_, err := Run(cfg)
		assert.ErrorIs(t, err, errConfig, "%+v", cfg)
	}
}
