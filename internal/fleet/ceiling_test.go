package fleet

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFindCeiling searches rung 1's ceiling under a tiny rate limit: the
// runs it reports bear out its answer.
func TestFindCeiling(t *testing.T) {
	cfg := Config{Replicas: 2, Rungs: []Rung{Mint}, Duration: 30 * time.Second, Ramp: 10 * time.Second, RateLimit: 10}
	c, err := FindCeiling(cfg, 4, 200, 0.25)
	require.NoError(t, err)
	require.Positive(t, c.Served)
	t.Logf("served %d, failed %d, in %d runs", c.Served, c.Failed, len(c.Runs))
	assert.Less(t, c.Served, c.Failed)
	assert.LessOrEqual(t, float64(c.Failed), float64(c.Served)*1.25+1)
	outcome := map[int]bool{}
	for _, rep := range c.Runs {
		assert.True(t, rep.Config.StopOnFailure)
		failed := rep.Result(Mint).Failed > 0
		outcome[rep.Config.Sessions] = !failed
		if failed {
			assert.Less(t, rep.Simulated, cfg.Duration, "a failing run ends early")
		} else {
			assert.Equal(t, cfg.Duration, rep.Simulated)
		}
	}
	assert.True(t, outcome[c.Served], "a run at %d sessions served all", c.Served)
	if ok, seen := outcome[c.Failed]; seen {
		assert.False(t, ok, "a run at %d sessions failed", c.Failed)
	}

	ok, err := c.Confirm(cfg, 0.05, 2)
	require.NoError(t, err)
	assert.True(t, ok, "the ceiling holds on a run as long as the search's")

	_, err = FindCeiling(cfg, 10, 10, 0.1)
	assert.ErrorIs(t, err, errConfig)
}
