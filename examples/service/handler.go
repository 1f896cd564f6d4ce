package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/webhook"
)

// requestTimeout bounds the calls to Clerk and Hasura of one request.
const requestTimeout = 10 * time.Second

// service is what the handlers share: one token cache for every session,
// the middleware that verifies session tokens, and, when configured, the
// handler of Clerk's webhooks that drops the cache of ended sessions.
type service struct {
	tokens  *clerkhasura.SessionTokens
	mw      *middleware.Middleware
	webhook *webhook.Handler // nil without CLERK_WEBHOOK_SECRET
	log     *slog.Logger
}

// newService connects to the Clerk instance and the Hasura project of
// cfg. Close it when done.
func newService(cfg config, log *slog.Logger) (*service, error) {
	// Clerk's answers are a few kilobytes; a proxy's error page may not be.
	bc := clerk.BackendConfig{Key: clerk.String(cfg.secretKey), HTTPClient: &http.Client{
		Timeout: 10 * time.Second, Transport: clerkhasura.LimitResponseBodies(nil, 0)}}
	if cfg.apiURL != "" {
		bc.URL = clerk.String(cfg.apiURL)
	}
	tokens, err := clerkhasura.NewSessionTokens(session.NewClient(&clerk.ClientConfig{BackendConfig: bc}), cfg.template, nil)
	if err != nil {
		return nil, err
	}
	s := &service{log: log, tokens: tokens}
	mw, err := middleware.New(cfg.endpoint, s.tokens, &middleware.Options{
		JWKSClient:        jwks.NewClient(&clerk.ClientConfig{BackendConfig: bc}),
		AuthorizedParties: cfg.parties,
		Issuer:            cfg.publishableKey,
		Logger:            log,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err *middleware.AuthError) {
			if rec := recordOf(r.Context()); rec != nil {
				rec.err = err
			}
			err.ServeHTTP(w, r)
		},
	})
	if err != nil {
		s.tokens.Close()
		return nil, err
	}
	s.mw = mw
	if cfg.webhookSecret != "" {
		s.webhook, err = webhook.NewHandler(cfg.webhookSecret, &webhook.Options{
			Logger: log,
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err *webhook.Error) {
				if rec := recordOf(r.Context()); rec != nil {
					rec.err = err
				}
				err.ServeHTTP(w, r)
			},
		}, s.tokens)
		if err != nil {
			s.tokens.Close()
			return nil, err
		}
	} else {
		log.Warn("CLERK_WEBHOOK_SECRET is not set: a revoked session keeps its cached Hasura token until it expires")
	}
	if cfg.publishableKey == "" {
		log.Warn("CLERK_PUBLISHABLE_KEY is not set: session tokens of any Clerk instance whose key verifies are accepted")
	}
	if len(cfg.parties) == 0 {
		log.Warn("CLERK_AUTHORIZED_PARTIES is not set: session tokens from any origin are accepted")
	}
	return s, nil
}

// Close stops the token cache.
func (s *service) Close() { s.tokens.Close() }

// newHandler is the service's API:
//
//	GET  /me        the caller's row
//	PUT  /me        create or rename the caller's row: {"name": "…"}
//	POST /me/seen   set the caller's last_seen to now
//	GET  /users     the rows the caller may see; ?name=<LIKE pattern>&limit=<n>
//	GET  /healthz   200, without authentication
//	POST /webhooks/clerk  Clerk's webhooks, when CLERK_WEBHOOK_SECRET is set
//
// Every route but /healthz and the webhook, which Svix signs, needs a
// Clerk session token. Each request is logged, without its headers.
func newHandler(s *service) http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("GET /me", getMe)
	api.HandleFunc("PUT /me", putMe)
	api.HandleFunc("POST /me/seen", postSeen)
	api.HandleFunc("GET /users", getUsers)

	root := http.NewServeMux()
	root.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		writeJSON(w, http.StatusOK, map[string]string{"status": "ok"})
	})
	if s.webhook != nil {
		root.Handle("/webhooks/clerk", s.webhook)
	}
	root.Handle("/", s.mw.Handler(withSession(api)))
	return logRequests(s.log, root)
}

// userJSON is a row as the API returns it.
type userJSON struct {
	ID       string     `json:"id"`
	Name     *string    `json:"name"`
	LastSeen *time.Time `json:"last_seen"`
}

func toJSON(u hasura.User) userJSON {
	j := userJSON{ID: u.ID, Name: u.Name}
	if !u.LastSeen.IsZero() {
		j.LastSeen = &u.LastSeen
	}
	return j
}

// client returns the request's Hasura client and a context bounding its
// calls. The middleware puts one in every request it lets through.
func client(r *http.Request) (*hasura.Client, context.Context, context.CancelFunc) {
	hc, ok := middleware.ClientFromContext(r.Context())
	if !ok {
		panic("service: a handler runs outside the clerkhasura middleware")
	}
	ctx, cancel := context.WithTimeout(r.Context(), requestTimeout)
	return hc, ctx, cancel
}

func getMe(w http.ResponseWriter, r *http.Request) {
	hc, ctx, cancel := client(r)
	defer cancel()
	me, err := hc.Me(ctx)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toJSON(*me))
}

func putMe(w http.ResponseWriter, r *http.Request) {
	var body struct {
		Name string `json:"name"`
	}
	if err := json.NewDecoder(io.LimitReader(r.Body, 4096)).Decode(&body); err != nil || body.Name == "" {
		writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad_request", "message": `send {"name": "…"}`})
		return
	}
	hc, ctx, cancel := client(r)
	defer cancel()
	me, err := hc.UpsertMe(ctx, body.Name)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, toJSON(*me))
}

func postSeen(w http.ResponseWriter, r *http.Request) {
	hc, ctx, cancel := client(r)
	defer cancel()
	seen, err := hc.TouchLastSeen(ctx)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, map[string]time.Time{"last_seen": seen})
}

func getUsers(w http.ResponseWriter, r *http.Request) {
	opts := &hasura.UsersOptions{NameLike: r.URL.Query().Get("name")}
	if l := r.URL.Query().Get("limit"); l != "" {
		n, err := strconv.Atoi(l)
		if err != nil || n < 1 {
			writeJSON(w, http.StatusBadRequest, map[string]string{"error": "bad_request", "message": "limit must be a positive integer"})
			return
		}
		opts.Limit = n
	}
	hc, ctx, cancel := client(r)
	defer cancel()
	users, err := hc.Users(ctx, opts)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out := make([]userJSON, len(users))
	for i, u := range users {
		out[i] = toJSON(u)
	}
	writeJSON(w, http.StatusOK, map[string][]userJSON{"users": out})
}
