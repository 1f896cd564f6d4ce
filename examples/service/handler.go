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
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/webhook"
)

// requestTimeout bounds the calls to Clerk and Hasura of one request.
const requestTimeout = 10 * time.Second

// jwksPath is where rung 3 publishes its public keys for Hasura.
const jwksPath = "/.well-known/hasura-jwks.json"

// service is what the handlers share: the middleware that verifies Clerk
// tokens, what makes the sessions' Hasura tokens (one SessionTokens cache
// for every session at rung 1, a Signer at rung 3), and, when configured,
// the handler of Clerk's webhooks that ends sessions at once.
type service struct {
	tokens  *clerkhasura.SessionTokens // rung 1
	signer  *localjwt.Signer           // rung 3
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
	s := &service{log: log}
	opts := &middleware.Options{
		JWKSClient:        jwks.NewClient(&clerk.ClientConfig{BackendConfig: bc}),
		AuthorizedParties: cfg.parties,
		Issuer:            cfg.publishableKey,
		Clock:             cfg.clock,
		Logger:            log,
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err *middleware.AuthError) {
			if rec := recordOf(r.Context()); rec != nil {
				rec.err = err
			}
			err.ServeHTTP(w, r)
		},
	}
	var enders []webhook.SessionEnder
	switch cfg.rung {
	case 1:
		tokens, err := clerkhasura.NewSessionTokens(session.NewClient(&clerk.ClientConfig{BackendConfig: bc}), cfg.template,
			&clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: cfg.clock}})
		if err != nil {
			return nil, err
		}
		s.tokens = tokens
		enders = append(enders, tokens)
	case 2:
		opts.TemplateTokens = true
	case 3:
		signer, err := newSigner(cfg)
		if err != nil {
			return nil, err
		}
		s.signer, opts.Signer = signer, signer
		enders = append(enders, signer)
	}
	mw, err := middleware.New(cfg.endpoint, s.tokens, opts)
	if err != nil {
		s.Close()
		return nil, err
	}
	s.mw = mw
	if cfg.webhookSecret != "" {
		s.webhook, err = webhook.NewHandler(cfg.webhookSecret, &webhook.Options{
			Clock:  cfg.clock,
			Logger: log,
			ErrorHandler: func(w http.ResponseWriter, r *http.Request, err *webhook.Error) {
				if rec := recordOf(r.Context()); rec != nil {
					rec.err = err
				}
				err.ServeHTTP(w, r)
			},
		}, append(enders, mw)...)
		if err != nil {
			s.Close()
			return nil, err
		}
	} else {
		log.Warn("CLERK_WEBHOOK_SECRET is not set: a revoked session is served until its tokens expire")
	}
	if cfg.publishableKey == "" {
		log.Warn("CLERK_PUBLISHABLE_KEY is not set: tokens of any Clerk instance whose key verifies are accepted")
	}
	if len(cfg.parties) == 0 {
		log.Warn("CLERK_AUTHORIZED_PARTIES is not set: tokens from any origin are accepted")
	}
	log.Info("ready", "rung", cfg.rung)
	return s, nil
}

// newSigner is rung 3's Signer: the key of CLERKHASURA_SIGNING_KEY signs
// every token, for the issuer CLERKHASURA_ISSUER. Rotating it means
// listing a second key with the time it starts signing (see
// localjwt.ScheduledKey); one key signs from the start.
func newSigner(cfg config) (*localjwt.Signer, error) {
	key, err := localjwt.ParseKey([]byte(cfg.signingKey))
	if err != nil {
		return nil, &configError{"CLERKHASURA_SIGNING_KEY is not an Ed25519 private key in PEM, as clerkhasura/cmd/hasura-jwt-key prints one"}
	}
	return localjwt.New(&localjwt.Options{
		Issuer: cfg.issuer,
		Keys:   []localjwt.ScheduledKey{{Key: key, SignFrom: time.Unix(0, 0)}},
		Clock:  cfg.clock,
	})
}

// Close stops the token cache.
func (s *service) Close() {
	if s.tokens != nil {
		s.tokens.Close()
	}
}

// newHandler is the service's API:
//
//	GET  /me        the caller's row
//	PUT  /me        create or rename the caller's row: {"name": "…"}
//	POST /me/seen   set the caller's last_seen to now
//	GET  /users     the rows the caller may see; ?name=<LIKE pattern>&limit=<n>
//	GET  /healthz   200, without authentication
//	POST /webhooks/clerk  Clerk's webhooks, when CLERK_WEBHOOK_SECRET is set
//	GET  /.well-known/hasura-jwks.json  the signing keys, at rung 3
//
// Every route but /healthz, the keys and the webhook, which Svix signs,
// needs a Clerk token. Each request is logged, without its headers.
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
	if s.signer != nil {
		// The jwk_url of the service's entry in HASURA_GRAPHQL_JWT_SECRETS.
		root.Handle(jwksPath, s.signer.JWKSHandler(nil))
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
