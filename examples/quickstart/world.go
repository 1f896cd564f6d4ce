package main

import (
	"context"
	"fmt"
	"net/http"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// fakeLifetime is how long the fake Clerk's "hasura" template makes its
// tokens live: short enough to show a refresh within seconds. Clerk's
// templates default to 60 s. It is the template's lifetime, not a
// lifetime asked for with each token: Clerk, and the fake with it, refuses
// an expires_in_seconds under 30.
const fakeLifetime = 3 * time.Second

// realLifetime is the lifetime asked of a real Clerk for the refresh step:
// the shortest Clerk allows.
const realLifetime = 30 * time.Second

// fakeTemplates are the fake Clerk's JWT templates: Clerk's Hasura
// template, living fakeLifetime.
func fakeTemplates() map[string]clerkhasuratest.Template {
	tpl := clerkhasuratest.HasuraTemplate()
	tpl.Lifetime = fakeLifetime
	return map[string]clerkhasuratest.Template{defaultTemplate: tpl}
}

// world is where the flow runs: the services and the session it acts for.
type world struct {
	header     []string // what the transcript says about the services
	footer     []string // what it says at the end
	sessions   *session.Client
	endpoint   string
	httpClient *http.Client // nil: the default
	sessionID  string
	template   string
	// lifetime is asked of Clerk for each token; 0 means the template's.
	lifetime time.Duration
	// otherUserID is a user whose row the caller must not see.
	otherUserID string
	// cleanup ends what the world started; never nil.
	cleanup func(context.Context)
}

// fakeWorld starts a fake Clerk whose "hasura" template mints tokens
// living fakeLifetime and a fake Hasura trusting it, with rows for Alice
// and Bob and a session for Alice; st's Close stops them.
func fakeWorld(st *clerkhasuratest.StandaloneTester) world {
	fc := clerkhasuratest.NewClerk(st, &clerkhasuratest.ClerkOptions{Templates: fakeTemplates()})
	fh := clerkhasuratest.NewHasura(st, &clerkhasuratest.HasuraOptions{
		JWKURL:     fc.JWKSURL(),
		HTTPClient: fc.HTTPClient(),
	})
	alice, bob := "Alice", "Bob"
	fh.Seed(
		clerkhasuratest.UserRow{ID: "user_alice", Name: &alice, LastSeenText: "2024-05-01T10:20:30.5"},
		clerkhasuratest.UserRow{ID: "user_bob", Name: &bob, LastSeenText: "2024-05-02T08:00:00"},
	)
	sid := fc.CreateSession("user_alice")
	return world{
		header: []string{
			"clerkhasura quickstart, on an in-process fake Clerk and fake Hasura",
			fmt.Sprintf("Clerk:   %s (fake), JWT template %q, tokens live %s", fc.URL(), defaultTemplate, fakeLifetime),
			fmt.Sprintf("Hasura:  %s (fake), trusting the fake Clerk's JWKS", fh.Endpoint()),
			fmt.Sprintf("users:   Alice (user_alice, signed in: session %s) and Bob (user_bob)", sid),
		},
		footer: []string{
			"To run it on your Clerk instance and Hasura project, set CLERK_SECRET_KEY, HASURA_GRAPHQL_ENDPOINT",
			"and CLERK_SESSION_ID (or CLERK_USER_ID, on a development instance): see README.md.",
		},
		sessions:    fc.SessionClient(),
		endpoint:    fh.Endpoint(),
		httpClient:  fh.HTTPClient(),
		sessionID:   sid,
		template:    defaultTemplate,
		otherUserID: "user_bob",
		cleanup:     func(context.Context) {},
	}
}

// realWorld connects to the Clerk instance and Hasura project of cfg. For
// a user ID it creates a session, which it revokes on cleanup; Clerk
// allows that on development instances only.
func realWorld(ctx context.Context, cfg config) (world, error) {
	// Clerk's answers are a few kilobytes; a proxy's error page may not be.
	bc := clerk.BackendConfig{Key: clerk.String(cfg.secretKey), HTTPClient: &http.Client{
		Timeout: 10 * time.Second, Transport: clerkhasura.LimitResponseBodies(nil, 0)}}
	if cfg.apiURL != "" {
		bc.URL = clerk.String(cfg.apiURL)
	}
	sessions := session.NewClient(&clerk.ClientConfig{BackendConfig: bc})
	w := world{
		sessions:    sessions,
		endpoint:    cfg.endpoint,
		sessionID:   cfg.sessionID,
		template:    cfg.template,
		lifetime:    realLifetime,
		otherUserID: "user_other",
		cleanup:     func(context.Context) {},
	}
	who := fmt.Sprintf("session %s (from %s)", cfg.sessionID, envSession)
	if cfg.userID != "" {
		s, err := sessions.Create(ctx, &session.CreateParams{UserID: cfg.userID})
		if err != nil {
			return world{}, fmt.Errorf("creating a session for %s (development instances only): %w", cfg.userID, err)
		}
		w.sessionID = s.ID
		w.cleanup = func(ctx context.Context) {
			// A session per run would pile up on the user.
			_, _ = sessions.Revoke(ctx, &session.RevokeParams{ID: s.ID})
		}
		who = fmt.Sprintf("session %s, created for %s and revoked at the end", s.ID, cfg.userID)
	}
	api := "https://api.clerk.com/v1"
	if cfg.apiURL != "" {
		api = cfg.apiURL
	}
	w.header = []string{
		"clerkhasura quickstart on your Clerk instance and Hasura project",
		fmt.Sprintf("Clerk:   %s, JWT template %q", api, cfg.template),
		fmt.Sprintf("Hasura:  %s", cfg.endpoint),
		fmt.Sprintf("caller:  %s", who),
	}
	return w, nil
}
