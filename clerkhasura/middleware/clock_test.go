package middleware_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

// The fake Clerk's session tokens carry nbf 10 s before iat, as Clerk's
// do, for verifiers whose clocks are behind Clerk's.
func TestMiddlewareClockBehindClerks(t *testing.T) {
	cases := []struct {
		name   string
		leeway time.Duration
		ahead  time.Duration // how far Clerk's clock is ahead of the middleware's
		reason string        // empty: accepted
	}{
		{"same clock", 0, 0, ""},
		{"iat ahead by a second", 0, time.Second, ""},
		{"iat ahead, nbf reached", 0, 10 * time.Second, ""},
		{"nbf ahead", 0, 11 * time.Second, "session token not valid yet"},
		{"nbf ahead within leeway", time.Second, 11 * time.Second, ""},
		{"nbf ahead beyond leeway", time.Second, 12 * time.Second, "session token not valid yet"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			now := time.Unix(1_800_000_000, 0)
			w := newMWWorldClerkClock(t, &middleware.Options{Leeway: tc.leeway}, clerkhasuratest.NewClock(now.Add(tc.ahead)))
			w.clock.Set(now)
			tok := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))

			resp := w.get(t, "/claims", bearer(tok))
			if tc.reason == "" {
				assert.Equal(t, http.StatusOK, resp.status, resp.raw)
				assert.Equal(t, "user_alice", resp.body["sub"])
				return
			}
			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, tc.reason, resp.body["message"])
		})
	}
}

// A token accepted before its iat on the middleware's clock is still
// refused once its exp has passed.
func TestMiddlewareClockBehindClerksStillHonoursExpiry(t *testing.T) {
	now := time.Unix(1_800_000_000, 0)
	w := newMWWorldClerkClock(t, nil, clerkhasuratest.NewClock(now.Add(5*time.Second)))
	w.clock.Set(now)
	tok := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))

	assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(tok)).status)
	w.clock.Set(now.Add(5*time.Second + time.Minute)) // exp: session tokens live 60 s
	assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(tok)).status, "exp is not yet past")
	w.clock.Advance(time.Second)
	resp := w.get(t, "/claims", bearer(tok))
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, "session token expired", resp.body["message"])
}

// The allowance for an iat ahead of the middleware's clock is for tokens
// whose nbf has passed, and reaches at most 5 minutes (Clerk's largest
// allowed clock skew) beyond the leeway; it never revives an expired token.
func TestMiddlewareClockAllowanceForIssuedAtIsBounded(t *testing.T) {
	const maxIssuedAtSkew = 5 * time.Minute // as Options.Leeway documents
	now := time.Unix(1_800_000_000, 0)
	at := func(d time.Duration) int64 { return now.Add(d).Unix() }
	cases := []struct {
		name   string
		leeway time.Duration
		claims map[string]any
		reason string // empty: accepted
	}{
		{"iat ahead, nbf passed", 0,
			claimsWith(sessionClaims(now.Add(5*time.Second)), nil), ""},
		{"no nbf, iat ahead", 0,
			claimsWith(sessionClaims(now.Add(5*time.Second)), map[string]any{"nbf": nil}),
			"session token not valid yet"},
		{"iat ahead by the cap, nbf passed", 0,
			claimsWith(sessionClaims(now.Add(maxIssuedAtSkew)), map[string]any{"nbf": at(0)}), ""},
		{"iat far ahead beyond the cap, nbf passed", 0,
			claimsWith(sessionClaims(now.Add(maxIssuedAtSkew+time.Second)), map[string]any{"nbf": at(-time.Second)}),
			"session token not valid yet"},
		{"iat a day ahead, nbf passed", 0,
			claimsWith(sessionClaims(now.Add(24*time.Hour)), map[string]any{"nbf": at(-time.Hour)}),
			"session token not valid yet"},
		{"iat ahead by the cap beyond the leeway", 10 * time.Second,
			claimsWith(sessionClaims(now.Add(10*time.Second+maxIssuedAtSkew)), map[string]any{"nbf": at(10 * time.Second)}), ""},
		{"iat ahead beyond the cap and the leeway", 10 * time.Second,
			claimsWith(sessionClaims(now.Add(11*time.Second+maxIssuedAtSkew)), map[string]any{"nbf": at(0)}),
			"session token not valid yet"},
		{"exp already passed, iat ahead", 0,
			claimsWith(sessionClaims(now.Add(5*time.Second)), map[string]any{"exp": at(-time.Second)}),
			"session token expired"},
		{"exp passed beyond the leeway, iat ahead", 10 * time.Second,
			claimsWith(sessionClaims(now.Add(15*time.Second)), map[string]any{"exp": at(-11 * time.Second)}),
			"session token expired"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			signer := newMWSigner(t)
			w := newMWWorld(t, &middleware.Options{JWKSClient: signer.JWKSClient, Leeway: tc.leeway})
			w.clock.Set(now)

			resp := w.get(t, "/claims", bearer(signer.sign(t, tc.claims)))
			if tc.reason == "" {
				assert.Equal(t, http.StatusOK, resp.status, resp.raw)
				assert.Equal(t, "user_alice", resp.body["sub"])
				return
			}
			assert.Equal(t, http.StatusUnauthorized, resp.status)
			assert.Equal(t, tc.reason, resp.body["message"])
			assert.Zero(t, w.reached.Load(), "the handler ran")
		})
	}
}
