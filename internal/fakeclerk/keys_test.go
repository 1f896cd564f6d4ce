package fakeclerk

import (
	"crypto/rsa"
	"encoding/json"
	"errors"
	"regexp"
	"testing"

	"github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestKeyRing(t *testing.T) {
	var r keyRing
	k1, err := r.rotate()
	require.NoError(t, err)
	k2, err := r.rotate()
	require.NoError(t, err)
	assert.Equal(t, []string{k2, k1}, r.kids())
	assert.Equal(t, k2, r.active().kid)

	var set jose.JSONWebKeySet
	require.NoError(t, json.Unmarshal(r.jwks, &set))
	require.Len(t, set.Keys, 2)
	assert.Equal(t, k2, set.Keys[0].KeyID)
	for _, k := range set.Keys {
		assert.True(t, k.IsPublic(), "only public keys are published")
		assert.Equal(t, "RS256", k.Algorithm)
		assert.Equal(t, "sig", k.Use)
	}
	assert.NotContains(t, string(r.jwks), `"d":`, "no private exponent")

	assert.True(t, errors.Is(r.drop(k2), ErrActiveKey))
	assert.True(t, errors.Is(r.drop("ins_nope"), ErrUnknownKey))
	require.NoError(t, r.drop(k1))
	assert.Equal(t, []string{k2}, r.kids())
	require.NoError(t, json.Unmarshal(r.jwks, &set))
	assert.Len(t, set.Keys, 1)
}

func TestKeyPoolHandsOutKeysInTurn(t *testing.T) {
	first, err := pooledKey()
	require.NoError(t, err)
	assert.Equal(t, KeyBits, first.N.BitLen())
	seen := map[*rsa.PrivateKey]bool{first: true}
	for range keyPoolSize - 1 {
		k, err := pooledKey()
		require.NoError(t, err)
		assert.False(t, seen[k], "a key is handed out again before the pool wraps")
		seen[k] = true
	}
	again, err := pooledKey()
	require.NoError(t, err)
	assert.Same(t, first, again, "keys are generated once per process and reused")
}

func TestNewID(t *testing.T) {
	re := regexp.MustCompile(`^sess_[0-9A-Za-z]{27}$`)
	seen := map[string]bool{}
	for range 100 {
		id := newID("sess_")
		assert.Regexp(t, re, id)
		assert.False(t, seen[id])
		seen[id] = true
	}
}
