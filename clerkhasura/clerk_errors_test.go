package clerkhasura

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestClerkErrorMessage(t *testing.T) {
	e := &ClerkError{
		SessionID: "sess_1", Template: "hasura", StatusCode: 429, Codes: []string{"too_many_requests"},
		TraceID: "t1", RetryAfter: 3 * time.Second, Message: "Too many requests", Kind: ErrRateLimited,
	}
	assert.Equal(t, `clerkhasura: rate limited by Clerk (session sess_1, template "hasura", HTTP 429, `+
		`code too_many_requests, trace t1, retry after 3s): Too many requests`, e.Error())
	assert.True(t, e.Temporary())
	assert.False(t, permanent(e))
	assert.True(t, permanent(&ClerkError{Kind: ErrSessionGone}))
	assert.True(t, permanent(&InputError{Field: "x", Reason: "y"}))
	assert.False(t, permanent(errEmptyToken), "only Clerk's word makes an error permanent")
	assert.True(t, permanent(&ClerkError{Kind: ErrClerkRejected}))
	assert.True(t, (&ClerkError{Kind: ErrMalformedToken}).Temporary(), "a garbled 200 is likely a proxy's")
	assert.False(t, permanent(&ClerkError{Kind: ErrMalformedToken}))
	timeout := &ClerkError{SessionID: "sess_1", Template: "hasura", Kind: ErrClerkUnavailable,
		Err: fetchTimedOut(20 * time.Millisecond)}
	assert.Equal(t, `clerkhasura: Clerk unavailable (session sess_1, template "hasura"): `+
		`the token fetch timed out after 20ms (CacheOptions.FetchTimeout): i/o timeout`, timeout.Error())
	assert.Equal(t, "clerkhasura: minting a token failed", (&ClerkError{}).Error())
	assert.Equal(t, "clerkhasura: Clerk unavailable (HTTP 502, trace t2)",
		(&ClerkError{StatusCode: 502, TraceID: "t2", Kind: ErrClerkUnavailable}).Error(), "a JWKS fetch names no session")
}

func TestCacheOptionsResolveTwice(t *testing.T) {
	o := (&CacheOptions{RefreshJitter: -1, MinBackoff: time.Minute, MaxBackoff: time.Second}).resolved()
	again := o.resolved()
	assert.Equal(t, o, again)
	assert.Negative(t, again.RefreshJitter)
	assert.Equal(t, time.Minute, again.MaxBackoff, "never below MinBackoff")
	d := (*CacheOptions)(nil).resolved()
	assert.Equal(t, defaultRefreshJitter, d.RefreshJitter)
	assert.Equal(t, defaultFetchTimeout, d.FetchTimeout)
	st := (&SessionTokensOptions{CacheOptions: CacheOptions{RefreshJitter: -1}, MaxSessions: 3}).resolved()
	assert.Equal(t, st, st.resolved())
	assert.Negative(t, st.RefreshJitter, "the embedded CacheOptions are resolved as they are alone")
	ds := (*SessionTokensOptions)(nil).resolved()
	assert.Equal(t, defaultMaxSessions, ds.MaxSessions)
	assert.Equal(t, defaultIdleTimeout, ds.IdleTimeout)
	assert.Equal(t, d, ds.CacheOptions)
}
