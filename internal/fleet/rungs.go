package fleet

import (
	"context"
	"errors"
	"net/http"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

// hasuraEndpoint is the endpoint the replicas' clients would call. No
// request reaches it: getting the token is what costs Clerk, and a call to
// Hasura would only add the same work to every rung.
const hasuraEndpoint = "https://hasura.fleet.test/v1/graphql"

// localIssuer is the iss of rung 3's tokens.
const localIssuer = "https://api.fleet.test"

// env is what the replicas of one run share.
type env struct {
	clock *clerkhasuratest.Clock
	key   *localjwt.Key // rung 3's signing key, the same on every replica
	start time.Time
	// verified is each replica's Options.VerifiedTokens: sized for the
	// sessions, as a deployment configures it, since a browser has up to
	// two live session or template tokens.
	verified int
}

// replica is one replica of one rung: its request handler and its own
// caches.
type replica struct {
	handler http.Handler
	close   func()
	stats   func() clerkhasura.Stats // rung 1's token cache; nil for the others
}

// newReplica is the seam between the simulation and the code under test:
// for each rung, the function that builds one replica, with its own caches,
// reaching the Backend API through bc. Every rung is the middleware as a
// service runs it, around a handler that gets the request's Hasura token
// from middleware.ClientFromContext's client, configured for its rung. A
// replica's handler reads the token the browser sent in the Authorization
// header and reports, through outcomeOf, how getting the Hasura token went.
var newReplica = map[Rung]func(e *env, bc clerk.BackendConfig) (*replica, error){
	Mint:    newMintReplica,
	Forward: newForwardReplica,
	Local:   newLocalReplica,
}

// newMintReplica is rung 1: the middleware verifies the session token, and
// the replica's own SessionTokens mints the template token through the
// Backend API.
func newMintReplica(e *env, bc clerk.BackendConfig) (*replica, error) {
	tokens, err := clerkhasura.NewSessionTokens(session.NewClient(&clerk.ClientConfig{BackendConfig: bc}),
		clerkhasuratest.DefaultTemplateName,
		&clerkhasura.SessionTokensOptions{CacheOptions: clerkhasura.CacheOptions{Clock: e.clock}})
	if err != nil {
		return nil, err
	}
	h, err := newMiddlewareHandler(tokens, e.middlewareOptions(bc))
	if err != nil {
		tokens.Close()
		return nil, err
	}
	return &replica{handler: h, close: tokens.Close, stats: tokens.Stats}, nil
}

// newForwardReplica is rung 2: the middleware verifies the browser's
// template token and the handler's client forwards it as is.
func newForwardReplica(e *env, bc clerk.BackendConfig) (*replica, error) {
	opts := e.middlewareOptions(bc)
	opts.TemplateTokens = true
	h, err := newMiddlewareHandler(nil, opts)
	if err != nil {
		return nil, err
	}
	return &replica{handler: h, close: func() {}}, nil
}

// newLocalReplica is rung 3: the middleware verifies the session token,
// and the replica's own localjwt.Signer signs the Hasura token.
func newLocalReplica(e *env, bc clerk.BackendConfig) (*replica, error) {
	signer, err := localjwt.New(&localjwt.Options{
		Issuer: localIssuer,
		Keys:   []localjwt.ScheduledKey{{Key: e.key, SignFrom: e.start.Add(-24 * time.Hour)}},
		Clock:  e.clock,
	})
	if err != nil {
		return nil, err
	}
	opts := e.middlewareOptions(bc)
	opts.Signer = signer
	h, err := newMiddlewareHandler(nil, opts)
	if err != nil {
		return nil, err
	}
	return &replica{handler: h, close: func() {}}, nil
}

// newMiddlewareHandler returns the middleware around a handler that gets
// the request's Hasura token as a handler calling Hasura does: from
// middleware.ClientFromContext's client, whose UserID reads the token's
// claims and calls nothing but the token source.
func newMiddlewareHandler(tokens *clerkhasura.SessionTokens, opts *middleware.Options) (http.Handler, error) {
	mw, err := middleware.New(hasuraEndpoint, tokens, opts)
	if err != nil {
		return nil, err
	}
	return mw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		began := time.Now()
		err := errNoClient
		if hc, ok := middleware.ClientFromContext(r.Context()); ok {
			_, err = hc.UserID(r.Context())
		}
		outcomeOf(r).done(time.Since(began), err)
	})), nil
}

var errNoClient = errors.New("no Hasura client in the request's context")

func (e *env) middlewareOptions(bc clerk.BackendConfig) *middleware.Options {
	return &middleware.Options{
		JWKSClient:        jwks.NewClient(&clerk.ClientConfig{BackendConfig: bc}),
		Clock:             e.clock,
		VerifiedTokens:    e.verified,
		Issuer:            clerkhasuratest.DefaultIssuer,
		AuthorizedParties: []string{clerkhasuratest.DefaultAuthorizedParty},
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err *middleware.AuthError) {
			outcomeOf(r).reason = "refused: " + err.Reason
			w.WriteHeader(err.StatusCode())
		},
	}
}

// outcome is what a replica's handler reports about one request.
type outcome struct {
	ok     bool
	timed  bool
	wait   time.Duration
	reason string // why the request failed
}

type outcomeKey struct{}

func outcomeOf(r *http.Request) *outcome {
	o, _ := r.Context().Value(outcomeKey{}).(*outcome)
	if o == nil {
		return &outcome{} // a request from outside the simulation
	}
	return o
}

func withOutcome(ctx context.Context, o *outcome) context.Context {
	return context.WithValue(ctx, outcomeKey{}, o)
}

// done records the token step: how long it took, and its error.
func (o *outcome) done(wait time.Duration, err error) {
	o.timed, o.wait = true, wait
	if err != nil {
		o.reason = "token: " + reasonOf(err)
		return
	}
	o.ok = true
}
