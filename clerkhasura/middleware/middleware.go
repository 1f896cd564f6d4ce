package middleware

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	"github.com/clerk/clerk-sdk-go/v2/jwt"
	jose "github.com/go-jose/go-jose/v3"
	josejwt "github.com/go-jose/go-jose/v3/jwt"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	endpoints "github.com/clerkhasura/clerkhasura-go/internal/endpoint"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// SessionCookieName is the cookie in which Clerk's frontend SDKs keep the
// session token for the application's own domain.
const SessionCookieName = "__session"

// Options configures [New]. A nil *Options
// means the defaults.
type Options struct {
	// JWKSClient fetches the Clerk instance's JSON Web Key Set, with which
	// session tokens are verified, such as
	// jwks.NewClient(&clerk.ClientConfig{BackendConfig: …}). Optional:
	// clerk-sdk-go's package-level configuration (clerk.SetKey).
	JWKSClient *jwks.Client

	// AuthorizedParties are the origins of the frontends allowed to send
	// session tokens, such as "https://app.example.com", compared with a
	// token's azp claim. A token with another azp is refused; a token
	// without azp in the Authorization header is accepted, as Clerk's own
	// SDKs do, since only tokens minted for a browser carry one (see
	// [Options.SessionCookie] for the cookie). Optional: when
	// empty, azp is not checked, which Clerk advises against in
	// production.
	AuthorizedParties []string

	// SessionCookie makes the middleware read the token from the
	// __session cookie ([SessionCookieName]) when a request has no
	// Authorization header, as browsers send it to an API on the
	// application's own domain. Browsers attach cookies to cross-site
	// requests too, so the azp check is what tells a request of the
	// application's frontend from a forged one: it requires
	// AuthorizedParties, and a token read from the cookie must carry an
	// azp among them. Clerk puts one in every session token it issues to
	// a browser, which is what sets the cookie. Optional.
	SessionCookie bool

	// Leeway is how long a token is still accepted after its exp, and
	// before its nbf and iat, for clocks that disagree. Clerk already sets
	// nbf some seconds before iat for clocks behind its own, and a token
	// whose nbf has passed is accepted even when its iat is ahead of
	// [Options.Clock], by up to 5 minutes (Clerk's largest allowed clock
	// skew) beyond Leeway. Optional: none.
	Leeway time.Duration

	// Clock tells the time against which exp, nbf and iat are checked,
	// and which spaces JWKS fetches. Optional: the system clock.
	Clock clerkhasura.Clock

	// JWKSRefreshInterval is the least time between two JWKS fetches. The
	// JWKS is fetched when the first token arrives and then only for a
	// token signed with a key it lacks, so a flood of tokens with made-up
	// key IDs costs Clerk one request per interval. A fetch that failed,
	// or whose reply holds no key, keeps the keys there were and is tried
	// again after at most 5 s. Optional: 1 min.
	JWKSRefreshInterval time.Duration

	// Issuer is the iss every session token must carry, exactly: the
	// instance's Frontend API URL, such as "https://clerk.example.com"
	// (Dashboard, API keys), or the URL of the proxy in front of it when
	// the instance uses one. The instance's publishable key ("pk_live_…"
	// or "pk_test_…") is accepted in its place: it holds the Frontend API
	// host, and the issuer is "https://" and that host. Optional, and
	// advised: when empty, iss only has to look like a Clerk Frontend API
	// URL (start with "https://clerk." or contain ".clerk.accounts"), as
	// clerk-sdk-go's jwt.Verify checks it, and the signing key alone tells
	// instances apart.
	Issuer string

	// ClientOptions configures the [hasura.Client] that [ClientFromContext]
	// returns. Optional: the defaults of [hasura.NewClient].
	ClientOptions *hasura.ClientOptions

	// ErrorHandler writes the response to a request the middleware
	// refuses; the next handler is not called and no token is minted.
	// Optional: [AuthError.ServeHTTP], a 401 or 503 with a JSON body.
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err *AuthError)

	// Logger receives a Warn record for each failed fetch of Clerk's
	// signing keys, with its [*clerkhasura.ClerkError], and a Debug record
	// for each refused request, with the [AuthError]'s reason. Neither
	// holds a token. Optional: no log.
	Logger *slog.Logger
}

// Stats counts what a [Middleware] did since it was made, for a
// service to export as metrics. Counters only grow.
type Stats struct {
	// Authenticated counts requests passed on with a verified session.
	Authenticated uint64
	// Rejected counts requests refused with an [*AuthError].
	Rejected uint64
	// JWKSFetches counts JWKS fetches that succeeded.
	JWKSFetches uint64
	// JWKSFailures counts JWKS fetches that failed.
	JWKSFailures uint64
}

// Middleware authenticates the requests of an HTTP service with Clerk session
// tokens and gives each handler a [hasura.Client] that calls Hasura as the
// request's user. Make one with [New] and wrap handlers with
// [Middleware.Handler], whose func(http.Handler) http.Handler shape is what
// the Use methods of routers built on net/http take. Browsers send CORS
// preflight requests without credentials, so a CORS handler goes outside it.
//
// For each request it reads the session token from the Authorization header
// ("Bearer <token>") or, with [Options.SessionCookie], from the __session
// cookie, and verifies it with clerk-sdk-go's jwt.Verify against the
// instance's signing key (see [Options.JWKSRefreshInterval] for how keys are
// cached): signature, exp, nbf and iat, the issuer ([Options.Issuer]), and the
// authorized party. The token must carry exp, and be a session token, with a
// sid claim. A request that fails any check is refused with an [*AuthError]
// (by default a 401 with a JSON body), before any token is minted.
//
// A verified request reaches the next handler with the session claims in its
// context, for clerk.SessionClaimsFromContext, and with a [hasura.Client] for
// [ClientFromContext]. The Client takes its tokens from the shared
// [clerkhasura.SessionTokens] for the claims' session ID, and is built on
// first use: a handler that does not call Hasura mints no token.
//
// A session revoked in Clerk keeps its cached Hasura token until that expires
// (up to one template lifetime, 60 s by default), as a browser's getToken
// does; the session token the browser sends, verified here without asking
// Clerk, stays valid for up to a minute too. A webhook.Handler given the same
// SessionTokens drops the cached token as soon as Clerk reports the session
// ended: its next Hasura call fails with [clerkhasura.ErrSessionGone].
//
// A Middleware is safe for concurrent use.
type Middleware struct {
	endpoint   string
	tokens     *clerkhasura.SessionTokens
	clientOpts *hasura.ClientOptions
	keys       *jwkSet
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

// New returns a [Middleware] giving handlers a [hasura.Client] for the Hasura
// GraphQL endpoint, such as "https://my-project.hasura.app/v1/graphql", whose
// tokens come from tokens. A nil opts means the defaults.
//
// It fails with an [*clerkhasura.InputError] for an endpoint that is not an
// absolute http or https URL, a nil tokens, SessionCookie without
// AuthorizedParties, and an Issuer that is neither an http or https URL nor a
// publishable key. It makes no request.
func New(endpoint string, tokens *clerkhasura.SessionTokens, opts *Options) (*Middleware, error) {
	if _, err := endpoints.Parse(endpoint); err != nil {
		return nil, &clerkhasura.InputError{Field: "endpoint", Reason: err.Error()}
	}
	if tokens == nil {
		return nil, &clerkhasura.InputError{Field: "SessionTokens", Reason: "is nil"}
	}
	var o Options
	if opts != nil {
		o = *opts
	}
	if o.SessionCookie && len(o.AuthorizedParties) == 0 {
		return nil, &clerkhasura.InputError{Field: "middleware.Options.SessionCookie", Reason: "requires AuthorizedParties"}
	}
	now := time.Now
	if o.Clock != nil {
		now = o.Clock.Now
	}
	m := &Middleware{
		endpoint: endpoint,
		tokens:   tokens,
		keys:     newJWKSet(o.JWKSClient, now, o.JWKSRefreshInterval, o.Logger),
		now:      now,
		leeway:   o.Leeway,
		cookie:   o.SessionCookie,
		onError:  o.ErrorHandler,
		log:      o.Logger,
	}
	if o.ClientOptions != nil {
		co := *o.ClientOptions
		m.clientOpts = &co
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

// Handler returns next wrapped: requests with a verified session token
// reach next, with the session claims and a [hasura.Client] in their context;
// the others get [Options.ErrorHandler]'s response.
func (m *Middleware) Handler(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		claims, aerr := m.authenticate(r)
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
		ctx := clerk.ContextWithSessionClaims(r.Context(), claims)
		ctx = context.WithValue(ctx, requestSessionKey{}, &requestSession{m: m, sessionID: claims.SessionID})
		next.ServeHTTP(w, r.WithContext(ctx))
	})
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
// the request's Clerk session, calling Hasura as the request's user. It is
// false outside a request the middleware verified. Every call for the same
// request returns the same Client.
func ClientFromContext(ctx context.Context) (*hasura.Client, bool) {
	rs, ok := ctx.Value(requestSessionKey{}).(*requestSession)
	if !ok {
		return nil, false
	}
	rs.once.Do(func() {
		// The endpoint was checked by New and the source is
		// never nil, so NewClient cannot fail here.
		rs.client, _ = hasura.NewClient(rs.m.endpoint, rs.m.tokens.Source(rs.sessionID), rs.m.clientOpts)
	})
	return rs.client, rs.client != nil
}

type requestSessionKey struct{}

// requestSession is what a verified request carries in its context: enough
// to build its Client when a handler first asks for it.
type requestSession struct {
	m         *Middleware
	sessionID string
	once      sync.Once
	client    *hasura.Client
}

// authenticate finds and verifies the request's session token.
func (m *Middleware) authenticate(r *http.Request) (*clerk.SessionClaims, *AuthError) {
	token, fromCookie, aerr := m.sessionToken(r)
	if aerr != nil {
		return nil, aerr
	}
	peeked, err := jwtclaims.Peek(token)
	if err != nil {
		return nil, unauthenticated(reasonMalformed, err)
	}
	if peeked.KeyID == "" {
		return nil, unauthenticated(reasonNoKeyID, nil)
	}
	key, aerr := m.keys.key(r.Context(), peeked.KeyID)
	if aerr != nil {
		return nil, aerr
	}
	if peeked.Algorithm != key.Algorithm {
		return nil, unauthenticated(reasonAlgorithm, nil)
	}
	claims, err := jwt.Verify(r.Context(), &jwt.VerifyParams{
		Token:  token,
		JWK:    key,
		Clock:  m.verifyClock(peeked),
		Leeway: m.leeway,
		// jwt.Verify compares iss with ProxyURL exactly when it is set:
		// the check an Issuer asks for.
		ProxyURL: m.issuer,
	})
	if err != nil {
		return nil, unauthenticated(m.verifyFailure(err, peeked.Issuer), err)
	}
	if claims.Expiry == nil {
		// go-jose checks exp only when present; a token without one would
		// be good forever.
		return nil, unauthenticated(reasonNoExpiry, nil)
	}
	if claims.SessionID == "" {
		return nil, unauthenticated(reasonNoSession, nil)
	}
	if fromCookie && claims.AuthorizedParty == "" {
		return nil, unauthenticated(reasonNoParty, nil)
	}
	if !m.partyAllowed(claims.AuthorizedParty) {
		return nil, unauthenticated(reasonParty, nil)
	}
	return claims, nil
}

// sessionToken reads the token from the Authorization header, or from the
// session cookie when there is no header and the cookie is allowed, and
// tells which.
func (m *Middleware) sessionToken(r *http.Request) (token string, fromCookie bool, aerr *AuthError) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return "", false, unauthenticated(reasonNotBearer, nil)
		}
		if token = strings.TrimSpace(token); token != "" {
			return token, false, nil
		}
		return "", false, unauthenticated(reasonMissing, nil)
	}
	if m.cookie {
		if c, err := r.Cookie(SessionCookieName); err == nil && c.Value != "" {
			return c.Value, true, nil
		}
	}
	return "", false, unauthenticated(reasonMissing, nil)
}

// verifyFailure names why jwt.Verify refused a token. Verify reports a bad
// issuer only in its message, which quotes the issuer, so the issuer is
// judged here again with Verify's rule.
func (m *Middleware) verifyFailure(err error, issuer string) string {
	switch {
	case errors.Is(err, josejwt.ErrExpired):
		return reasonExpired
	case errors.Is(err, josejwt.ErrNotValidYet), errors.Is(err, josejwt.ErrIssuedInTheFuture):
		return reasonNotYetValid
	case errors.Is(err, jose.ErrCryptoFailure):
		return reasonSignature
	case !m.issuerAllowed(issuer):
		return reasonIssuer
	}
	return reasonInvalid
}

func (m *Middleware) issuerAllowed(iss string) bool {
	if m.issuer != nil {
		return iss == *m.issuer
	}
	return strings.HasPrefix(iss, "https://clerk.") || strings.Contains(iss, ".clerk.accounts")
}

func (m *Middleware) partyAllowed(azp string) bool {
	if azp == "" || m.parties == nil {
		return true
	}
	_, ok := m.parties[azp]
	return ok
}
