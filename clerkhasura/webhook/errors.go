package webhook

import (
	"encoding/json"
	"errors"
	"net/http"
)

// ErrRefused means a [Handler] refused a delivery: not a
// POST, too large, unsigned, badly signed, too old or too new, or a
// session event naming no session. Every [*Error] matches it.
var ErrRefused = errors.New("clerkhasura: webhook delivery refused")

// Error is why a [Handler] refused a delivery. Its Reason is
// one of a fixed set of phrases and never quotes the request.
//
// It matches [ErrRefused] with [errors.Is], and unwraps to Err, one
// of the Standard Webhooks library's errors (ErrRequiredHeaders,
// ErrInvalidHeaders, ErrMessageTooOld, ErrMessageTooNew,
// ErrNoMatchingSignature) when the signature check refused the delivery,
// or the error reading the body.
type Error struct {
	// Reason says what was wrong, such as "invalid webhook signature".
	Reason string
	// Status is the HTTP status of the refusal: 400, 401, 405 or 413.
	Status int
	// Err is the cause; nil when there is none.
	Err error
}

// Error returns the reason, prefixed with "clerkhasura: ".
func (e *Error) Error() string { return "clerkhasura: " + e.Reason }

// Is reports whether target is [ErrRefused].
func (e *Error) Is(target error) bool { return target == ErrRefused }

// Unwrap returns Err.
func (e *Error) Unwrap() error { return e.Err }

// ServeHTTP writes the refusal a [Handler] sends by default: Status
// and a JSON body such as {"error":"invalid webhook signature"}. Svix
// retries a delivery that was not answered with a 2xx status.
func (e *Error) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	// The sender hung up if this fails; there is nobody left to tell.
	_ = json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{e.Reason})
}

// The reasons a [Error] gives.
const (
	reasonMethod    = "webhook delivery must be a POST"
	reasonTooLarge  = "webhook body too large"
	reasonUnread    = "webhook body could not be read"
	reasonHeaders   = "missing or malformed webhook signature headers"
	reasonStale     = "webhook timestamp outside the tolerance"
	reasonSignature = "invalid webhook signature"
	reasonBody      = "webhook body is not a JSON event"
	reasonNoSession = "session event names no session"
)

func refusal(status int, reason string, cause error) *Error {
	return &Error{Reason: reason, Status: status, Err: cause}
}
