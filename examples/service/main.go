// Command service is a small HTTP API whose handlers call Hasura as the
// signed-in Clerk user who sent the request.
//
// The clerkhasura middleware verifies each request's Clerk session token
// (Authorization: Bearer), and gives the handler a Client for that
// session; one SessionTokens cache mints the Hasura tokens of every
// session, once per token lifetime.
//
//	GET  /me        the caller's row
//	PUT  /me        create or rename the caller's row: {"name": "…"}
//	POST /me/seen   set the caller's last_seen to now
//	GET  /users     the rows the caller may see; ?name=<LIKE pattern>&limit=<n>
//	GET  /healthz   200, without authentication
//	POST /webhooks/clerk  Clerk's webhooks (with CLERK_WEBHOOK_SECRET)
//
// Errors come back as JSON with a status for their class, as
// middleware.WriteError maps them: 401 for a missing or invalid session
// token or an ended session, 403 when Hasura's permissions refuse, 404 for
// a row that is absent or not the caller's, 503 (with Retry-After) when
// Clerk is unavailable or rate limits, 502 when Hasura refuses the token
// or the operation (a configuration problem).
//
// It is configured by the environment: CLERK_SECRET_KEY and
// HASURA_GRAPHQL_ENDPOINT (required), CLERK_AUTHORIZED_PARTIES (the
// frontend origins allowed, comma-separated, such as
// https://app.example.com), CLERK_PUBLISHABLE_KEY (the instance's
// pk_live_… or pk_test_…: only tokens it issued are accepted),
// CLERK_WEBHOOK_SECRET (the whsec_… signing secret of a Clerk webhook
// endpoint pointed at /webhooks/clerk and subscribed to session.ended,
// session.revoked and session.removed: a revoked session then loses its
// cached Hasura token at once rather than when it expires), ADDR (default
// ":8080"), CLERK_JWT_TEMPLATE (default "hasura") and CLERK_API_URL
// (default https://api.clerk.com/v1):
//
//	CLERK_SECRET_KEY=sk_test_… HASURA_GRAPHQL_ENDPOINT=https://my-project.hasura.app/v1/graphql \
//	CLERK_AUTHORIZED_PARTIES=http://localhost:3000 go run ./examples/service
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
	code := run(ctx, os.Getenv, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program: it serves until ctx ends and returns the exit
// status, 2 for a bad configuration.
func run(ctx context.Context, getenv func(string) string, stderr io.Writer) int {
	cfg, err := parseConfig(getenv)
	if err != nil {
		fmt.Fprintln(stderr, err)
		return 2
	}
	log := slog.New(slog.NewJSONHandler(stderr, nil))
	svc, err := newService(cfg, log)
	if err != nil {
		fmt.Fprintln(stderr, "service:", err)
		return 2
	}
	defer svc.Close()
	ln, err := net.Listen("tcp", cfg.addr)
	if err != nil {
		fmt.Fprintln(stderr, "service:", err)
		return 1
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
