package middleware

import (
	"context"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/forward"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	endpoints "github.com/clerkhasura/clerkhasura-go/internal/endpoint"
)

// SessionCookieName is the cookie in which Clerk's frontend SDKs keep the
// session token for the application's own domain.
const SessionCookieName = "__session"

// Stats counts what a [Middleware] did since it was made, for a
// service to export as metrics. Counters only grow.
type Stats struct {
	// Authenticated counts requests passed on with a verified token.
	Authenticated uint64
	// Rejected counts requests refused with an [*AuthError].
	Rejected uint64
	// JWKSFetches counts JWKS fetches that succeeded.
	JWKSFetches uint64
	// JWKSFailures counts JWKS fetches that failed.
	JWKSFailures uint64
}

// Middleware authenticates the requests of an HTTP service with Clerk
// tokens and gives each handler a [hasura.Client] that calls Hasura as the
// request's user. Make one with [New] and wrap handlers with
// [Middleware.Handler], whose func(http.Handler) http.Handler shape is what
// the Use methods of routers built on net/http take. Browsers send CORS
// preflight requests without credentials, so a CORS handler goes outside it.
//
// For each request it reads the token from the Authorization header
// ("Bearer <token>") or, with [Options.SessionCookie], from the __session
// cookie, and verifies it with clerk-sdk-go's jwt.Verify against the
// instance's signing key (see [Options.JWKSRefreshInterval] for how keys are
// cached): signature, exp, nbf and iat, the issuer ([Options.Issuer]), and the
// authorized party. The token must carry exp. A session token carries sid;
// a template token ([Options.TemplateTokens]) carries Hasura's claims and
// neither sid nor v; a token with both marks, with neither, or of a type
// not configured is refused, and so is one whose issuer is the
// [Options.Signer]'s. A request that fails any check is refused with an
// [*AuthError] (by default a 401 with a JSON body), before any token is
// minted. A verified token is remembered ([Options.VerifiedTokens]), so
// that the browser's next requests with it cost a hash and a lookup.
//
// A verified request reaches the next handler with the token's claims in
// its context, for clerk.SessionClaimsFromContext (shared by the requests
// of one token: treat them as read-only; a template token's have no
// SessionID), and with a [hasura.Client] for [ClientFromContext], built on
// first use. Its tokens depend on the token the request carried and the
// configuration, the rungs of a ladder past Clerk's rate limit:
//
//   - a session token, with the SessionTokens given to New: tokens minted
//     for the session through Clerk's Backend API, and cached;
//   - a template token: that token itself (package forward), which cannot
//     be refreshed;
//   - a session token, with [Options.Signer]: tokens the service signs for
//     the session ([localjwt.Signer.Source]), which never outlive the
//     session token.
//
// Every Client sends its tokens to the endpoint's origin only, and adds no
// role header unless [Options.ClientOptions] asks for one.
//
// A session revoked in Clerk keeps its cached Hasura token until that expires
// (up to one template lifetime, 60 s by default), as a browser's getToken
// does; the session token the browser sends, verified here without asking
// Clerk, stays valid for up to a minute too. A webhook.Handler given the
// middleware, the SessionTokens or Signer refuses the session as soon as
// Clerk reports it ended (see [Middleware.EndSession]). A forwarded template
// token names no session and lives on, up to [Options.MaxTemplateLifetime].
//
// A Middleware is safe for concurrent use.
type Middleware struct {
	endpoint   string
	tokens     *clerkhasura.SessionTokens
	signer     *localjwt.Signer
	templates  bool
	maxTplLife time.Duration
	namespace  string
	clock      clerkhasura.Clock
	clientOpts *hasura.ClientOptions
	keys       *jwkSet
	cache      *verifiedTokens
	now        func() time.Time
	leeway     time.Duration
	issuer     *string
	parties    map[string]struct{}
	cookie     bool
	onError    func(http.ResponseWriter, *http.Request, *AuthError)
	log        *slog.Logger

	authenticated atomic.Uint64
	rejected      atomic.Uint64
}

// New returns a [Middleware] giving handlers a [hasura.Client] for the
// Hasura GraphQL endpoint, such as
// "https://my-project.hasura.app/v1/graphql". Session tokens are accepted
// when tokens, which mints the sessions' Hasura tokens through Clerk, or
// [Options.Signer] is set; template tokens when [Options.TemplateTokens]
// is. A nil opts means the defaults.
//
// It fails with an [*clerkhasura.InputError] for an endpoint that is not
// an absolute http or https URL, tokens and a Signer both set, no token
// type accepted, SessionCookie without AuthorizedParties, and an Issuer
// that is neither an http or https URL nor a publishable key. It makes no
// request.
func New(endpoint string, tokens *clerkhasura.SessionTokens, opts *Options) (*Middleware, error) {
	if _, err := endpoints.Parse(endpoint); err != nil {
		return nil, &clerkhasura.InputError{Field: "endpoint", Reason: err.Error()}
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	switch {
	case tokens != nil && o.Signer != nil:
		return nil, &clerkhasura.InputError{Field: "middleware.Options.Signer", Reason: "excludes SessionTokens: session tokens take one rung"}
	case tokens == nil && o.Signer == nil && !o.TemplateTokens:
		return nil, &clerkhasura.InputError{Field: "SessionTokens", Reason: "is nil, and neither Options.Signer nor Options.TemplateTokens is set: no token would be accepted"}
	case o.SessionCookie && len(o.AuthorizedParties) == 0:
		return nil, &clerkhasura.InputError{Field: "middleware.Options.SessionCookie", Reason: "requires AuthorizedParties"}
	}
	now := time.Now
	if o.Clock != nil {
		now = o.Clock.Now
	}
	m := &Middleware{
		endpoint:   endpoint,
		tokens:     tokens,
		signer:     o.Signer,
		templates:  o.TemplateTokens,
		maxTplLife: o.MaxTemplateLifetime,
		namespace:  hasura.DefaultClaimsNamespace,
		clock:      o.Clock,
		keys:       newJWKSet(o.JWKSClient, now, o.JWKSRefreshInterval, o.Logger),
		now:        now,
		leeway:     o.Leeway,
		cookie:     o.SessionCookie,
		onError:    o.ErrorHandler,
		log:        o.Logger,
	}
	if m.maxTplLife <= 0 {
		m.maxTplLife = DefaultMaxTemplateLifetime
	}
	switch {
	case o.VerifiedTokens == 0:
		m.cache = newVerifiedTokens(DefaultVerifiedTokens)
	case o.VerifiedTokens > 0:
		m.cache = newVerifiedTokens(o.VerifiedTokens)
	default:
		m.cache = newVerifiedTokens(0)
	}
	if o.ClientOptions != nil {
		co := *o.ClientOptions
		m.clientOpts = &co
		if co.ClaimsNamespace != "" {
			m.namespace = co.ClaimsNamespace
		}
	}
	if o.Issuer != "" {
		iss, err := parseIssuer(o.Issuer)
		if err != nil {
			return nil, err
		}
		m.issuer = &iss
	}
	if len(o.AuthorizedParties) > 0 {
		m.parties = make(map[string]struct{}, len(o.AuthorizedParties))
		for _, p := range o.AuthorizedParties {
			m.parties[p] = struct{}{}
		}
	}
	if m.onError == nil {
		m.onError = func(w http.ResponseWriter, r *http.Request, err *AuthError) { err.ServeHTTP(w, r) }
	}
	return m, nil
}

// Handler returns next wrapped: requests with a verified token reach
// next, with its claims and a [hasura.Client] in their context; the others
// get [Options.ErrorHandler]'s response.
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		rs, aerr := m.authenticate(r)
		if aerr != nil {
			m.rejected.Add(1)
			if m.log != nil {
				// Only the reason: the cause may quote the token's claims.
				m.log.LogAttrs(r.Context(), slog.LevelDebug, "clerkhasura: request refused",
					slog.String("reason", aerr.Reason), slog.Int("status", aerr.StatusCode()))
			}
			m.onError(w, r, aerr)
			return
		}
		m.authenticated.Add(1)
		ctx := clerk.ContextWithSessionClaims(r.Context(), rs.claims)
		ctx = context.WithValue(ctx, requestSessionKey{}, rs)
		next.ServeHTTP(w, r.WithContext(ctx))
	})
}

// EndSession forgets the verified tokens of the Clerk session sessionID
// and refuses its session tokens for ten minutes, longer than any issued
// before lives, so that its next request is refused at once. It makes the
// Middleware a webhook.SessionEnder: give it to the webhook handler beside
// the SessionTokens or Signer. A forwarded template token names no session
// and is not affected.
func (m *Middleware) EndSession(sessionID string) {
	m.cache.endSession(sessionID, m.now())
}

// Stats returns the middleware's counters.
func (m *Middleware) Stats() Stats {
	return Stats{
		Authenticated: m.authenticated.Load(),
		Rejected:      m.rejected.Load(),
		JWKSFetches:   m.keys.fetches.Load(),
		JWKSFailures:  m.keys.failures.Load(),
	}
}

// ClientFromContext returns the [hasura.Client] that a [Middleware] made for
// the request's verified token, calling Hasura as the request's user. It is
// false outside a request the middleware verified. Every call for the same
// request returns the same Client.
func ClientFromContext(ctx context.Context) (*hasura.Client, bool) {
	rs, ok := ctx.Value(requestSessionKey{}).(*requestSession)
	if !ok {
		return nil, false
	}
	rs.once.Do(func() {
		// The endpoint was checked by New and the source is never nil,
		// so NewClient cannot fail here.
		rs.client, _ = hasura.NewClient(rs.m.endpoint, rs.source(), rs.m.clientOpts)
	})
	return rs.client, rs.client != nil
}

type requestSessionKey struct{}

// requestSession is what a verified request carries in its context: enough
// to build its Client when a handler first asks for it.
type requestSession struct {
	m      *Middleware
	claims *clerk.SessionClaims
	fwd    *forward.Source         // for a template token
	signed clerkhasura.TokenSource // the Signer's, for a session token with a Signer
	once   sync.Once
	client *hasura.Client
}

// source is the token source of the request's Client.
func (rs *requestSession) source() clerkhasura.TokenSource {
	switch {
	case rs.fwd != nil:
		return rs.fwd
	case rs.signed != nil:
		return rs.signed
	}
	return rs.m.tokens.Source(rs.claims.SessionID)
}
