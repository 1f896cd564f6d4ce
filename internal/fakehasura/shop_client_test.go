package fakehasura

import (
	"context"
	"net/http"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// bearerTransport adds a token to a genqlient client's requests.
type bearerTransport struct{ token string }

func (b bearerTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	r.Header.Set("Authorization", "Bearer "+b.token)
	return http.DefaultTransport.RoundTrip(r)
}

// TestGenqlientClient runs requests as genqlient's client sends them
// (operationName, variables) and decodes the answers into Go types.
func TestGenqlientClient(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	client := graphql.NewClient(f.srv.URL+"/v1/graphql", &http.Client{Transport: bearerTransport{f.token("alice")}})

	var data struct {
		Todos []struct {
			ID    int
			Title string
			Due   *string
			Tags  []struct{ Label string }
		}
	}
	err := client.MakeRequest(context.Background(), &graphql.Request{
		OpName:    "OpenTodos",
		Query:     `query OpenTodos($done: Boolean!) { todos(where: {done: {_eq: $done}}, order_by: {id: asc}) { id title due tags(order_by: {label: asc}) { label } } }`,
		Variables: map[string]any{"done": false},
	}, &graphql.Response{Data: &data})
	require.NoError(t, err)
	require.Len(t, data.Todos, 1)
	assert.Equal(t, "write tests", data.Todos[0].Title)
	assert.Equal(t, "2024-05-01", *data.Todos[0].Due)
	assert.Equal(t, "test", data.Todos[0].Tags[1].Label)

	err = client.MakeRequest(context.Background(), &graphql.Request{
		OpName: "Bad", Query: `mutation Bad { insert_tags_one(object: {todo_id: 3, label: "x"}) { id } }`,
	}, &graphql.Response{Data: &data})
	require.Error(t, err)
	assert.Contains(t, err.Error(), errCheckFailed)
}
