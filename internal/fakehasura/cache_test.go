package fakehasura

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestProjectStatesAreCachedAndBounded: engines serving one project share
// its schemas; the cache keeps the last projects only.
func TestProjectStatesAreCachedAndBounded(t *testing.T) {
	p := shop(t)
	_, s1, err := stateOf(p)
	require.NoError(t, err)
	_, s2, err := stateOf(p)
	require.NoError(t, err)
	assert.Same(t, s1, s2)
	for i := 0; i < cachedProjects; i++ {
		clone := *p
		_, _, err := stateOf(&clone)
		require.NoError(t, err)
	}
	projects.mu.Lock()
	n, kept := len(projects.state), projects.state[p] != nil
	projects.mu.Unlock()
	assert.Equal(t, cachedProjects, n)
	assert.False(t, kept, "the least recent project went")
	_, s3, err := stateOf(p)
	require.NoError(t, err)
	assert.NotSame(t, s1, s3)
}
