package clerkhasura

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
)

const (
	// WebhookTolerance is how far a delivery's timestamp may be from the
	// handler's clock, either way: Svix's own verifiers' tolerance. An
	// older delivery is refused as a replay.
	WebhookTolerance = 5 * time.Minute

	// MaxWebhookBody bounds the body of a delivery [WebhookHandler] reads.
	// Clerk's session events are a few hundred bytes; its largest events
	// (a user with many identities) stay well below.
	MaxWebhookBody = 256 << 10
)

// The Clerk events after which a session mints no more tokens.
var sessionEndEvents = map[string]bool{
	"session.ended":   true,
	"session.revoked": true,
	"session.removed": true,
}

// SessionInvalidator is a cache of per-session state that can drop what it
// holds for one Clerk session. [*SessionTokens] is one. Invalidate must be
// safe for concurrent use, cheap, and harmless for a session the cache
// does not hold.
type SessionInvalidator interface {
	Invalidate(sessionID string)
}

// WebhookOptions configures [NewWebhookHandler]. A nil *WebhookOptions
// means the defaults.
type WebhookOptions struct {
	// Clock tells the time against which a delivery's timestamp is
	// judged. Optional: the system clock.
	Clock Clock

	// ErrorHandler writes the response to a delivery the handler refuses,
	// such as one with a bad signature; nothing is invalidated. Optional:
	// [WebhookError.ServeHTTP].
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err *WebhookError)
}

// WebhookStats counts what a [WebhookHandler] did since it was made, for a
// service to export as metrics. Counters only grow.
type WebhookStats struct {
	// Invalidated counts verified session.ended, session.revoked and
	// session.removed deliveries, each passed to every invalidator.
	Invalidated uint64
	// Ignored counts verified deliveries of other events, acknowledged
	// and otherwise ignored.
	Ignored uint64
	// Refused counts deliveries refused with a [*WebhookError].
	Refused uint64
}

// WebhookHandler is the endpoint of a Clerk webhook that ends cached
// sessions early.
//
// A Hasura token minted for a session stays valid until it expires, as the
// token getToken returns in a browser does, and a cache such as
// [SessionTokens] serves it until then: a session revoked in Clerk keeps
// working for up to one token lifetime (60 s with Clerk's default
// template), plus the life of the session token the browser sent. Clerk
// tells of ended sessions through webhooks, delivered and signed by Svix:
// this handler verifies a delivery's signature, and for session.ended,
// session.revoked and session.removed calls Invalidate with the session's
// ID on every [SessionInvalidator] it was given. The session's next request
// then finds no cached token, and minting one fails with [ErrSessionGone].
//
// It answers 204 to every verified delivery, other events included, so
// that Svix does not retry them; subscribe the endpoint to the three
// session events only. It refuses, with a [*WebhookError] and without
// invalidating anything, a request that is not a POST (405), a body
// larger than [MaxWebhookBody] (413), missing or malformed svix-id,
// svix-timestamp or svix-signature headers (or their webhook-* forms of
// the Standard Webhooks scheme Svix signs with) (400), a timestamp more
// than [WebhookTolerance] from its clock, such as a delivery replayed
// later (401), a signature that is not the secret's (401), and a signed
// session event whose body names no session (400).
//
// A delivery replayed within the tolerance is accepted again: it
// invalidates a session that has already ended, which costs one cache
// miss, and the mint that follows fails as it would anyway. Svix's own
// retries of one message carry the same svix-id, and are just as harmless.
//
// A WebhookHandler is safe for concurrent use. It never prints its secret.
type WebhookHandler struct {
	verifier *standardwebhooks.Webhook
	targets  []SessionInvalidator
	clock    Clock
	onError  func(http.ResponseWriter, *http.Request, *WebhookError)

	invalidated, ignored, refused atomic.Uint64
}

// NewWebhookHandler returns a [WebhookHandler] that verifies deliveries
// with secret, the endpoint's signing secret ("whsec_…", from the Clerk
// Dashboard's Webhooks page), and invalidates ended sessions in every one
// of targets, such as the [SessionTokens] a [Middleware] mints with. A nil
// opts means the defaults.
//
// It fails with an [*InputError] for a secret that is empty or not a
// signing secret, and when targets is empty or holds nil.
func NewWebhookHandler(secret string, opts *WebhookOptions, targets ...SessionInvalidator) (*WebhookHandler, error) {
	if strings.TrimSpace(secret) == "" {
		return nil, &InputError{Field: "webhook secret", Reason: "is empty"}
	}
	verifier, err := standardwebhooks.NewWebhook(strings.TrimSpace(secret))
	if err != nil {
		// The library's message may quote part of the secret.
		return nil, &InputError{Field: "webhook secret", Reason: `is not a signing secret such as "whsec_" and base64`}
	}
	if len(targets) == 0 {
		return nil, &InputError{Field: "webhook targets", Reason: "are empty: nothing to invalidate"}
	}
	for _, t := range targets {
		if t == nil {
			return nil, &InputError{Field: "webhook targets", Reason: "hold a nil SessionInvalidator"}
		}
	}
	h := &WebhookHandler{
		verifier: verifier,
		targets:  append([]SessionInvalidator(nil), targets...),
		clock:    systemClock{},
	}
	if opts != nil {
		if opts.Clock != nil {
			h.clock = opts.Clock
		}
		h.onError = opts.ErrorHandler
	}
	if h.onError == nil {
		h.onError = func(w http.ResponseWriter, r *http.Request, err *WebhookError) { err.ServeHTTP(w, r) }
	}
	return h, nil
}

// ServeHTTP verifies a delivery and acts on it.
func (h *WebhookHandler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	event, werr := h.verify(w, r)
	if werr != nil {
		h.refused.Add(1)
		h.onError(w, r, werr)
		return
	}
	if !sessionEndEvents[event.Type] {
		h.ignored.Add(1)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	for _, t := range h.targets {
		t.Invalidate(event.Data.ID)
	}
	h.invalidated.Add(1)
	w.WriteHeader(http.StatusNoContent)
}

// Stats returns the handler's counters.
func (h *WebhookHandler) Stats() WebhookStats {
	return WebhookStats{Invalidated: h.invalidated.Load(), Ignored: h.ignored.Load(), Refused: h.refused.Load()}
}

// String describes the handler without its secret.
func (h *WebhookHandler) String() string {
	return fmt.Sprintf("clerkhasura.WebhookHandler{targets: %d}", len(h.targets))
}

// Format implements [fmt.Formatter] so that every verb prints
// [WebhookHandler.String], never the signing secret.
func (h *WebhookHandler) Format(f fmt.State, verb rune) { formatString(f, verb, h.String()) }

// clerkEvent is the part of a Clerk webhook event the handler reads.
type clerkEvent struct {
	Type string `json:"type"`
	Data struct {
		ID string `json:"id"`
	} `json:"data"`
}

// verify reads and checks a delivery, and returns its event.
func (h *WebhookHandler) verify(w http.ResponseWriter, r *http.Request) (*clerkEvent, *WebhookError) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, webhookRefusal(http.StatusMethodNotAllowed, reasonWebhookMethod, nil)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxWebhookBody))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, webhookRefusal(http.StatusRequestEntityTooLarge, reasonWebhookTooLarge, nil)
		}
		return nil, webhookRefusal(http.StatusBadRequest, reasonWebhookUnread, err)
	}
	headers, sent, werr := signatureHeaders(r.Header)
	if werr != nil {
		return nil, werr
	}
	switch age := h.clock.Now().Sub(sent); {
	case age > WebhookTolerance:
		return nil, webhookRefusal(http.StatusUnauthorized, reasonWebhookStale, standardwebhooks.ErrMessageTooOld)
	case age < -WebhookTolerance:
		return nil, webhookRefusal(http.StatusUnauthorized, reasonWebhookStale, standardwebhooks.ErrMessageTooNew)
	}
	// The timestamp was judged above on the handler's clock; the library
	// would read the system's.
	if err := h.verifier.VerifyIgnoringTimestamp(body, headers); err != nil {
		return nil, webhookRefusal(http.StatusUnauthorized, reasonWebhookSignature, standardwebhooks.ErrNoMatchingSignature)
	}
	var event clerkEvent
	if err := json.Unmarshal(body, &event); err != nil {
		return nil, webhookRefusal(http.StatusBadRequest, reasonWebhookBody, nil)
	}
	if sessionEndEvents[event.Type] && !validSessionID(event.Data.ID) {
		return nil, webhookRefusal(http.StatusBadRequest, reasonWebhookNoSession, nil)
	}
	return &event, nil
}

// signatureHeaders returns the Standard Webhooks headers of a delivery,
// read from Svix's svix-* headers, which Clerk sends, or from their
// webhook-* forms, and the delivery's timestamp.
func signatureHeaders(in http.Header) (http.Header, time.Time, *WebhookError) {
	out := make(http.Header, 3)
	for _, name := range []string{"id", "timestamp", "signature"} {
		v := in.Get("svix-" + name)
		if v == "" {
			v = in.Get("webhook-" + name)
		}
		if v == "" {
			return nil, time.Time{}, webhookRefusal(http.StatusBadRequest, reasonWebhookHeaders, standardwebhooks.ErrRequiredHeaders)
		}
		out.Set("webhook-"+name, v)
	}
	secs, err := strconv.ParseInt(out.Get("webhook-timestamp"), 10, 64)
	if err != nil {
		return nil, time.Time{}, webhookRefusal(http.StatusBadRequest, reasonWebhookHeaders, standardwebhooks.ErrInvalidHeaders)
	}
	return out, time.Unix(secs, 0), nil
}

// validSessionID reports whether id can be a Clerk session ID: what
// Clerk's IDs are made of, at most 64 bytes (sanitizeToken's bound).
// Anything else would only miss every cache, but need not be looked up.
func validSessionID(id string) bool {
	return id != "" && sanitizeToken(id) == id
}
