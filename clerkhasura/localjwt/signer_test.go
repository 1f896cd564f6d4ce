package localjwt_test

import (
	"context"
	"crypto/ed25519"
	"crypto/x509"
	"encoding/pem"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	jose "github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

func TestTokenContents(t *testing.T) {
	clock := newClock(epoch)
	k := mustKey(t)
	s := newSigner(t, clock, localjwt.Options{Audience: "hasura", Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: epoch.Add(-time.Hour)}}})
	tok := sourceToken(t, s, claimsFor("sess_1", "user_alice", epoch.Add(50*time.Second)))
	h, p := parts(t, tok.Value)
	assert.Equal(t, map[string]any{"alg": "EdDSA", "kid": k.KeyID(), "typ": "JWT"}, h)
	assert.Equal(t, map[string]any{
		"iss": testIssuer, "sub": "user_alice", "aud": "hasura",
		"iat": float64(epoch.Unix()), "exp": float64(epoch.Add(50 * time.Second).Unix()),
		"https://hasura.io/jwt/claims": map[string]any{
			"x-hasura-user-id": "user_alice", "x-hasura-default-role": "user", "x-hasura-allowed-roles": []any{"user"},
		},
	}, p, "no sid, so that it never passes for a session token")

	block, _ := pem.Decode(k.PublicPEM())
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)
	jws, err := jose.ParseSigned(tok.Value)
	require.NoError(t, err)
	_, err = jws.Verify(pub.(ed25519.PublicKey))
	require.NoError(t, err)
	assert.Equal(t, testIssuer, s.Issuer())
}

func TestSourceKeepsOneTokenPerSession(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{})
	alice := claimsFor("sess_a", "user_alice", epoch.Add(time.Minute))
	first := sourceToken(t, s, alice)
	clock.Advance(10 * time.Second)
	assert.Same(t, first, sourceToken(t, s, alice), "a second request of the session")
	bob := sourceToken(t, s, claimsFor("sess_b", "user_bob", epoch.Add(time.Minute)))
	assert.NotSame(t, first, bob)
	assert.Equal(t, "user_bob", hasuraClaims(t, bob.Value)["x-hasura-user-id"])
}

// TestSourceOrganizationSwitch: a session that switches organization is
// not served the old organization's token.
func TestSourceOrganizationSwitch(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{Claims: func(c *clerk.SessionClaims) (localjwt.HasuraClaims, error) {
		return localjwt.HasuraClaims{UserID: c.Subject, Variables: map[string]string{"x-hasura-org-id": c.ActiveOrganizationID}}, nil
	}})
	session := claimsFor("sess_a", "user_alice", epoch.Add(time.Minute))
	session.ActiveOrganizationID = "org_1"
	one := sourceToken(t, s, session)
	other := *session
	other.ActiveOrganizationID = "org_2"
	two := sourceToken(t, s, &other)
	assert.NotSame(t, one, two)
	assert.Equal(t, "org_2", hasuraClaims(t, two.Value)["x-hasura-org-id"])
	back := sourceToken(t, s, session)
	assert.Equal(t, "org_1", hasuraClaims(t, back.Value)["x-hasura-org-id"])
	assert.Same(t, back, sourceToken(t, s, session))
}

func TestTokenNeverOutlivesSessionToken(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{Lifetime: 5 * time.Minute})
	src, err := s.Source(claimsFor("sess_a", "user_alice", epoch.Add(30*time.Second)))
	require.NoError(t, err)
	tok := token(t, src)
	assert.Equal(t, epoch.Add(30*time.Second), tok.Expiry)
	_, p := parts(t, tok.Value)
	assert.EqualValues(t, epoch.Add(30*time.Second).Unix(), p["exp"])

	clock.Advance(29 * time.Second)
	assert.Same(t, tok, token(t, src), "re-signing would not extend it")
	clock.Advance(time.Second)
	_, err = src.Token(context.Background())
	require.ErrorIs(t, err, localjwt.ErrSessionExpired)
	_, err = s.Source(claimsFor("sess_a", "user_alice", epoch.Add(30*time.Second)))
	require.ErrorIs(t, err, localjwt.ErrSessionExpired)

	short := newSigner(t, clock, localjwt.Options{Lifetime: 10 * time.Second})
	assert.Equal(t, clock.Now().Add(10*time.Second), sourceToken(t, short, claimsFor("sess_b", "user_bob", clock.Now().Add(time.Minute))).Expiry)
}

// TestOneSignaturePerSessionToken follows a browser that sends a new
// session token every 50 s, each living 60 s, and a request every
// second: each session token costs one signature.
func TestOneSignaturePerSessionToken(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{})
	seen := map[string]bool{}
	for sec := 0; sec < 500; sec++ {
		issued := epoch.Add(time.Duration(sec/50*50) * time.Second)
		tok := sourceToken(t, s, claimsFor("sess_a", "user_alice", issued.Add(time.Minute)))
		require.True(t, tok.Expiry.After(clock.Now()))
		require.False(t, tok.Expiry.After(issued.Add(time.Minute)))
		seen[tok.Value] = true
		clock.Advance(time.Second)
	}
	assert.Len(t, seen, 10)
}

// TestOlderSessionTokenGetsNoLongerToken: a request with an older
// session token of the session, such as from another tab, is not served
// the token kept for a newer one, which outlives it.
func TestOlderSessionTokenGetsNoLongerToken(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{})
	newer := sourceToken(t, s, claimsFor("sess_a", "user_alice", epoch.Add(time.Minute)))
	older := sourceToken(t, s, claimsFor("sess_a", "user_alice", epoch.Add(20*time.Second)))
	assert.Equal(t, epoch.Add(time.Minute), newer.Expiry)
	assert.Equal(t, epoch.Add(20*time.Second), older.Expiry)
}

func TestEndSession(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{})
	alice := claimsFor("sess_a", "user_alice", epoch.Add(time.Minute))
	src, err := s.Source(alice)
	require.NoError(t, err)
	token(t, src)
	bob := sourceToken(t, s, claimsFor("sess_b", "user_bob", epoch.Add(time.Minute)))

	s.EndSession("sess_a")
	_, err = src.Token(context.Background())
	require.ErrorIs(t, err, localjwt.ErrSessionEnded, "a source handed out before")
	_, err = s.Source(alice)
	require.ErrorIs(t, err, localjwt.ErrSessionEnded)
	assert.Same(t, bob, sourceToken(t, s, claimsFor("sess_b", "user_bob", epoch.Add(time.Minute))))

	s.EndSession("sess_never_seen")
	_, err = s.Source(claimsFor("sess_never_seen", "user_carol", epoch.Add(time.Minute)))
	require.ErrorIs(t, err, localjwt.ErrSessionEnded)

	clock.Advance(10 * time.Minute)
	sourceToken(t, s, claimsFor("sess_a", "user_alice", clock.Now().Add(time.Minute)))
}

// TestSignerConcurrent runs sessions, claims changes and ends at once
// under -race: every token handed out verifies and carries its session's
// user.
func TestSignerConcurrent(t *testing.T) {
	clock := newClock(epoch)
	k := mustKey(t)
	s := newSigner(t, clock, localjwt.Options{MaxSessions: 20, Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: epoch.Add(-time.Hour)}},
		Claims: func(c *clerk.SessionClaims) (localjwt.HasuraClaims, error) {
			return localjwt.HasuraClaims{UserID: c.Subject, Variables: map[string]string{"x-hasura-org-id": c.ActiveOrganizationID}}, nil
		}})
	block, _ := pem.Decode(k.PublicPEM())
	pub, err := x509.ParsePKIXPublicKey(block.Bytes)
	require.NoError(t, err)

	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 300 {
				n := (g*7 + i) % 50
				sid, user := fmt.Sprintf("sess_%d", n), fmt.Sprintf("user_%d", n)
				if i%97 == 0 {
					s.EndSession(sid)
					continue
				}
				c := claimsFor(sid, user, epoch.Add(time.Minute))
				c.ActiveOrganizationID = fmt.Sprintf("org_%d", i%2)
				src, err := s.Source(c)
				if err != nil {
					continue // an ended session
				}
				tok, err := src.Token(context.Background())
				if err != nil {
					continue
				}
				jws, err := jose.ParseSigned(tok.Value)
				if err == nil {
					_, err = jws.Verify(pub.(ed25519.PublicKey))
				}
				if err != nil {
					errs <- err
					return
				}
				if got := claimsOf(tok.Value); got["x-hasura-user-id"] != user || got["x-hasura-org-id"] != c.ActiveOrganizationID {
					errs <- fmt.Errorf("session %s got claims %v", sid, got)
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
