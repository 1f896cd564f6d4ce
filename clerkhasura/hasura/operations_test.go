package hasura_test

import (
	"context"
	"encoding/json"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// clOperationVariables are the variables each operation of
// graphql/operations.json runs with, as user_alice, whose row exists.
var clOperationVariables = map[string]map[string]any{
	"GetUser": {"id": "user_alice"},
	"ListUsers": {
		"where":   map[string]any{"name": map[string]any{"_like": "A%"}},
		"orderBy": []any{map[string]any{"id": "asc"}},
		"limit":   10,
		"offset":  0,
	},
	"TouchLastSeen": {"id": "user_alice"},
	"UpsertUser":    {"object": map[string]any{"id": "user_alice", "name": "Alice"}},
	"UpdateUser":    {"id": "user_alice", "set": map[string]any{"name": "Alice", "last_seen": "2024-05-01T10:20:30.5"}},
	"WatchUser":     {"id": "user_alice"},
}

// TestEveryOperationRunsOnTheFake validates every document genqlient sends
// (graphql/operations.json) against the schema, then runs it as user_alice
// on a fake Hasura, which validates it again and executes it: queries and
// mutations over HTTP, the subscription over a websocket.
func TestEveryOperationRunsOnTheFake(t *testing.T) {
	b, err := os.ReadFile("../../graphql/operations.json")
	require.NoError(t, err)
	var exported struct {
		Operations []struct {
			OperationName string `json:"operationName"`
			Query         string `json:"query"`
		} `json:"operations"`
	}
	require.NoError(t, json.Unmarshal(b, &exported))
	require.NotEmpty(t, exported.Operations)

	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: hgql.Schema})
	require.NoError(t, err)

	w := newClWorld(t)
	w.hasura.InsertUser("user_alice", clName("Alice"), w.hasuraClock.Now())
	src := w.source(t, "user_alice")
	c, err := hasura.NewClient(w.hasura.Endpoint(), src, nil)
	require.NoError(t, err)

	for _, op := range exported.Operations {
		t.Run(op.OperationName, func(t *testing.T) {
			doc, errs := gqlparser.LoadQueryWithRules(schema, op.Query, nil)
			require.Empty(t, errs)
			require.Len(t, doc.Operations, 1)
			vars, ok := clOperationVariables[op.OperationName]
			require.True(t, ok, "no variables for %s: add them to clOperationVariables", op.OperationName)
			req := &graphql.Request{OpName: op.OperationName, Query: op.Query, Variables: vars}

			var data map[string]json.RawMessage
			if doc.Operations[0].Operation == ast.Subscription {
				// The subscription client reads token expiries on the system
				// clock, so its tokens are anchored there.
				subSrc := sources.Session(t, w.clerk.SessionClient(), w.clerk.CreateSession("user_alice"), clerkhasuratest.DefaultTemplateName, nil)
				data = clRunSubscription(t, w.hasura.Endpoint(), subSrc, req)
			} else {
				resp := &graphql.Response{Data: &data}
				require.NoError(t, c.GraphQL().MakeRequest(context.Background(), req, resp))
			}
			require.Len(t, data, 1, "one root field")
			for field, row := range data {
				assert.NotEqual(t, "null", string(row), "%s returned null", field)
				assert.Contains(t, string(row), "last_seen")
			}
		})
	}
}

// clRunSubscription starts req and returns the data of its first result.
func clRunSubscription(t *testing.T, endpoint string, src clerkhasura.TokenSource, req *graphql.Request) map[string]json.RawMessage {
	t.Helper()
	sc, err := subscription.New(endpoint, src, nil)
	require.NoError(t, err)
	defer func() { require.NoError(t, sc.Close()) }()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, err = sc.Start(ctx)
	require.NoError(t, err)

	type result struct {
		data map[string]json.RawMessage
		err  error
	}
	results := make(chan result, 1)
	forward := func(ch any, msg json.RawMessage) error {
		var resp struct {
			Data   map[string]json.RawMessage `json:"data"`
			Errors []json.RawMessage          `json:"errors"`
		}
		err := json.Unmarshal(msg, &resp)
		if err == nil && len(resp.Errors) > 0 {
			err = &clSubscriptionError{strings.TrimSpace(string(resp.Errors[0]))}
		}
		select {
		case ch.(chan result) <- result{resp.Data, err}:
		default:
		}
		return nil
	}
	_, err = sc.SubscribeContext(ctx, req, results, forward)
	require.NoError(t, err)
	select {
	case r := <-results:
		require.NoError(t, r.err)
		return r.data
	case <-ctx.Done():
		t.Fatalf("no result from subscription %s", req.OpName)
		return nil
	}
}

type clSubscriptionError struct{ msg string }

func (e *clSubscriptionError) Error() string { return "subscription error: " + e.msg }
