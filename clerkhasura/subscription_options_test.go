package clerkhasura

import (
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestSubscriptionLead(t *testing.T) {
	tests := []struct {
		name     string
		set      time.Duration
		lifetime time.Duration
		lo, hi   time.Duration
	}{
		{"Clerk's 60 s tokens", 0, time.Minute, 9 * time.Second, 10 * time.Second},
		{"3 s tokens: half the lifetime", 0, 3 * time.Second, 1350 * time.Millisecond, 1500 * time.Millisecond},
		{"10 s tokens: at least 2 s", 0, 10 * time.Second, 1800 * time.Millisecond, 2 * time.Second},
		{"an hour: at most 30 s", 0, time.Hour, 27 * time.Second, 30 * time.Second},
		{"set", 5 * time.Second, time.Minute, 5 * time.Second, 5 * time.Second},
		{"set, held to half the lifetime", 5 * time.Second, 4 * time.Second, 2 * time.Second, 2 * time.Second},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := (&SubscriptionOptions{ReconnectLead: tt.set}).resolve()
			for range 100 {
				lead := o.lead(tt.lifetime)
				assert.GreaterOrEqual(t, lead, tt.lo)
				assert.LessOrEqual(t, lead, tt.hi)
			}
		})
	}
}

func TestSubscriptionBackoff(t *testing.T) {
	o := (&SubscriptionOptions{MinBackoff: 100 * time.Millisecond, MaxBackoff: time.Second}).resolve()
	tests := []struct {
		failures int
		lo, hi   time.Duration
	}{
		{1, 50 * time.Millisecond, 100 * time.Millisecond},
		{2, 100 * time.Millisecond, 200 * time.Millisecond},
		{4, 400 * time.Millisecond, 800 * time.Millisecond},
		{5, 500 * time.Millisecond, time.Second},
		{50, 500 * time.Millisecond, time.Second},
	}
	for _, tt := range tests {
		for range 100 {
			d := o.backoff(tt.failures)
			assert.GreaterOrEqual(t, d, tt.lo, "failures %d", tt.failures)
			assert.LessOrEqual(t, d, tt.hi, "failures %d", tt.failures)
		}
	}
}

// TestSubscriptionReconnectJitter checks the spread of the first wait
// after a lost connection: up to ReconnectJitter, at random, so that the
// clients of a restarted server do not come back together.
func TestSubscriptionReconnectJitter(t *testing.T) {
	o := (&SubscriptionOptions{}).resolve()
	lo, hi := time.Duration(1<<62), time.Duration(0)
	var buckets [10]int
	for range 2000 {
		d := o.jitter()
		assert.GreaterOrEqual(t, d, time.Duration(0))
		assert.LessOrEqual(t, d, DefaultReconnectJitter)
		lo, hi = min(lo, d), max(hi, d)
		buckets[min(int(d*10/DefaultReconnectJitter), 9)]++
	}
	assert.Less(t, lo, 50*time.Millisecond)
	assert.Greater(t, hi, 950*time.Millisecond)
	for i, n := range buckets {
		// 200 expected per tenth; fewer than 100 is 8 standard deviations off.
		assert.Greater(t, n, 100, "tenth %d of the jitter is underused", i)
	}

	set := (&SubscriptionOptions{ReconnectJitter: 30 * time.Millisecond}).resolve()
	for range 100 {
		assert.LessOrEqual(t, set.jitter(), 30*time.Millisecond)
	}
	off := (&SubscriptionOptions{ReconnectJitter: -1}).resolve()
	assert.Zero(t, off.jitter())
}

// TestSubscriptionRedirectWait checks that a redirect, which no quick
// retry mends, waits as long as MaxBackoff allows from the first failure.
func TestSubscriptionRedirectWait(t *testing.T) {
	o := (&SubscriptionOptions{MinBackoff: 10 * time.Millisecond, MaxBackoff: time.Second}).resolve()
	redirect := fmt.Errorf("dialling: %w", &WebsocketRedirectError{StatusCode: 302, Location: "http://elsewhere/"})
	for range 100 {
		d := o.retryWait(redirect, 1)
		assert.GreaterOrEqual(t, d, 500*time.Millisecond)
		assert.LessOrEqual(t, d, time.Second)
		assert.LessOrEqual(t, o.retryWait(errors.New("refused"), 1), 10*time.Millisecond)
	}
}

func TestSubscriptionOptionDefaults(t *testing.T) {
	var nilOpts *SubscriptionOptions
	o := nilOpts.resolve()
	assert.Equal(t, http.DefaultClient, o.HTTPClient)
	assert.Empty(t, o.Subprotocol, "graphql-transport-ws, falling back to graphql-ws")
	assert.Equal(t, DefaultSwitchTimeout, o.SwitchTimeout)
	assert.Equal(t, DefaultReconnectMinBackoff, o.MinBackoff)
	assert.Equal(t, DefaultReconnectMaxBackoff, o.MaxBackoff)
	assert.Equal(t, DefaultReconnectJitter, o.ReconnectJitter)
	assert.Equal(t, DefaultSubscriptionInitTimeout, o.InitTimeout)
	assert.Equal(t, DefaultSubscriptionKeepAliveTimeout, o.KeepAliveTimeout)
	assert.EqualValues(t, DefaultSubscriptionReadLimit, o.ReadLimit)
	assert.Equal(t, DefaultClaimsNamespace, o.namespace())
	assert.Equal(t, DefaultUserIDClaim, o.userIDClaim())
	assert.NotNil(t, o.Logger)

	o = (&SubscriptionOptions{Subprotocol: "graphql-ws", MinBackoff: time.Minute, MaxBackoff: time.Second}).resolve()
	assert.Equal(t, "graphql-ws", o.Subprotocol)
	assert.Empty(t, (&SubscriptionOptions{Subprotocol: "mqtt"}).resolve().Subprotocol, "an unknown subprotocol means the default")
	assert.Equal(t, time.Minute, o.MaxBackoff, "MaxBackoff is never below MinBackoff")
}
