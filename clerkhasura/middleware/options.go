package middleware

import (
	"log/slog"
	"net/http"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/jwks"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

const (
	// DefaultMaxTemplateLifetime is the default of
	// [Options.MaxTemplateLifetime].
	DefaultMaxTemplateLifetime = 5 * time.Minute

	// DefaultVerifiedTokens is the default of [Options.VerifiedTokens].
	DefaultVerifiedTokens = 10_000
)

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

	// TemplateTokens makes the middleware accept Clerk template tokens,
	// the browser's getToken({ template: 'hasura' }), and give the
	// handler a Client that sends each to Hasura as it is (package
	// forward): no call to Clerk's Backend API, whatever the number of
	// sessions. A template token carries Hasura's claims namespace
	// (ClientOptions.ClaimsNamespace, by default
	// "https://hasura.io/jwt/claims") and neither sid nor v; it is
	// verified as a session token is (keys, exp, nbf, iat, issuer,
	// authorized party). Optional.
	TemplateTokens bool

	// MaxTemplateLifetime is the longest lifetime, exp − iat, of a
	// template token accepted; a longer one is refused whenever it
	// arrives, even near its end. A forwarded token cannot be recalled,
	// so this bounds how long a revoked session's token can still reach
	// Hasura; Clerk's templates allow lifetimes of years. (Session tokens
	// are held to 5 minutes; Clerk's live 60 s.) Optional:
	// [DefaultMaxTemplateLifetime].
	MaxTemplateLifetime time.Duration

	// Signer makes the middleware sign each session's Hasura tokens
	// itself with [localjwt.Signer.Source], from the verified session
	// token, rather than mint them through Clerk with the SessionTokens
	// given to [New], which must then be nil: no call to Clerk's Backend
	// API, whatever the number of sessions. A token carrying the
	// Signer's issuer is refused: the service's own tokens are not Clerk
	// sessions. Optional.
	Signer *localjwt.Signer

	// VerifiedTokens is how many verified tokens the middleware
	// remembers, by the SHA-256 of the whole token, so that a token seen
	// again is not verified again: its exp and nbf are checked on
	// every request, against Clock. A browser sends one session token for
	// about 50 s and renews it 10 s before it expires, so a session has at
	// most two live tokens. A session token costs about 1 KiB, a template
	// token, which is kept to be forwarded, about 2 KiB. Past the bound,
	// expired tokens and then others at random are forgotten; a forgotten
	// token costs one verification more. [Middleware.EndSession] forgets a
	// session's tokens. Optional: [DefaultVerifiedTokens]; negative
	// remembers none.
	VerifiedTokens int

	// Logger receives a Warn record for each failed fetch of Clerk's
	// signing keys, with its [*clerkhasura.ClerkError], and a Debug record
	// for each refused request, with the [AuthError]'s reason. Neither
	// holds a token. Optional: no log.
	Logger *slog.Logger
}
