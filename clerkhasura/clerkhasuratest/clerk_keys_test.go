package clerkhasuratest_test

import (
	"context"
	"encoding/json"
	"io"
	"testing"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestClerkRotateKey(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	oldKid := fc.KeyIDs()[0]
	oldTok := mint(t, fc, sid, "hasura")

	newKid := fc.RotateKey()
	require.NotEqual(t, oldKid, newKid)
	assert.Equal(t, []string{newKid, oldKid}, fc.KeyIDs(), "active key first, old key still served")

	newTok := mint(t, fc, sid, "hasura")
	header, _ := rawClaims(t, newTok)
	assert.Equal(t, newKid, header.KeyID)

	for name, tok := range map[string]string{"old token": oldTok, "new token": newTok} {
		t.Run(name, func(t *testing.T) {
			_, err := verify(t, fc, tok)
			assert.NoError(t, err)
		})
	}
	assert.Len(t, publicJWKS(t, fc).Keys, 2)

	fc.DropKey(oldKid)
	assert.Equal(t, []string{newKid}, fc.KeyIDs())
	_, err := verify(t, fc, oldTok)
	assert.ErrorContains(t, err, "missing json web key", "a dropped key no longer verifies")
	_, err = verify(t, fc, newTok)
	assert.NoError(t, err)
	keys := publicJWKS(t, fc).Keys
	require.Len(t, keys, 1)
	assert.Equal(t, newKid, keys[0].KeyID)
}

func TestClerkTokensDoNotCrossFakes(t *testing.T) {
	a := clerkhasuratest.NewClerk(t, nil)
	b := clerkhasuratest.NewClerk(t, nil)
	assert.NotEqual(t, a.KeyIDs(), b.KeyIDs())
	tok := mint(t, a, a.CreateSession("user_1"), "hasura")
	_, err := verify(t, b, tok)
	assert.Error(t, err)

	set := publicJWKS(t, b)
	_, err = jwt.Verify(context.Background(), &jwt.VerifyParams{Token: tok, JWKSClient: b.JWKSClient()})
	assert.Error(t, err)
	assert.Len(t, set.Keys, 1)
}

func publicJWKS(t *testing.T, fc *clerkhasuratest.Clerk) *clerk.JSONWebKeySet {
	t.Helper()
	body, err := io.ReadAll(get(t, fc, fc.JWKSURL(), "").Body)
	require.NoError(t, err)
	var set clerk.JSONWebKeySet
	require.NoError(t, json.Unmarshal(body, &set))
	return &set
}
