package subscription

import (
	"encoding/json"
	"errors"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func named(name string) json.RawMessage {
	return json.RawMessage(`{"data":{"users_by_pk":{"id":"user_ada","name":"` + name + `","last_seen":null}}}`)
}

// newTestSubscription returns a subscription on a fresh channel, its
// goroutine not started.
func newTestSubscription(t *testing.T, stats *counters) (*subscription, chan hgql.WatchUserWsResponse) {
	t.Helper()
	ch := make(chan hgql.WatchUserWsResponse)
	s, err := newSubscription("1", nil, ch, hgql.WatchUserForwardData, stats)
	require.NoError(t, err)
	return s, ch
}

func recvName(t *testing.T, ch chan hgql.WatchUserWsResponse) string {
	t.Helper()
	select {
	case resp, ok := <-ch:
		require.True(t, ok, "channel closed")
		require.Empty(t, resp.Errors)
		return *resp.Data.UsersByPk.Name
	case <-time.After(5 * time.Second):
		t.Fatal("nothing delivered within 5 s")
		return ""
	}
}

func recvClosed(t *testing.T, ch chan hgql.WatchUserWsResponse) {
	t.Helper()
	select {
	case resp, ok := <-ch:
		require.False(t, ok, "unexpected %+v", resp)
	case <-time.After(5 * time.Second):
		t.Fatal("channel not closed within 5 s")
	}
}

func TestSubscriptionQueueKeepsTheNewestResult(t *testing.T) {
	testkit.CheckLeaks(t)
	var stats counters
	s, ch := newTestSubscription(t, &stats)
	for i := range 2000 {
		s.pushResult(named("s" + strconv.Itoa(i)))
	}
	s.end(delivery{err: errors.New("clerkhasura: ended")})
	s.mu.Lock()
	assert.Equal(t, string(named("s1999")), string(s.result), "one result waits, the newest")
	s.mu.Unlock()
	assert.EqualValues(t, 1999, stats.coalesced.Load())

	go s.run()
	assert.Equal(t, "s1999", recvName(t, ch))
	resp := <-ch
	require.Len(t, resp.Errors, 1, "the error comes after the newest result")
	assert.EqualError(t, resp.Errors[0].Err, "clerkhasura: ended")
	recvClosed(t, ch)
	<-s.exited
}

func TestSubscriptionQueueNeverRepeatsTheLastReceived(t *testing.T) {
	testkit.CheckLeaks(t)
	var stats counters
	s, ch := newTestSubscription(t, &stats)
	// The caller received a; b waits; then the row is a again.
	s.delivered = named("a")
	s.pushResult(named("b"))
	s.pushResult(named("a"))
	s.end(delivery{})
	go s.run()
	recvClosed(t, ch)
	<-s.exited
	assert.EqualValues(t, 1, stats.coalesced.Load(), "b was replaced")
	assert.EqualValues(t, 1, stats.duplicates.Load(), "a was not delivered again")
}

func TestSubscriptionHaltDropsWhatIsUndelivered(t *testing.T) {
	testkit.CheckLeaks(t)
	var stats counters
	s, ch := newTestSubscription(t, &stats)
	go s.run()
	s.pushResult(named("a"))
	s.end(delivery{err: errors.New("clerkhasura: ended")})
	// Nobody reads: the goroutine waits to hand a over until halted.
	s.halt()
	select {
	case <-s.exited:
	case <-time.After(5 * time.Second):
		t.Fatal("a halted subscription did not return")
	}
	recvClosed(t, ch)
}
