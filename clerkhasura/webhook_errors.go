package clerkhasura

import (
	"encoding/json"
	"errors"
	"net/http"
)

// ErrWebhookRefused means a [WebhookHandler] refused a delivery: not a
// POST, too large, unsigned, badly signed, too old or too new, or a
// session event naming no session. Every [*WebhookError] matches it.
var ErrWebhookRefused = errors.New("clerkhasura: webhook delivery refused")

// WebhookError is why a [WebhookHandler] refused a delivery. Its Reason is
// one of a fixed set of phrases and never quotes the request.
//
// It matches [ErrWebhookRefused] and Err with [errors.Is]: Err is one of
// the Standard Webhooks library's errors (ErrRequiredHeaders,
// ErrInvalidHeaders, ErrMessageTooOld, ErrMessageTooNew,
// ErrNoMatchingSignature) when the signature check refused the delivery,
// or the error reading the body.
type WebhookError struct {
	// Reason says what was wrong, such as "invalid webhook signature".
	Reason string
	// Status is the HTTP status of the refusal: 400, 401, 405 or 413.
	Status int
	// Err is the cause; nil when there is none.
	Err error
}

// Error returns the reason, prefixed with the package name.
func (e *WebhookError) Error() string { return "clerkhasura: " + e.Reason }

// Unwrap returns [ErrWebhookRefused] and Err.
func (e *WebhookError) Unwrap() []error { return kindAndCause(ErrWebhookRefused, e.Err) }

// ServeHTTP writes the refusal a [WebhookHandler] sends by default: Status
// and a JSON body such as {"error":"invalid webhook signature"}. Svix
// retries a delivery that was not answered with a 2xx status.
func (e *WebhookError) ServeHTTP(w http.ResponseWriter, _ *http.Request) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(e.Status)
	// The sender hung up if this fails; there is nobody left to tell.
	_ = json.NewEncoder(w).Encode(struct {
		Error string `json:"error"`
	}{e.Reason})
}

// The reasons a [WebhookError] gives.
const (
	reasonWebhookMethod    = "webhook delivery must be a POST"
	reasonWebhookTooLarge  = "webhook body too large"
	reasonWebhookUnread    = "webhook body could not be read"
	reasonWebhookHeaders   = "missing or malformed webhook signature headers"
	reasonWebhookStale     = "webhook timestamp outside the tolerance"
	reasonWebhookSignature = "invalid webhook signature"
	reasonWebhookBody      = "webhook body is not a JSON event"
	reasonWebhookNoSession = "session event names no session"
)

func webhookRefusal(status int, reason string, cause error) *WebhookError {
	return &WebhookError{Reason: reason, Status: status, Err: cause}
}
