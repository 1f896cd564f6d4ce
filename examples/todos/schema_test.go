package main

import (
	"context"
	"encoding/json"
	"flag"
	"os"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/introspection"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

var update = flag.Bool("update", false, "rewrite schema.graphql with the schema the fake Hasura serves")

// TestSchemaUpToDate: schema.graphql is the schema the role user sees on
// a Hasura serving ./hasura, as clerkhasura/cmd/hasura-schema writes it:
// signed in through signin, introspected with introspection.Query, printed
// by introspection.SDL. After a change to ./hasura, run
//
//	go test ./examples/todos -run TestSchemaUpToDate -update
//	go generate ./examples/todos/...
func TestSchemaUpToDate(t *testing.T) {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	f, err := startFakes(&st)
	require.NoError(t, err)
	ctx := context.Background()
	s, err := signin.SignIn(ctx, f.env, signin.Identity{UserID: "user_schema"})
	require.NoError(t, err)
	defer func() { assert.NoError(t, s.Close(ctx)) }()
	hc, err := hasura.NewClient(f.env.Endpoint, s.Tokens, nil)
	require.NoError(t, err)

	var data json.RawMessage
	err = hc.GraphQL().MakeRequest(ctx, &graphql.Request{OpName: "IntrospectionQuery", Query: introspection.Query}, &graphql.Response{Data: &data})
	require.NoError(t, err)
	sdl, err := introspection.SDL(data)
	require.NoError(t, err)

	if *update {
		require.NoError(t, os.WriteFile("schema.graphql", sdl, 0o644))
	}
	committed, err := os.ReadFile("schema.graphql")
	require.NoError(t, err)
	assert.Equal(t, string(sdl), string(committed), "schema.graphql is stale: run go test ./examples/todos -run TestSchemaUpToDate -update, then go generate ./examples/todos/...")
}
