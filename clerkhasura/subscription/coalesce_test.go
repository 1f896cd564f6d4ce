package subscription_test

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// TestSubscriptionSlowReaderHoldsOneResult changes a row 2000 times while
// a subscriber does not read: one result at most waits for it, and when
// it reads it gets the state it was handed first, then the newest. Each
// change waits until another subscriber has it, so that Hasura sends
// every state.
func TestSubscriptionSlowReaderHoldsOneResult(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newSubFixture(t, subFixtureOptions{})
	c := f.client(f.source(), nil)
	live, _ := f.watch(c)
	expectName(t, live, "v0")
	stuck, id := f.watch(c)
	// The first result is in the hands of the subscription's goroutine
	// once it stops waiting.
	testkit.WaitFor(t, "both results delivered", func() bool {
		items, _ := subscription.Backlog(c, id)
		return items == 0 && c.Stats().Delivered == 2
	})

	const changes = 2000
	most := 0
	for i := 1; i <= changes; i++ {
		f.setName("s" + itoa(i))
		expectName(t, live, "s"+itoa(i))
		items, _ := subscription.Backlog(c, id)
		most = max(most, items)
	}
	testkit.WaitFor(t, "the last change waits", func() bool {
		_, result := subscription.Backlog(c, id)
		return strings.Contains(string(result), `"s`+itoa(changes)+`"`)
	})
	assert.Equal(t, 1, most, "one result waits, whatever the number of changes")

	expectName(t, stuck, "v0")
	expectName(t, stuck, "s"+itoa(changes))
	// The live subscriber took each of its changes+1 results at once;
	// of the stuck one's, all but the first and the last were replaced.
	s := c.Stats()
	assert.Equal(t, s.Delivered-(changes+1)-2, s.Coalesced)
	assert.NotZero(t, s.Coalesced)
	t.Logf("%d results, %d replaced while waiting", s.Delivered, s.Coalesced)
	select {
	case resp := <-stuck:
		t.Fatalf("unexpected event %+v", resp)
	default:
	}
}
