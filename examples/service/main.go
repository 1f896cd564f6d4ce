// Command service is a small HTTP API whose handlers call Hasura as the
// signed-in Clerk user who sent the request.
//
// The clerkhasura middleware verifies each request's Clerk token
// (Authorization: Bearer) and gives the handler a Client for its user.
// How that Client gets its Hasura tokens is the rung of a ladder past
// Clerk's rate limit, chosen by -rung or CLERKHASURA_RUNG:
//
//	1  (default) the browser sends its session token; one SessionTokens
//	   cache mints each session's Hasura tokens through Clerk's Backend
//	   API, once per token lifetime
//	2  the browser sends getToken({ template: 'hasura' }); the service
//	   forwards it to Hasura, and calls Clerk for no session
//	3  the browser sends its session token; the service signs the
//	   session's Hasura tokens with its own key (CLERKHASURA_SIGNING_KEY,
//	   for the issuer CLERKHASURA_ISSUER), and publishes the public key at
//	   /.well-known/hasura-jwks.json for HASURA_GRAPHQL_JWT_SECRETS
//
// Routes:
//
//	GET  /me        the caller's row
//	PUT  /me        create or rename the caller's row: {"name": "…"}
//	POST /me/seen   set the caller's last_seen to now
//	GET  /users     the rows the caller may see; ?name=<LIKE pattern>&limit=<n>
//	GET  /healthz   200, without authentication
//	POST /webhooks/clerk  Clerk's webhooks (with CLERK_WEBHOOK_SECRET)
//	GET  /.well-known/hasura-jwks.json  the public keys (rung 3)
//
// Errors come back as JSON with a status for their class, as
// middleware.WriteError maps them: 401 for a missing, invalid or expired
// token or an ended session, 403 when Hasura's permissions refuse, 404 for
// a row that is absent or not the caller's, 503 (with Retry-After) when
// Clerk is unavailable or rate limits, 502 when Hasura refuses the token
// or the operation (a configuration problem).
//
// It is configured by the environment: CLERK_SECRET_KEY and
// HASURA_GRAPHQL_ENDPOINT (Hasura's base URL, such as
// https://my-project.hasura.app, or its /v1/graphql endpoint),
// CLERK_AUTHORIZED_PARTIES (the frontend origins allowed, comma-separated,
// such as https://app.example.com), CLERK_PUBLISHABLE_KEY (the instance's
// pk_live_… or pk_test_…: only tokens it issued are accepted),
// CLERK_WEBHOOK_SECRET (the whsec_… signing secret of a Clerk webhook
// endpoint pointed at /webhooks/clerk and subscribed to session.ended,
// session.revoked and session.removed: a revoked session is then refused
// at once rather than when its tokens expire), ADDR (default ":8080"),
// CLERK_JWT_TEMPLATE (default "hasura"), CLERK_API_URL (default
// https://api.clerk.com/v1), and CLERKHASURA_RUNG:
//
//	CLERK_SECRET_KEY=sk_test_… HASURA_GRAPHQL_ENDPOINT=https://my-project.hasura.app \
//	CLERK_AUTHORIZED_PARTIES=http://localhost:3000 go run ./examples/service -rung 2
//
// With neither CLERK_SECRET_KEY nor HASURA_GRAPHQL_ENDPOINT set, it runs on
// in-process fakes of Clerk and Hasura, whose clock stands still, and
// prints on standard output a bare curl command, and nothing else, that
// calls GET /me as their user (its token a fake's, valid while the demo
// runs):
//
//	go run ./examples/service -rung 3
//
// It logs each request as JSON on stderr, without headers or tokens, and
// on SIGINT or SIGTERM stops accepting connections and finishes the
// requests under way before it exits.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"
)

// shutdownTimeout bounds how long requests under way may take to finish
// once a signal arrived.
const shutdownTimeout = 15 * time.Second

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program: it serves until ctx ends and returns the exit
// status, 2 for a bad configuration. Without CLERK_SECRET_KEY and
// HASURA_GRAPHQL_ENDPOINT it runs on in-process fakes and prints to stdout
// a curl command that calls it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	var demo *fakes
	switch key, endpoint := getenv("CLERK_SECRET_KEY"), getenv("HASURA_GRAPHQL_ENDPOINT"); {
	case key == "" && endpoint == "":
		rung, err := rungFlag(args, getenv)
		if err != nil {
			fmt.Fprintln(stderr, err)
			return 2
		}
		if demo, err = startFakes(rung); err != nil {
			fmt.Fprintln(stderr, "service:", err)
			return 1
		}
		defer demo.Close()
		getenv = demo.getenv(getenv)
	case key == "":
		fmt.Fprintln(stderr, "service: CLERK_SECRET_KEY is not set (set it and HASURA_GRAPHQL_ENDPOINT, or neither to run on in-process fakes)")
		return 2
	}
	cfg, err := parseConfig(args, getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	if demo != nil {
		cfg.clock = demo.clock
	}
	svc, err := newService(cfg, log)
	if err != nil {
		if _, ok := err.(*configError); ok {
			fmt.Fprintln(stderr, err)
		} else {
			fmt.Fprintln(stderr, "service:", err)
		}
		return 2
	}
	defer svc.Close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "service:", err)
		return 1
	}
	if demo != nil {
		// The curl line alone on stdout, ready to run or to capture; the
		// words for people go to stderr.
		fmt.Fprintf(stderr, "Running on in-process fakes of Clerk and Hasura (rung %d); time stands still for them. Try the curl line printed on standard output.\n", cfg.rung)
		fmt.Fprintln(stdout, demo.curl(ln.Addr().String()))
	}
	if err := serve(ctx, ln, newHandler(svc), log); err != nil {
		log.Error("server stopped", "err", err)
		return 1
	}
	return 0
}

// serve answers requests on ln until ctx ends, then shuts the server down
// gracefully: no new connections, requests under way finish.
func serve(ctx context.Context, ln net.Listener, h http.Handler, log *slog.Logger) error {
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	failed := make(chan error, 1)
	go func() { failed <- srv.Serve(ln) }()
	log.Info("listening", "addr", ln.Addr().String())

	select {
	case err := <-failed:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down: finishing the requests under way")
	shutdownCtx, cancel := context.WithTimeout(context.WithoutCancel(ctx), shutdownTimeout)
	defer cancel()
	err := srv.Shutdown(shutdownCtx)
	if served := <-failed; !errors.Is(served, http.ErrServerClosed) {
		err = errors.Join(err, served)
	}
	if err != nil {
		return err
	}
	log.Info("stopped")
	return nil
}
