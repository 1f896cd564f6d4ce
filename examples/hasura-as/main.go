// Command hasura-as runs a GraphQL operation on Hasura as a Clerk user,
// with a token from the user's Clerk JWT template, and prints the result's
// data as indented JSON: a way to see what a user's role may read and
// change, exactly as the user would.
//
//	hasura-as -session sess_… -query '{ users { id name last_seen } }'
//	hasura-as -user user_… -vars '{"id": "user_…"}' get_user.graphql
//
// -session acts for an existing Clerk session. -user creates a session for
// the user and revokes it at the end; Clerk allows that on development
// instances only. The environment names the services: CLERK_SECRET_KEY and
// HASURA_GRAPHQL_ENDPOINT (required; Hasura's base URL, as the Hasura CLI
// reads it, or its /v1/graphql URL), CLERK_JWT_TEMPLATE (default
// "hasura") and CLERK_API_URL (default https://api.clerk.com/v1).
//
// Hasura's errors are written to stderr, with their code and path. The exit
// status is 0 on success, 1 when Clerk or Hasura fail or the operation
// has errors, and 2 for a usage error. Tokens and keys are never printed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

func main() {
	os.Exit(run(os.Args[1:], os.Getenv, os.Stdout, os.Stderr))
}

const usageHead = `usage: hasura-as (-session SESSION_ID | -user USER_ID) (-query QUERY | FILE) [flags]

Runs a GraphQL operation on Hasura as a Clerk user, with a token minted from
the user's Clerk JWT template, and prints the result's data as indented JSON.

` + signin.EnvHelp + `
Exit status: 0 success; 1 Clerk, Hasura or GraphQL error; 2 usage error.

Flags:
`

// invocation is what the command line and the environment ask for.
type invocation struct {
	id           signin.Identity
	query        string
	vars         []byte // a JSON object, or nil
	opName, role string
	timeout      time.Duration
	env          signin.Env
}

// usageError is a mistake in the invocation: exit status 2.
type usageError struct{ msg string }

func (e *usageError) Error() string { return e.msg }

// run is the program: it returns the exit status.
func run(args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	inv, err := parseArgs(args, getenv, stdout)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "hasura-as: %v (run hasura-as -h for help)\n", err)
		return 2
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	ctx, cancel := context.WithTimeout(ctx, inv.timeout)
	defer cancel()
	return execute(ctx, inv, stdout, stderr)
}

// parseArgs reads the flags, the query and the environment. For -h it
// writes the help to stdout and returns flag.ErrHelp.
func parseArgs(args []string, getenv func(string) string, stdout io.Writer) (invocation, error) {
	var inv invocation
	var vars string
	fs := flag.NewFlagSet("hasura-as", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	inv.id.AddFlags(fs)
	fs.StringVar(&inv.query, "query", "", "the GraphQL `document`, instead of a FILE")
	fs.StringVar(&vars, "vars", "", "the operation's variables, a JSON `object`")
	fs.StringVar(&inv.opName, "op", "", "the `name` of the operation to run, when the document holds several")
	fs.StringVar(&inv.role, "role", "", "run as this Hasura `role` (x-hasura-role), one of the token's allowed roles")
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
		return inv, &usageError{err.Error()}
	}
	switch {
	case fs.NArg() > 1:
		return inv, &usageError{"more than one FILE given"}
	case fs.NArg() == 1 && inv.query != "":
		return inv, &usageError{"-query and FILE exclude each other"}
	case fs.NArg() == 0 && inv.query == "":
		return inv, &usageError{"a query is required: -query or FILE"}
	case inv.timeout <= 0:
		return inv, &usageError{"-timeout must be positive"}
	}
	if fs.NArg() == 1 {
		b, err := os.ReadFile(fs.Arg(0))
		if err != nil {
			return inv, &usageError{"reading the query: " + err.Error()}
		}
		inv.query = string(b)
	}
	if strings.TrimSpace(inv.query) == "" {
		return inv, &usageError{"the query is empty"}
	}
	if vars != "" {
		if !isJSONObject(vars) {
			return inv, &usageError{"-vars is not a JSON object"}
		}
		inv.vars = []byte(vars)
	}
	env, err := signin.ReadEnv(getenv)
	if err != nil {
		return inv, &usageError{err.Error()}
	}
	inv.env = env
	return inv, nil
}
