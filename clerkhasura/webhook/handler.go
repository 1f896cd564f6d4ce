package webhook

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/redact"
)

const (
	// Tolerance is how far a delivery's timestamp may be from the
	// handler's clock, either way: Svix's own verifiers' tolerance. An
	// older delivery is refused as a replay.
	Tolerance = 5 * time.Minute

	// MaxBodyBytes bounds the body of a delivery [Handler] reads.
	// Clerk's session events are a few hundred bytes; its largest events
	// (a user with many identities) stay well below.
	MaxBodyBytes = 256 << 10
)

// The Clerk events after which a session mints no more tokens.
var sessionEndEvents = map[string]bool{
	"session.ended":   true,
	"session.revoked": true,
	"session.removed": true,
}

// SessionEnder is a cache of per-session state that can drop what it holds
// for one Clerk session. [*clerkhasura.SessionTokens] is one, and so are
// the Signer of package localjwt and the Middleware of package middleware,
// which refuse the session's requests at once. EndSession
// must be safe for concurrent use, cheap, and harmless for a session the
// cache does not hold.
type SessionEnder interface {
	EndSession(sessionID string)
}

// Options configures [NewHandler]. A nil *Options means the defaults.
type Options struct {
	// Clock tells the time against which a delivery's timestamp is
	// judged. Optional: the system clock.
	Clock clerkhasura.Clock

	// ErrorHandler writes the response to a delivery the handler refuses,
	// such as one with a bad signature; no session is ended. Optional:
	// [Error.ServeHTTP].
	ErrorHandler func(w http.ResponseWriter, r *http.Request, err *Error)

	// Logger receives a Warn record for each refused delivery, with the
	// [Error]'s reason and status (only Svix should call the endpoint, so
	// a refusal means a wrong secret, a skewed clock or a forgery), and a
	// Debug record for each session ended, with its ID. Neither holds the
	// secret or the body. Optional: no log.
	Logger *slog.Logger
}

// Stats counts what a [Handler] did since it was made, for a
// service to export as metrics. Counters only grow.
type Stats struct {
	// Ended counts verified session.ended, session.revoked and
	// session.removed deliveries, each passed to every [SessionEnder].
	Ended uint64
	// Ignored counts verified deliveries of other events, acknowledged
	// and otherwise ignored.
	Ignored uint64
	// Refused counts deliveries refused with a [*Error].
	Refused uint64
}

// Handler is the endpoint of a Clerk webhook that ends cached sessions early.
//
// A Hasura token minted for a session stays valid until it expires, as the
// token getToken returns in a browser does, and a cache such as
// [clerkhasura.SessionTokens] serves it until then: a session revoked in Clerk
// keeps working for up to one token lifetime (60 s with Clerk's default
// template), plus the life of the session token the browser sent. Clerk tells
// of ended sessions through webhooks, delivered and signed by Svix: this
// handler verifies a delivery's signature, and for session.ended,
// session.revoked and session.removed calls EndSession with the session's ID
// on every [SessionEnder] it was given. The session's next request then finds
// no cached token, and minting one fails with [clerkhasura.ErrSessionGone].
//
// It answers 204 to every verified delivery, other events included, so that
// Svix does not retry them; subscribe the endpoint to the three session events
// only. It refuses, with a [*Error] and without ending any session, a request
// that is not a POST (405), a body larger than [MaxBodyBytes] (413), missing
// or malformed svix-id, svix-timestamp or svix-signature headers (or their
// webhook-* forms of the Standard Webhooks scheme Svix signs with) (400), a
// timestamp more than [Tolerance] from its clock, such as a delivery replayed
// later (401), a signature that is not the secret's (401), and a signed
// session event whose body names no session (400).
//
// A delivery replayed within the tolerance is accepted again: it ends a
// session that has already ended, which costs one cache miss, and the mint
// that follows fails as it would anyway. Svix's own retries of one message
// carry the same svix-id, and are just as harmless.
//
// A Handler is safe for concurrent use. It never prints its secret.
type Handler struct {
	verifier *standardwebhooks.Webhook
	targets  []SessionEnder
	clock    clerkhasura.Clock
	onError  func(http.ResponseWriter, *http.Request, *Error)
	log      *slog.Logger

	ended, ignored, refused atomic.Uint64
}

// NewHandler returns a [Handler] that verifies deliveries with secret,
// the endpoint's signing secret ("whsec_…", from the Clerk Dashboard's
// Webhooks page), and ends the sessions Clerk reports ended in every one
// of targets, such as the [clerkhasura.SessionTokens] a middleware mints
// with. A nil opts means the defaults.
//
// It fails with a [*clerkhasura.InputError] for a secret that is empty or
// not a signing secret, and when targets is empty or holds nil.
func NewHandler(secret string, opts *Options, targets ...SessionEnder) (*Handler, error) {
	if strings.TrimSpace(secret) == "" {
		return nil, &clerkhasura.InputError{Field: "webhook secret", Reason: "is empty"}
	}
	verifier, err := standardwebhooks.NewWebhook(strings.TrimSpace(secret))
	if err != nil {
		// The library's message may quote part of the secret.
		return nil, &clerkhasura.InputError{Field: "webhook secret", Reason: `is not a signing secret such as "whsec_" and base64`}
	}
	if len(targets) == 0 {
		return nil, &clerkhasura.InputError{Field: "webhook targets", Reason: "are empty: no session to end"}
	}
	for _, t := range targets {
		if t == nil {
			return nil, &clerkhasura.InputError{Field: "webhook targets", Reason: "hold a nil SessionEnder"}
		}
	}
	h := &Handler{
		verifier: verifier,
		targets:  append([]SessionEnder(nil), targets...),
	}
	if opts != nil {
		h.clock = opts.Clock
		h.onError = opts.ErrorHandler
		h.log = opts.Logger
	}
	if h.onError == nil {
		h.onError = func(w http.ResponseWriter, r *http.Request, err *Error) { err.ServeHTTP(w, r) }
	}
	return h, nil
}

// ServeHTTP verifies a delivery and acts on it.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	event, werr := h.verify(w, r)
	if werr != nil {
		h.refused.Add(1)
		if h.log != nil {
			h.log.LogAttrs(r.Context(), slog.LevelWarn, "clerkhasura: webhook delivery refused",
				slog.String("reason", werr.Reason), slog.Int("status", werr.Status))
		}
		h.onError(w, r, werr)
		return
	}
	if !sessionEndEvents[event.Type] {
		h.ignored.Add(1)
		w.WriteHeader(http.StatusNoContent)
		return
	}
	for _, t := range h.targets {
		t.EndSession(event.Data.ID)
	}
	h.ended.Add(1)
	if h.log != nil {
		h.log.LogAttrs(r.Context(), slog.LevelDebug, "clerkhasura: session ended",
			slog.String("event", event.Type), slog.String("session", event.Data.ID))
	}
	w.WriteHeader(http.StatusNoContent)
}

// Stats returns the handler's counters.
func (h *Handler) Stats() Stats {
	return Stats{Ended: h.ended.Load(), Ignored: h.ignored.Load(), Refused: h.refused.Load()}
}

// String describes the handler without its secret.
func (h *Handler) String() string {
	return fmt.Sprintf("webhook.Handler{targets: %d}", len(h.targets))
}

// Format implements [fmt.Formatter] so that every verb prints
// [Handler.String], never the signing secret.
func (h *Handler) Format(f fmt.State, verb rune) { redact.Format(f, verb, h.String()) }

// now reads the handler's clock.
func (h *Handler) now() time.Time {
	if h.clock == nil {
		return time.Now()
	}
	return h.clock.Now()
}

// clerkEvent is the part of a Clerk webhook event the handler reads.
type clerkEvent struct {
	Type string `json:"type"`
	Data struct {
		ID string `json:"id"`
	} `json:"data"`
}

// verify reads and checks a delivery, and returns its event.
func (h *Handler) verify(w http.ResponseWriter, r *http.Request) (*clerkEvent, *Error) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		return nil, refusal(http.StatusMethodNotAllowed, reasonMethod, nil)
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			return nil, refusal(http.StatusRequestEntityTooLarge, reasonTooLarge, nil)
		}
		return nil, refusal(http.StatusBadRequest, reasonUnread, err)
	}
	headers, sent, werr := signatureHeaders(r.Header)
	if werr != nil {
		return nil, werr
	}
	switch age := h.now().Sub(sent); {
	case age > Tolerance:
		return nil, refusal(http.StatusUnauthorized, reasonStale, standardwebhooks.ErrMessageTooOld)
	case age < -Tolerance:
		return nil, refusal(http.StatusUnauthorized, reasonStale, standardwebhooks.ErrMessageTooNew)
	}
	// The timestamp was judged above on the handler's clock; the library
	// would read the system's.
	if err := h.verifier.VerifyIgnoringTimestamp(body, headers); err != nil {
		return nil, refusal(http.StatusUnauthorized, reasonSignature, standardwebhooks.ErrNoMatchingSignature)
	}
	var event clerkEvent
	if err := json.Unmarshal(body, &event); err != nil {
		return nil, refusal(http.StatusBadRequest, reasonBody, nil)
	}
	if sessionEndEvents[event.Type] && !validSessionID(event.Data.ID) {
		return nil, refusal(http.StatusBadRequest, reasonNoSession, nil)
	}
	return &event, nil
}

// signatureHeaders returns the Standard Webhooks headers of a delivery,
// read from Svix's svix-* headers, which Clerk sends, or from their
// webhook-* forms, and the delivery's timestamp.
func signatureHeaders(in http.Header) (http.Header, time.Time, *Error) {
	out := make(http.Header, 3)
	for _, name := range []string{"id", "timestamp", "signature"} {
		v := in.Get("svix-" + name)
		if v == "" {
			v = in.Get("webhook-" + name)
		}
		if v == "" {
			return nil, time.Time{}, refusal(http.StatusBadRequest, reasonHeaders, standardwebhooks.ErrRequiredHeaders)
		}
		out.Set("webhook-"+name, v)
	}
	secs, err := strconv.ParseInt(out.Get("webhook-timestamp"), 10, 64)
	if err != nil {
		return nil, time.Time{}, refusal(http.StatusBadRequest, reasonHeaders, standardwebhooks.ErrInvalidHeaders)
	}
	return out, time.Unix(secs, 0), nil
}

// validSessionID reports whether id can be a Clerk session ID: what
// Clerk's IDs are made of, at most 64 bytes (sanitizeToken's bound).
// Anything else would only miss every cache, but need not be looked up.
func validSessionID(id string) bool {
	return id != "" && redact.Code(id) == id
}
