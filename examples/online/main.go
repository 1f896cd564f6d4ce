// Command online shows a user as online: it watches the user's own row of
// Hasura's users table over a websocket subscription while another
// request touches its last_seen every few hundred milliseconds, across
// several token lifetimes, and reports whether every touch arrived.
//
// Clerk's tokens live 60 s and Hasura drops a websocket when its token
// expires; the subscription client switches to a fresh token before that
// happens, so the watch sees every change without a gap.
//
// With no environment set it runs on an in-process fake Clerk and fake
// Hasura whose tokens live 3 s, and finishes in about ten seconds:
//
//	go run ./examples/online
//
// With CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and CLERK_SESSION_ID set
// (and optionally CLERK_JWT_TEMPLATE, default "hasura") it runs on the
// real services, for two and a half token lifetimes by default:
//
//	CLERK_SECRET_KEY=sk_test_… HASURA_GRAPHQL_ENDPOINT=https://…/v1/graphql \
//	CLERK_SESSION_ID=sess_… go run ./examples/online -duration 150s
//
// A bad flag, or some of the three variables set and not all, is reported
// on one line and exits with status 2; a failure on the way, or a touch
// that never arrived, exits with status 1. Tokens and keys are never
// printed.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"

	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// config says where to run and for how long.
type config struct {
	// fakes says to run on in-process fakes, which set the fields below.
	fakes     bool
	endpoint  string
	sessions  *session.Client
	sessionID string
	template  string
	// duration is how long last_seen is touched; touchEvery how often.
	duration   time.Duration
	touchEvery time.Duration
}

// summary is what a run observed.
type summary struct {
	Touches     int // last_seen updates made
	Seen        int // of them, delivered by the subscription
	Events      int // events delivered, the initial state included
	SwitchOvers uint64
	Reconnects  uint64
}

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	code := run(ctx, os.Args[1:], os.Getenv, os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// run is the program: it reads its flags from args and the environment
// through getenv, and returns the exit status. Returning rather than
// exiting lets the deferred cleanup close the fakes and the clients.
func run(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) int {
	flags := flag.NewFlagSet("online", flag.ContinueOnError)
	flags.SetOutput(stderr)
	duration := flags.Duration("duration", 0, "how long to touch last_seen (default: 3 token lifetimes on the fakes, 150s on real services)")
	if err := flags.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	cfg, err := configure(getenv)
	if err != nil {
		fmt.Fprintln(stderr, "online:", err)
		return 2
	}
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	if cfg.fakes {
		if cfg, err = startFakes(&st, 3*time.Second); err != nil {
			fmt.Fprintln(stderr, "online:", err)
			return 1
		}
	}
	if *duration > 0 {
		cfg.duration = *duration
	}
	s, err := watch(ctx, cfg, stdout)
	if err != nil {
		fmt.Fprintln(stderr, "online:", err)
		return 1
	}
	if s.Seen < s.Touches {
		fmt.Fprintf(stderr, "online: %d of %d touches never arrived\n", s.Touches-s.Seen, s.Touches)
		return 1
	}
	return 0
}

// configure reads the environment: real services when all three variables
// are set, in-process fakes when none is.
func configure(getenv func(string) string) (config, error) {
	key, endpoint, sid := getenv("CLERK_SECRET_KEY"), getenv("HASURA_GRAPHQL_ENDPOINT"), getenv("CLERK_SESSION_ID")
	switch {
	case key == "" && endpoint == "" && sid == "":
		return config{fakes: true}, nil
	case key == "" || endpoint == "" || sid == "":
		return config{}, errors.New("set all of CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT and CLERK_SESSION_ID, or none")
	}
	template := getenv("CLERK_JWT_TEMPLATE")
	if template == "" {
		template = "hasura"
	}
	return config{
		endpoint: signin.GraphQLEndpoint(endpoint),
		sessions: session.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{Key: &key, HTTPClient: &http.Client{
			Timeout: 10 * time.Second, Transport: clerkhasura.LimitResponseBodies(nil, 0)}}}),
		sessionID:  sid,
		template:   template,
		duration:   150 * time.Second,
		touchEvery: 2 * time.Second,
	}, nil
}

// watch watches the user's row while touching its last_seen, and prints
// what happens to w.
func watch(ctx context.Context, cfg config, w io.Writer) (summary, error) {
	var s summary
	// The subscription asks for a token on every connection: an uncached
	// source mints exactly one each time.
	src, err := clerkhasura.NewSessionTokenSource(cfg.sessions, cfg.sessionID, cfg.template, nil)
	if err != nil {
		return s, err
	}
	subs, err := subscription.New(cfg.endpoint, src, nil)
	if err != nil {
		return s, err
	}
	defer subs.Close()
	if _, err := subs.Start(ctx); err != nil {
		return s, err
	}

	// The other request: a typed client with a token cache of its own.
	cache, err := clerkhasura.NewCachedTokenSource(src, nil)
	if err != nil {
		return s, err
	}
	defer cache.Close()
	api, err := hasura.NewClient(cfg.endpoint, cache, nil)
	if err != nil {
		return s, err
	}
	if _, err := api.Me(ctx); errors.Is(err, hasura.ErrNotFound) {
		_, err = api.UpsertMe(ctx, "online example")
		if err != nil {
			return s, err
		}
	} else if err != nil {
		return s, err
	}

	watchCtx, cancel := context.WithCancel(ctx)
	defer cancel()
	events, err := subs.WatchMe(watchCtx)
	if err != nil {
		return s, err
	}

	start := time.Now()
	pending := map[time.Time]bool{} // last_seen values written, not yet seen
	touch := time.NewTicker(cfg.touchEvery)
	defer touch.Stop()
	done := time.After(cfg.duration)
	var grace <-chan time.Time
	for {
		select {
		case <-touch.C:
			seen, err := api.TouchLastSeen(ctx)
			if err != nil {
				return s, err
			}
			s.Touches++
			pending[seen] = true
		case ev, ok := <-events:
			if !ok {
				return s, ctx.Err()
			}
			if ev.Err != nil {
				return s, ev.Err
			}
			s.Events++
			if ev.User == nil {
				fmt.Fprintf(w, "%6.2fs  no row\n", time.Since(start).Seconds())
				continue
			}
			if pending[ev.User.LastSeen] {
				delete(pending, ev.User.LastSeen)
				s.Seen++
			}
			fmt.Fprintf(w, "%6.2fs  %s is online, last seen %s (connection switch-overs so far: %d)\n",
				time.Since(start).Seconds(), ev.User.ID, ev.User.LastSeen.Format("15:04:05.000"), subs.Stats().Rotations)
			if grace != nil && len(pending) == 0 {
				return report(s, subs, w), nil
			}
		case <-done:
			touch.Stop()
			done = nil
			if len(pending) == 0 {
				return report(s, subs, w), nil
			}
			grace = time.After(10 * time.Second)
		case <-grace:
			return report(s, subs, w), nil
		case <-ctx.Done():
			return s, ctx.Err()
		}
	}
}

func report(s summary, subs *subscription.Client, w io.Writer) summary {
	st := subs.Stats()
	s.SwitchOvers, s.Reconnects = st.Rotations, st.Reconnects
	fmt.Fprintf(w, "%d of %d touches seen; %d switch-overs to fresh tokens, %d reconnects\n",
		s.Seen, s.Touches, s.SwitchOvers, s.Reconnects)
	return s
}
