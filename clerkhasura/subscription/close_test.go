package subscription_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/coder/websocket"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// endedUnread is a client with subscriptions that have ended, each with an
// item queued that nobody reads.
type endedUnread struct {
	c   *subscription.Client
	ids []string
	chs []chan hgql.WatchUserWsResponse
}

func subscribeRaw(t *testing.T, c *subscription.Client, query string) (string, chan hgql.WatchUserWsResponse) {
	t.Helper()
	ch := make(chan hgql.WatchUserWsResponse)
	id, err := c.Subscribe(&graphql.Request{Query: query}, ch, hgql.WatchUserForwardData)
	require.NoError(t, err)
	return id, ch
}

// TestSubscriptionEndedButUnreadDoesNotHang ends subscriptions in each
// way a subscription can end, leaves their channels unread, and checks
// that Unsubscribe and Close still return, with the channels closed.
func TestSubscriptionEndedButUnreadDoesNotHang(t *testing.T) {
	testkit.CheckLeaks(t)
	waitForNoSubscription := func(t *testing.T, c *subscription.Client) {
		t.Helper()
		testkit.WaitFor(t, "no subscription left", func() bool { return c.Stats().Subscriptions == 0 })
	}
	ways := []struct {
		name string
		end  func(t *testing.T) endedUnread
	}{
		{"Hasura's error", func(t *testing.T) endedUnread {
			f := newSubFixture(t, subFixtureOptions{})
			c := f.client(f.source(), nil)
			id, ch := subscribeRaw(t, c, `subscription { users_by_pk(id: "x") { password } }`)
			waitForNoSubscription(t, c)
			return endedUnread{c, []string{id}, []chan hgql.WatchUserWsResponse{ch}}
		}},
		{"complete", func(t *testing.T) endedUnread {
			f := newSubFixture(t, subFixtureOptions{})
			c := f.client(f.source(), nil)
			id, ch := subscribeRaw(t, c, `query { users_by_pk(id: "user_ada") { id name last_seen } }`)
			waitForNoSubscription(t, c)
			return endedUnread{c, []string{id}, []chan hgql.WatchUserWsResponse{ch}}
		}},
		{"4400 close", func(t *testing.T) endedUnread {
			s := newScriptServer(t, &scriptServer{
				onSubscribe: func(ws *websocket.Conn, _ int64, m wsproto.Message, _ string) {
					ws.Close(websocket.StatusNormalClosure, wsproto.CloseReason(4400, "an operation already exists with this id: "+m.ID))
				},
			})
			c := newClient(t, s.srv.URL, sources.Value("tok"), &subscription.Options{MinBackoff: time.Millisecond})
			t.Cleanup(func() { c.Close() })
			_, err := c.Start(context.Background())
			require.NoError(t, err)
			id, ch := subscribeRaw(t, c, "subscription { users { id } }")
			waitForNoSubscription(t, c)
			return endedUnread{c, []string{id}, []chan hgql.WatchUserWsResponse{ch}}
		}},
		{"session gone", func(t *testing.T) endedUnread {
			f := newSubFixture(t, subFixtureOptions{})
			c := f.client(f.source(), nil)
			errs, err := c.Start(context.Background())
			require.NoError(t, err)
			chA, a := f.watch(c)
			chB, b := f.watch(c)
			f.clerk.RevokeSession(f.sid)
			f.cut(f.hasura.RestartWebsockets)
			select {
			case err := <-errs:
				require.ErrorIs(t, err, clerkhasura.ErrSessionGone)
			case <-time.After(10 * time.Second):
				t.Fatal("the client did not stop")
			}
			return endedUnread{c, []string{a, b}, []chan hgql.WatchUserWsResponse{chA, chB}}
		}},
	}
	for _, way := range ways {
		t.Run(way.name, func(t *testing.T) {
			t.Run("Unsubscribe", func(t *testing.T) {
				e := way.end(t)
				for i, id := range e.ids {
					testkit.Within(t, "Unsubscribe", func() { assert.NoError(t, e.c.Unsubscribe(id)) })
					expectClosedNow(t, e.chs[i])
				}
				testkit.Within(t, "Close", func() { assert.NoError(t, e.c.Close()) })
			})
			t.Run("Close", func(t *testing.T) {
				e := way.end(t)
				testkit.Within(t, "Close", func() { assert.NoError(t, e.c.Close()) })
				for _, ch := range e.chs {
					expectClosedNow(t, ch)
				}
			})
		})
	}
}

// expectClosedNow checks that ch is closed already, the undelivered item
// dropped.
func expectClosedNow(t *testing.T, ch chan hgql.WatchUserWsResponse) {
	t.Helper()
	select {
	case resp, ok := <-ch:
		assert.False(t, ok, "unexpected %+v", resp)
	default:
		t.Fatal("channel still open")
	}
}

func TestSubscribeContextErrorsArePrefixedOnce(t *testing.T) {
	testkit.CheckLeaks(t)
	c := newClient(t, "http://hasura.invalid/v1/graphql", sources.Value("tok"), nil)
	defer c.Close()
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := c.SubscribeContext(ctx, &graphql.Request{Query: "subscription { users { id } }"}, make(chan hgql.WatchUserWsResponse), hgql.WatchUserForwardData)
	require.ErrorIs(t, err, context.Canceled)
	assert.EqualError(t, err, "clerkhasura: Subscribe: context canceled")
	assert.Equal(t, 1, strings.Count(err.Error(), "clerkhasura:"))
}
