package clerkhasura

import (
	"errors"
	"fmt"
	"strings"
	"time"
)

// Sentinel errors of the token layer, matched with [errors.Is];
// [*ClerkError] and [*InputError] carry the details.
var (
	// ErrSessionGone means Clerk answered 404: the session (ended, revoked
	// or never there) does not exist, or, when the instance's templates
	// could not be listed, perhaps the JWT template. The user has to sign
	// in again.
	ErrSessionGone = errors.New("clerkhasura: Clerk session or JWT template not found")

	// ErrTemplateNotFound means Clerk answered 404 and the JWT template is
	// not among the instance's, listed once on the first 404: a
	// misconfiguration that fails every session alike. Caches keep a
	// valid token served and back off for MaxBackoff.
	ErrTemplateNotFound = errors.New("clerkhasura: Clerk JWT template not found")

	// ErrInvalidSecretKey means Clerk answered 401: the secret key is
	// missing, wrong or revoked.
	ErrInvalidSecretKey = errors.New("clerkhasura: Clerk rejected the secret key")

	// ErrRateLimited means Clerk answered 429; [ClerkError.RetryAfter] is
	// the wait Clerk asked for, which caches honour, for every session of
	// a [SessionTokens] (the limit is per instance).
	ErrRateLimited = errors.New("clerkhasura: rate limited by Clerk")

	// ErrClerkUnavailable means Clerk could not be reached or failed: a 5xx
	// status, a network error, a reply that is not Clerk's JSON, or a fetch
	// past [CacheOptions.FetchTimeout] (which does not match
	// [context.DeadlineExceeded]). Caches back off as for [ErrRateLimited].
	ErrClerkUnavailable = errors.New("clerkhasura: Clerk unavailable")

	// ErrClerkRejected means Clerk refused the request with another 4xx
	// status, such as 422 for a token lifetime it does not allow.
	ErrClerkRejected = errors.New("clerkhasura: Clerk rejected the request")

	// ErrMalformedToken means a minted token could not be used: not a
	// compact JWT, no exp claim, or already expired. Something between
	// here and Clerk garbled it, so it counts as temporary.
	ErrMalformedToken = errors.New("clerkhasura: malformed token")

	// ErrInvalidInput is matched by every [*InputError].
	ErrInvalidInput = errors.New("clerkhasura: invalid input")

	// ErrClosed is what a cache, [SessionTokens] or subscription client
	// gives after Close.
	ErrClosed = errors.New("clerkhasura: closed")
)

// InputError is an argument refused before any request was made, mostly
// by a constructor. It names the argument and the rule it broke, never its
// value, which may be a misplaced credential. It matches
// [ErrInvalidInput].
type InputError struct {
	// Field is the argument, such as "session ID", "template" or
	// "endpoint".
	Field string
	// Reason is the rule it broke, such as "is empty".
	Reason string
}

// Error returns "clerkhasura: invalid <field>: <reason>".
func (e *InputError) Error() string {
	return "clerkhasura: invalid " + e.Field + ": " + e.Reason
}

// Is reports whether target is [ErrInvalidInput].
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// ClerkError is a failure to mint a token through the Clerk Backend API,
// or to fetch the instance's JWKS (then SessionID and Template are empty).
// It never holds the token, the secret key or a raw response body. It
// matches its Kind with [errors.Is], and unwraps to Err.
type ClerkError struct {
	// SessionID and Template name the token that was asked for.
	SessionID string
	Template  string
	// StatusCode is the HTTP status, or 0 when none is known, such as for
	// a network error.
	StatusCode int
	// Codes are the codes of Clerk's errors, such as "resource_not_found".
	Codes []string
	// Message is Clerk's first error message, on one printable line.
	Message string
	// TraceID is Clerk's trace ID, for Clerk support.
	TraceID string
	// RetryAfter is the wait the Retry-After header asked for; 0 if none.
	RetryAfter time.Duration
	// Kind is one of the sentinels from [ErrSessionGone] to
	// [ErrMalformedToken].
	Kind error
	// Err is the underlying error, such as a *clerk.APIErrorResponse, or
	// nil when its text could hold a response body.
	Err error
}

// Error describes the failure without revealing any credential.
func (e *ClerkError) Error() string {
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
	s := "clerkhasura: minting a token failed"
	if e.Kind != nil {
		s = e.Kind.Error()
	}
	if len(facts) > 0 {
		s += " (" + strings.Join(facts, ", ") + ")"
	}
	switch {
	case e.Message != "": // Clerk's own words; Err's text would repeat them as JSON
		s += ": " + e.Message
	case e.Err != nil && !isAPIError(e.Err):
		s += ": " + e.Err.Error()
	}
	return s
}

// Is reports whether target is e's Kind.
func (e *ClerkError) Is(target error) bool { return e.Kind != nil && target == e.Kind }

// Unwrap returns Err.
func (e *ClerkError) Unwrap() error { return e.Err }

// Temporary reports whether trying again later may succeed: true for
// [ErrRateLimited], [ErrClerkUnavailable] and [ErrMalformedToken].
func (e *ClerkError) Temporary() bool {
	return e.Kind == ErrRateLimited || e.Kind == ErrClerkUnavailable || e.Kind == ErrMalformedToken
}

// permanent reports whether err says that asking again soon cannot
// succeed: a [*ClerkError] that is not temporary, or an [*InputError];
// any other error counts as temporary (see [CacheOptions.MinBackoff]).
func permanent(err error) bool {
	var ce *ClerkError
	if errors.As(err, &ce) {
		return !ce.Temporary()
	}
	return errors.Is(err, ErrInvalidInput)
}
