package clerkhasura_test

import (
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
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
			w := newMWWorld(t, &clerkhasura.MiddlewareOptions{Leeway: tc.leeway})
			now := time.Unix(1_800_000_000, 0)
			w.clock.Set(now)
			w.clerk.SetNow(func() time.Time { return now.Add(tc.ahead) })
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
	w := newMWWorld(t, nil)
	now := time.Unix(1_800_000_000, 0)
	w.clock.Set(now)
	w.clerk.SetNow(func() time.Time { return now.Add(5 * time.Second) })
	tok := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))

	assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(tok)).status)
	w.clock.Set(now.Add(5*time.Second + time.Minute)) // exp: session tokens live 60 s
	assert.Equal(t, http.StatusOK, w.get(t, "/claims", bearer(tok)).status, "exp is not yet past")
	w.clock.Advance(time.Second)
	resp := w.get(t, "/claims", bearer(tok))
	assert.Equal(t, http.StatusUnauthorized, resp.status)
	assert.Equal(t, "session token expired", resp.body["message"])
}
