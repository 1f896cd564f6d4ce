// Command hasura-schema writes the GraphQL schema a Clerk user's Hasura
// role sees, as the SDL genqlient generates typed Go code from. It signs
// in as the user, with a token from the user's Clerk JWT template, runs
// Hasura's introspection query with it, and prints the answer with
// gqlparser's formatter in a stable order: the schema block, then the
// directives and types sorted by name, their fields, arguments and enum
// values in Hasura's order, which is by name. Fetching the same schema
// again gives the same bytes, so a schema file in version control
// changes only where Hasura's schema did.
//
//	go run github.com/clerkhasura/clerkhasura-go/clerkhasura/cmd/hasura-schema -user user_… -o schema.graphql
//
// -session acts for an existing Clerk session. -user creates a session
// for the user and revokes it at the end; Clerk allows that on
// development instances only. -role asks for another of the token's
// allowed roles (x-hasura-role). The environment names the services, as
// for examples/hasura-as: CLERK_SECRET_KEY and HASURA_GRAPHQL_ENDPOINT
// (required; Hasura's base URL, as the Hasura CLI reads it, or its
// /v1/graphql URL), CLERK_JWT_TEMPLATE (default "hasura") and
// CLERK_API_URL (default https://api.clerk.com/v1).
//
// # With genqlient
//
// Fetch the schema once, commit it, and let go generate run genqlient on
// it; fetch it again when the Hasura project changes:
//
//	//go:generate go run github.com/clerkhasura/clerkhasura-go/clerkhasura/cmd/hasura-schema -user user_… -o schema.graphql
//	//go:generate go run github.com/Khan/genqlient
//
// with genqlient.yaml naming schema.graphql, and bindings for Hasura's
// scalars (timestamptz, uuid, jsonb…) that the role's schema uses. The
// first line needs the environment above; leave it out of go generate to
// generate code offline from the committed schema.
//
// # Exit status
//
//   - 0: the schema was written.
//   - 1: Clerk or Hasura failed: the Clerk session is gone, the secret key
//     is refused, a service cannot be reached or answers a server error,
//     the run timed out, or the schema Hasura sent is not valid.
//   - 2: the command line or environment is wrong, or Hasura refuses what
//     they ask for: introspection is disabled for the role (the project's
//     metadata/graphql_schema_introspection.yaml), the endpoint is not
//     Hasura's GraphQL endpoint, or Hasura refuses the token or the role.
//
// Each error is one line on standard error. Tokens and keys are never
// printed, nor the body of an answer that is not Hasura's.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

const usageHead = `usage: hasura-schema (-session SESSION_ID | -user USER_ID) [-role ROLE] [-o FILE] [flags]

Writes the GraphQL schema (SDL) that Hasura shows a Clerk user's role, as
genqlient reads it, in a stable order: types sorted by name.

` + signin.EnvHelp + `
Exit status: 0 success; 1 Clerk or Hasura failed; 2 usage error, or Hasura
refuses: introspection disabled for the role, not a Hasura GraphQL
endpoint, token or role refused.

Flags:
`

// Exit statuses.
const (
	exitOK      = 0
	exitFailed  = 1
	exitRefused = 2
)

// invocation is what the command line and the environment ask for.
type invocation struct {
	id      signin.Identity
	role    string
	out     string // "" or "-": stdout
	timeout time.Duration
	env     signin.Env
}

// run is the program: it returns the exit status.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	inv, err := parseArgs(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return exitOK
	}
	if err != nil {
		fmt.Fprintf(stderr, "hasura-schema: %v (run hasura-schema -h for help)\n", err)
		return exitRefused
	}
	out, err := openOutput(inv.out, stdout)
	if err != nil {
		fmt.Fprintf(stderr, "hasura-schema: %v\n", err)
		return exitRefused
	}
	defer out.discard()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, inv.timeout)
	defer cancel()
	sdl, err := fetch(ctx, inv, stderr)
	if err != nil {
		fmt.Fprintf(stderr, "hasura-schema: %v\n", err)
		return statusOf(err)
	}
	if err := out.commit(sdl); err != nil {
		fmt.Fprintf(stderr, "hasura-schema: %v\n", err)
		return exitFailed
	}
	return exitOK
}

// parseArgs reads the flags and the environment. For -h it writes the
// help to stdout and returns flag.ErrHelp.
func parseArgs(args []string, getenv func(string) string, stdout io.Writer) (invocation, error) {
	var inv invocation
	fs := flag.NewFlagSet("hasura-schema", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	inv.id.AddFlags(fs)
	fs.StringVar(&inv.role, "role", "", "fetch the schema of this Hasura `role` (x-hasura-role), one of the token's allowed roles")
	fs.StringVar(&inv.out, "o", "", "write the schema to this `file` (\"-\": standard output, the default)")
	fs.DurationVar(&inv.timeout, "timeout", 30*time.Second, "give up after this `duration`")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usageHead)
			fs.SetOutput(stdout)
			fs.PrintDefaults()
		}
		return inv, err
	}
	if err := inv.id.Check(); err != nil {
		return inv, err
	}
	switch {
	case fs.NArg() > 0:
		return inv, fmt.Errorf("unexpected argument %q", fs.Arg(0))
	case inv.timeout <= 0:
		return inv, errors.New("-timeout must be positive")
	}
	env, err := signin.ReadEnv(getenv)
	inv.env = env
	return inv, err
}
