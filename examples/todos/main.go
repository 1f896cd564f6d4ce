// Command todos walks through typed operations on a table of your own:
// the todos of examples/todos/hasura, each owned by a user. It signs in as
// a Clerk user, adds a todo, lists the user's todos, marks one done, shows
// that another user's todo stays out of reach, and deletes what it added,
// with the functions genqlient generated from the schema Hasura shows the
// role user (schema.graphql, fetched with clerkhasura/cmd/hasura-schema).
//
// With no environment it runs on an in-process fake Clerk and a fake
// Hasura serving ./hasura, with users Alice, who signs in, and Bob, each
// with a todo:
//
//	go run ./examples/todos
//
// With CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and either
// CLERK_SESSION_ID or CLERK_USER_ID set it runs on your Clerk instance
// and on a Hasura to which ./hasura was applied (hasura deploy). Hasura's
// base URL or its /v1/graphql URL will do. CLERK_USER_ID makes it create a
// session for that user, which Clerk allows on development instances
// only. CLERK_JWT_TEMPLATE names the template (default "hasura"),
// CLERK_API_URL the Backend API (default https://api.clerk.com/v1).
//
// Missing or contradictory settings are reported on one line and exit
// with status 2; a failure on the way exits with status 1. Tokens and
// keys are never printed.
package main

//go:generate go tool genqlient

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program: it reads the environment through getenv and
// returns the exit status.
func run(ctx context.Context, getenv func(string) string, stdout, stderr io.Writer) int {
	cfg, err := readConfig(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "todos:", err)
		return 2
	}
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	var other *otherTodo
	if cfg.fakes {
		f, err := startFakes(&st)
		if err != nil {
			fmt.Fprintln(stderr, "todos:", err)
			return 1
		}
		cfg.env, cfg.id, other = f.env, f.signedIn, &f.bobs
		fmt.Fprintf(stdout, "todos example, on an in-process fake Clerk and a fake Hasura serving examples/todos/hasura\n")
		fmt.Fprintf(stdout, "Hasura:  %s (fake)\n", f.hasura.Endpoint())
		fmt.Fprintf(stdout, "users:   Alice (user_alice), signed in, and Bob (user_bob), each with a todo\n")
	} else {
		fmt.Fprintf(stdout, "todos example, on your Clerk instance and Hasura\nHasura:  %s\n", cfg.env.Endpoint)
	}

	s, err := signin.SignIn(ctx, cfg.env, cfg.id)
	if err != nil {
		fmt.Fprintln(stderr, "todos:", err)
		return 1
	}
	defer func() {
		if err := s.Close(ctx); err != nil {
			fmt.Fprintln(stderr, "todos:", err)
		}
	}()
	hc, err := hasura.NewClient(cfg.env.Endpoint, s.Tokens, &hasura.ClientOptions{Timeout: 30 * time.Second})
	if err != nil {
		fmt.Fprintln(stderr, "todos:", err)
		return 1
	}
	if err := runFlow(ctx, stdout, hc, other); err != nil {
		fmt.Fprintln(stderr, "todos:", err)
		return 1
	}
	return 0
}
