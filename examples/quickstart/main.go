// Command quickstart walks through what clerkhasura does, printing each
// step: it mints a Hasura token from a Clerk JWT template once and reuses
// it, reads the signed-in user's row and not another user's, touches
// last_seen, and refreshes the token before it expires while requests go
// on, with nobody waiting.
//
// With no environment it runs on an in-process fake Clerk and fake
// Hasura, whose tokens live 3 s, and finishes in a few seconds:
//
//	go run ./examples/quickstart
//
// With CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and either
// CLERK_SESSION_ID or CLERK_USER_ID set it runs on your Clerk instance
// and Hasura project (see examples/hasura), asking Clerk for 30 s tokens.
// CLERK_USER_ID makes it create a session for that user, which Clerk
// allows on development instances only. CLERK_JWT_TEMPLATE names the
// template (default "hasura"), CLERK_API_URL the Backend API (default
// https://api.clerk.com/v1).
//
// Missing or contradictory settings are reported on one line and exit
// with status 2; a failure on the way exits with status 1. Tokens and
// keys are never printed.
package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
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
	cfg, err := parseConfig(getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	w, err := setUp(ctx, cfg, &st)
	if err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	defer func() {
		ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
		defer cancel()
		w.cleanup(ctx)
	}()
	if _, err := runFlow(ctx, stdout, w); err != nil {
		fmt.Fprintln(stderr, "quickstart:", err)
		return 1
	}
	return 0
}

// setUp starts the fakes or connects to the real services. The fakes
// report a failure to start by panicking through the StandaloneTester.
func setUp(ctx context.Context, cfg config, st *clerkhasuratest.StandaloneTester) (w world, err error) {
	if !cfg.fakes {
		return realWorld(ctx, cfg)
	}
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("starting the fakes: %v", r)
		}
	}()
	return fakeWorld(st), nil
}
