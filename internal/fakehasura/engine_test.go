package fakehasura

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The websocket transport runs on the engine.
var _ WSBackend = (*Engine)(nil)

func TestEngineForWebsockets(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(Row{ID: "user_alice", Name: strp("Alice")}, Row{ID: "user_bob"}))
	s, err := f.eng.Authenticate(http.Header{"Authorization": {"Bearer " + f.token("user_alice")}})
	require.Nil(t, err)
	assert.Equal(t, epoch.Add(60*time.Second), s.Expiry)
	// A subscription's data is json_build_object's, as Hasura's
	// multiplexed query builds it.
	assert.Equal(t, `{"data":{"users" : [{"id":"user_alice","name":"Alice"}]}}`,
		string(f.eng.Execute(context.Background(), s, Request{Query: `subscription { users { id name } }`})))
	assert.Equal(t, errBody("subscriptions must select one top level field", "$", "validation-failed"),
		string(f.eng.Execute(context.Background(), s, Request{Query: `subscription { a: users { id } b: users { id } }`})))
	_, err = f.eng.Authenticate(http.Header{})
	require.NotNil(t, err)
	assert.Equal(t, "invalid-headers", err.Code)
	assert.Equal(t, epoch, f.eng.Now())
}
