package middleware

import (
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// ErrUnauthenticated means a request reaching a [Middleware] carried no
// Clerk token, or one that does not verify: malformed, expired, badly
// signed, from an issuer or an authorized party not accepted, of a type
// not accepted, or of a session ended. Every [*AuthError] with a 401
// status matches it.
var ErrUnauthenticated = errors.New("clerkhasura: request not authenticated")

// ErrForbidden means a request's session token verified, but the
// [Options.Signer] refused to sign for its claims, such as claims asking
// for the admin role ([localjwt.ErrRoleNotAllowed], which the
// [AuthError]'s Err matches). Every [*AuthError] with a 403 status
// matches it.
var ErrForbidden = errors.New("clerkhasura: request not allowed")

// AuthError is why a [Middleware] refused a request. Its Reason is written to
// the client and may be logged: it is one of a fixed set of phrases and never
// quotes the token or anything read from it.
//
// It matches its Kind with [errors.Is], and unwraps to Err: Kind is
// [ErrUnauthenticated] (status 401), [ErrForbidden] (status 403), or
// [clerkhasura.ErrClerkUnavailable] (status 503) when Clerk's signing keys
// could not be fetched.
type AuthError struct {
	// Reason says what was wrong, such as "session token expired".
	Reason string
	// Kind is [ErrUnauthenticated], [ErrForbidden] or
	// [clerkhasura.ErrClerkUnavailable].
	Kind error
	// Err is the cause, such as go-jose's jwt.ErrExpired, or for a failed JWKS
	// fetch a [*clerkhasura.ClerkError], which never holds a response body;
	// nil when there is none. Its text is not part of Error, since it may
	// quote claims of the rejected token.
	Err error
	// RetryAfter is, for [clerkhasura.ErrClerkUnavailable], how long until the
	// middleware fetches Clerk's signing keys again; zero otherwise.
	RetryAfter time.Duration
}

// Error returns the reason, prefixed with "clerkhasura: ".
func (e *AuthError) Error() string { return "clerkhasura: " + e.Reason }

// Is reports whether target is e's Kind.
func (e *AuthError) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns Err.
func (e *AuthError) Unwrap() error { return e.Err }

// StatusCode is the HTTP status of the refusal: 503 when Clerk's signing
// keys could not be fetched, 403 for [ErrForbidden], 401 otherwise.
func (e *AuthError) StatusCode() int {
	switch e.Kind {
	case clerkhasura.ErrClerkUnavailable:
		return http.StatusServiceUnavailable
	case ErrForbidden:
		return http.StatusForbidden
	}
	return http.StatusUnauthorized
}

// ServeHTTP writes the refusal that a [Middleware] sends by default: the
// status of [AuthError.StatusCode] and a JSON body such as
//
//	{"error":"unauthenticated","message":"session token expired"}
//
// with "unavailable" in place of "unauthenticated" for a 503, and
// "forbidden" for a 403. A 401 also
// carries a WWW-Authenticate header, as RFC 6750 asks; a 503 carries a
// Retry-After header of [AuthError.RetryAfter] in whole seconds, rounded
// up, since a request sooner would be refused again at once. A custom
// [Options.ErrorHandler] can call it after logging the error.
func (e *AuthError) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	status := e.StatusCode()
	code := "unauthenticated"
	h := w.Header()
	switch {
	case status == http.StatusForbidden:
		code = "forbidden"
	case status != http.StatusUnauthorized:
		code = "unavailable"
		if e.RetryAfter > 0 {
			h.Set("Retry-After", strconv.FormatInt(retryAfterSeconds(e.RetryAfter), 10))
		}
	case e.Reason == reasonMissing:
		h.Set("WWW-Authenticate", `Bearer`)
	default:
		h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	writeJSON(w, status, code, e.Reason)
}

// The reasons an [AuthError] gives.
const (
	reasonMissing             = "missing session token"
	reasonNotBearer           = "Authorization header is not a Bearer token"
	reasonMalformed           = "malformed session token"
	reasonNoKeyID             = "session token names no signing key"
	reasonUnknownKey          = "session token signed with an unknown key"
	reasonSignature           = "invalid session token signature"
	reasonAlgorithm           = "session token algorithm does not match its key"
	reasonExpired             = "session token expired"
	reasonNoExpiry            = "session token has no expiry"
	reasonNotYetValid         = "session token not valid yet"
	reasonIssuer              = "session token from an unexpected issuer"
	reasonParty               = "session token from an unauthorized party"
	reasonNoParty             = "session token in the cookie names no authorized party"
	reasonNoSession           = "not a session token: no sid claim"
	reasonInvalid             = "invalid session token"
	reasonKeysDown            = "cannot fetch Clerk's signing keys"
	reasonBothMarks           = "token is both a session token and a Hasura template token"
	reasonNeither             = "neither a session token nor a Hasura template token"
	reasonOwnIssuer           = "token of this service's own issuer, not a Clerk token"
	reasonTooLong             = "template token lives longer than accepted"
	reasonSessionTooLong      = "session token lives longer than a Clerk session token"
	reasonNoIssuedAt          = "token has no iat"
	reasonSessionEnded        = "session ended"
	reasonClaimsRefused       = "session claims refused for a Hasura token"
	reasonSessionNotAccepted  = "session tokens are not accepted here"
	reasonTemplateNotAccepted = "template tokens are not accepted here"
	reasonRequestEnded        = "request ended before the session token was verified"
)

// retryAfterSeconds is d in whole seconds, rounded up.
func retryAfterSeconds(d time.Duration) int64 {
	secs := int64(d / time.Second)
	if d%time.Second != 0 {
		secs++
	}
	return secs
}

func unauthenticated(reason string, cause error) *AuthError {
	return &AuthError{Reason: reason, Kind: ErrUnauthenticated, Err: cause}
}
