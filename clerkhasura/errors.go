package clerkhasura

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors of the token layer. Errors from [NewSessionTokenSource],
// [CachedTokenSource] and [SessionTokens] match one of them with
// [errors.Is]; [*ClerkError] and [*InputError] carry the details.
var (
	// ErrSessionGone means Clerk answered 404: the session (ended, revoked
	// or never there) does not exist, or, when the instance's templates
	// could not be listed, perhaps the JWT template (see
	// [ErrTemplateNotFound]). Retrying does not help; the user has to sign
	// in again.
	ErrSessionGone = errors.New("clerkhasura: Clerk session or JWT template not found")

	// ErrTemplateNotFound means Clerk answered 404 and the JWT template is
	// not among the instance's templates: its name is wrong, or it was
	// deleted, or it belongs to another instance. It is a misconfiguration
	// of the service, not a signed-out user: every session fails alike,
	// and retrying does not help until the template is created. Caches
	// keep a valid token served and back off for MaxBackoff. The templates
	// are listed on the first 404, once per [SessionTokens] or token
	// source; when they cannot be (the secret key may not list them, Clerk
	// is failing, or the instance has more than one page of templates),
	// a 404 is reported as [ErrSessionGone].
	ErrTemplateNotFound = errors.New("clerkhasura: Clerk JWT template not found")

	// ErrInvalidSecretKey means Clerk answered 401: the secret key is
	// missing, wrong or revoked. Retrying does not help.
	ErrInvalidSecretKey = errors.New("clerkhasura: Clerk rejected the secret key")

	// ErrRateLimited means Clerk answered 429. [ClerkError.RetryAfter] says
	// how long Clerk asked to wait; caches honour it. Clerk's limit is per
	// instance, so a [SessionTokens] then fails every session's fetch with
	// it at once, without asking Clerk, until the wait is over; RetryAfter
	// is then the wait that remains.
	ErrRateLimited = errors.New("clerkhasura: rate limited by Clerk")

	// ErrClerkUnavailable means Clerk could not be reached or failed: a 5xx
	// status, a timeout, a network error, or a reply that is not Clerk's
	// JSON (such as a proxy's HTML error page). A cache's fetch that ran
	// past [CacheOptions.FetchTimeout] fails with it too, while the
	// caller's own context is fine: such an error does not match
	// [context.DeadlineExceeded]. Retrying later may help. A
	// [SessionTokens] backs off for every session, as for [ErrRateLimited].
	ErrClerkUnavailable = errors.New("clerkhasura: Clerk unavailable")

	// ErrClerkRejected means Clerk refused the request with a 4xx status
	// other than 401, 404 and 429, such as 400 or 422 for a token lifetime
	// Clerk does not allow. Retrying does not help.
	ErrClerkRejected = errors.New("clerkhasura: Clerk rejected the request")

	// ErrMalformedToken means a minted token could not be used: not a
	// compact JWT, no exp claim, or already expired. Clerk answered 200,
	// so the garbled reply most likely came from something in between,
	// such as a proxy: it counts as temporary, and caches ask again after
	// their usual back-off.
	ErrMalformedToken = errors.New("clerkhasura: malformed token")

	// ErrInvalidInput means an argument cannot be sent to Clerk, such as an
	// empty session ID. The [*InputError] says which and why.
	ErrInvalidInput = errors.New("clerkhasura: invalid input")

	// ErrClosed is returned by Token after Close.
	ErrClosed = errors.New("clerkhasura: token cache closed")
)

// InputError describes an argument rejected before any request was made.
// It names the argument and the rule it broke, never its value, since a
// misplaced credential must not end up in a log.
type InputError struct {
	// Field is the argument, such as "session ID" or "template".
	Field string
	// Reason is the rule it broke, such as "is empty".
	Reason string
}

// Error returns "clerkhasura: invalid <field>: <reason>".
func (e *InputError) Error() string {
	return "clerkhasura: invalid " + e.Field + ": " + e.Reason
}

// Unwrap returns [ErrInvalidInput].
func (e *InputError) Unwrap() error { return ErrInvalidInput }

// ClerkError is a failure to mint a token through the Clerk Backend API,
// or to fetch the instance's JWKS for a [Middleware] (then SessionID and
// Template are empty). Its message holds the session ID, template,
// status, Clerk's error codes and trace ID: never the token, the secret
// key or a raw response body.
//
// It matches its Kind and Err with [errors.Is] and [errors.As]; Err is a
// *clerk.APIErrorResponse when Clerk answered with its JSON error body.
type ClerkError struct {
	// SessionID and Template name the token that was asked for.
	SessionID string
	Template  string
	// StatusCode is the HTTP status, or 0 when none is known: a network
	// error, or a reply clerk-sdk-go could not parse (it drops the status
	// of a body that is not Clerk's JSON).
	StatusCode int
	// Codes are the code fields of Clerk's errors, such as
	// "resource_not_found".
	Codes []string
	// Message is the first of Clerk's error messages, shortened to one
	// printable line, such as "Session not found".
	Message string
	// TraceID is Clerk's trace ID, for Clerk support.
	TraceID string
	// RetryAfter is the wait the Retry-After header asked for; 0 if none.
	RetryAfter time.Duration
	// Kind is one of [ErrSessionGone], [ErrTemplateNotFound],
	// [ErrInvalidSecretKey], [ErrRateLimited], [ErrClerkUnavailable],
	// [ErrClerkRejected] or [ErrMalformedToken].
	Kind error
	// Err is the underlying error, or nil when its text could hold a
	// response body.
	Err error
}

// Error describes the failure without revealing any credential.
func (e *ClerkError) Error() string {
	var b strings.Builder
	b.WriteString(e.kindText())
	var facts []string
	if e.SessionID != "" || e.Template != "" {
		facts = append(facts, fmt.Sprintf("session %s, template %q", e.SessionID, e.Template))
	}
	if e.StatusCode != 0 {
		facts = append(facts, fmt.Sprintf("HTTP %d", e.StatusCode))
	}
	if len(e.Codes) > 0 {
		facts = append(facts, "code "+strings.Join(e.Codes, ","))
	}
	if e.TraceID != "" {
		facts = append(facts, "trace "+e.TraceID)
	}
	if e.RetryAfter > 0 {
		facts = append(facts, "retry after "+e.RetryAfter.String())
	}
	if len(facts) > 0 {
		b.WriteString(" (" + strings.Join(facts, ", ") + ")")
	}
	switch {
	case e.Message != "":
		// Clerk's own words; Err's text would repeat them as JSON.
		b.WriteString(": ")
		b.WriteString(e.Message)
	case e.Err != nil && !isAPIError(e.Err):
		b.WriteString(": ")
		b.WriteString(e.Err.Error())
	}
	return b.String()
}

func (e *ClerkError) kindText() string {
	if e.Kind == nil {
		return "clerkhasura: minting a token failed"
	}
	return e.Kind.Error()
}

// Unwrap returns Kind and Err.
func (e *ClerkError) Unwrap() []error { return kindAndCause(e.Kind, e.Err) }

// kindAndCause is the Unwrap of an error with a sentinel kind and an
// underlying cause, leaving out whichever is nil.
func kindAndCause(kind, cause error) []error {
	errs := make([]error, 0, 2)
	if kind != nil {
		errs = append(errs, kind)
	}
	if cause != nil {
		errs = append(errs, cause)
	}
	return errs
}

// Temporary reports whether trying again later may succeed: true for
// [ErrRateLimited], [ErrClerkUnavailable] and [ErrMalformedToken].
func (e *ClerkError) Temporary() bool {
	return e.Kind == ErrRateLimited || e.Kind == ErrClerkUnavailable || e.Kind == ErrMalformedToken
}

// permanent reports whether err says that asking again soon cannot
// succeed: a [*ClerkError] that is not temporary ([ErrSessionGone],
// [ErrTemplateNotFound], [ErrInvalidSecretKey], [ErrClerkRejected]), or
// an [*InputError]. Every
// other error, whatever its source, is treated as temporary. Caches wait
// MaxBackoff after a permanent error; only [ErrSessionGone] makes them
// drop a still valid token.
func permanent(err error) bool {
	var ce *ClerkError
	if errors.As(err, &ce) {
		return !ce.Temporary()
	}
	return errors.Is(err, ErrInvalidInput)
}

// retryAfter returns the Retry-After wait an error in err's chain carries.
func retryAfter(err error) time.Duration {
	var ce *ClerkError
	if errors.As(err, &ce) {
		return ce.RetryAfter
	}
	return 0
}
