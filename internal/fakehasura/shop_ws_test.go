package fakehasura

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/wsproto"
)

// longToken is a user-role token that outlives the test.
func (f *fixture) longToken(user string) string {
	c := shopClaims(user, nil)
	c["exp"] = time.Now().Add(time.Hour).Unix()
	return sign(f.t, testKeys(f.t)[0], "kid-1", c)
}

// The websocket transport re-encodes payloads (wsproto.Encode), so these
// tests compare JSON values; TestEngineForWebsockets checks the bytes
// Execute returns.

func TestShopLiveQuery(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newShopFixture(t)
	f.eng.SetNow(nil)
	seedShop(t, f)
	ws := newEngineWSFixture(t, f.eng)
	c := ws.dial("graphql-transport-ws")
	c.init(f.longToken("alice"))
	c.expect("connection_ack")
	c.send(wsproto.Message{ID: "1", Type: "subscribe", Payload: subscribePayload(`subscription { todos(order_by: {id: asc}) { id done tags_count: tags { label } } }`)})
	m := c.expect("next")
	assert.JSONEq(t, `{"data":{"todos" : [{"id":1,"done":false,"tags_count":[{"label":"go"}, {"label":"test"}]}, {"id":2,"done":true,"tags_count":[]}]}}`, string(m.Payload))

	// A change alice cannot see sends nothing; one she can see sends the
	// new result.
	require.NoError(t, f.eng.Insert("todos", map[string]any{"user_id": "bob", "title": "hidden"}))
	_, err := f.eng.UpdateRows("todos", map[string]any{"id": 2}, map[string]any{"done": false})
	require.NoError(t, err)
	m = c.expect("next")
	assert.JSONEq(t, `{"data":{"todos" : [{"id":1,"done":false,"tags_count":[{"label":"go"}, {"label":"test"}]}, {"id":2,"done":false,"tags_count":[]}]}}`, string(m.Payload))
}

func TestShopStreamingSubscription(t *testing.T) {
	testkit.CheckLeaks(t)
	f := newShopFixture(t)
	f.eng.SetNow(nil)
	seedShop(t, f)
	ws := newEngineWSFixture(t, f.eng)
	c := ws.dial("graphql-ws")
	c.init(f.longToken("alice"))
	c.expect("connection_ack")
	c.send(wsproto.Message{ID: "s", Type: "start", Payload: subscribePayload(
		`subscription { todos_stream(batch_size: 1, cursor: {initial_value: {id: 0}}) { id title } }`)})
	m := c.expect("data")
	assert.JSONEq(t, `{"data":{"todos_stream" : [{"id":1,"title":"write tests"}]}}`, string(m.Payload), "the first batch")

	// Each change runs the stream again: the next batch after the cursor.
	require.NoError(t, f.eng.Insert("todos", map[string]any{"user_id": "bob", "title": "not hers"}))
	m = c.expect("data")
	assert.JSONEq(t, `{"data":{"todos_stream" : [{"id":2,"title":"ship"}]}}`, string(m.Payload))
	require.NoError(t, f.eng.Insert("todos", map[string]any{"user_id": "alice", "title": "later"}))
	m = c.expect("data")
	assert.JSONEq(t, `{"data":{"todos_stream" : [{"id":5,"title":"later"}]}}`, string(m.Payload), "bob's row 4 is not hers")

	// Nothing new: no message. The next one proves none was sent.
	_, err := f.eng.UpdateRows("users", map[string]any{"id": "bob"}, map[string]any{"name": "Robert"})
	require.NoError(t, err)
	require.NoError(t, f.eng.Insert("todos", map[string]any{"user_id": "alice", "title": "last"}))
	m = c.expect("data")
	assert.JSONEq(t, `{"data":{"todos_stream" : [{"id":6,"title":"last"}]}}`, string(m.Payload))

	c.send(wsproto.Message{ID: "d", Type: "start", Payload: subscribePayload(
		`subscription { todos_stream(batch_size: 10, cursor: {initial_value: {created_at: "2024-05-03"}, ordering: DESC}) { id } }`)})
	m = c.expect("data")
	assert.Equal(t, "d", m.ID)
	assert.JSONEq(t, `{"data":{"todos_stream" : [{"id":2}, {"id":1}]}}`, string(m.Payload), "descending from the initial value")
}
