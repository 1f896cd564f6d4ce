package middleware

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strconv"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/forward"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// statusClientClosedRequest is the status [WriteError] gives a request
// whose context was canceled, nginx's for a client that hung up: nobody
// reads it, but logs and metrics do not count it as the service's failure.
const statusClientClosedRequest = 499

// WriteError answers a request whose handler failed with err, an error of
// this module's packages, with the status that fits it and a JSON body of
// the shape a refused request gets:
//
//	{"error":"session_ended","message":"the Clerk session has ended: sign in again"}
//
// The message is fixed for each class and never err's text, which may
// name the session, the template or what Hasura said: log err yourself.
// An [*AuthError] is written by [AuthError.ServeHTTP]. The others, tried
// in this order:
//
//	hasura.ErrNotFound                       404 not_found
//	clerkhasura.ErrSessionGone,
//	localjwt.ErrSessionEnded                 401 session_ended (WWW-Authenticate too)
//	forward.ErrExpired,
//	localjwt.ErrSessionExpired               401 token_expired (WWW-Authenticate too)
//	clerkhasura.ErrTemplateNotFound,
//	ErrInvalidSecretKey, ErrClerkRejected,
//	hasura.ErrNoUserID                       500 misconfigured
//	a temporary *clerkhasura.ClerkError      503 clerk_unavailable, with Retry-After
//	hasura.ErrPermission                     403 forbidden
//	hasura.ErrConstraint                     409 conflict
//	hasura.ErrAuth                           502 hasura_rejected_token
//	hasura.ErrValidation                     502 hasura_rejected_operation
//	another *hasura.Error,
//	clerkhasura.ErrResponseTooLarge          502 bad_gateway
//	clerkhasura.ErrClosed                    503 unavailable
//	context.DeadlineExceeded                 504 timeout
//	context.Canceled                         499 canceled (nginx's status for a client that hung up)
//	anything else                            500 internal
//
// Session gone is a 401: the user has to sign in again; so is a forwarded
// or session token that expired during the request: the browser sends a
// new one. The
// template missing is the service's configuration, not the user's
// session, so a 401 would send every user to sign in again to no avail.
// Retry-After is the wait Clerk asked for, in whole seconds rounded up,
// when it asked for one.
func WriteError(w http.ResponseWriter, r *http.Request, err error) {
	if aerr, ok := errors.AsType[*AuthError](err); ok {
		aerr.ServeHTTP(w, r)
		return
	}
	c := classify(err)
	h := w.Header()
	if c.status == http.StatusUnauthorized {
		h.Set("WWW-Authenticate", `Bearer error="invalid_token"`)
	}
	if c.retryAfter > 0 {
		h.Set("Retry-After", strconv.FormatInt(c.retryAfter, 10))
	}
	writeJSON(w, c.status, c.code, c.message)
}

// answer is what [WriteError] writes for an error.
type answer struct {
	status        int
	code, message string
	retryAfter    int64 // seconds; 0 for none
}

// classify finds err's answer.
func classify(err error) answer {
	ce, isClerk := errors.AsType[*clerkhasura.ClerkError](err)
	_, isHasura := errors.AsType[*hasura.Error](err)
	switch {
	case errors.Is(err, hasura.ErrNotFound):
		return answer{status: http.StatusNotFound, code: "not_found", message: "no such row, or not yours to see"}
	case errors.Is(err, clerkhasura.ErrSessionGone), errors.Is(err, localjwt.ErrSessionEnded):
		return answer{status: http.StatusUnauthorized, code: "session_ended", message: "the Clerk session has ended: sign in again"}
	case errors.Is(err, forward.ErrExpired), errors.Is(err, localjwt.ErrSessionExpired):
		return answer{status: http.StatusUnauthorized, code: "token_expired", message: "the token has expired: send a new one"}
	case errors.Is(err, clerkhasura.ErrTemplateNotFound):
		return misconfigured("its Clerk JWT template does not exist")
	case errors.Is(err, clerkhasura.ErrInvalidSecretKey):
		return misconfigured("Clerk rejected its secret key")
	case errors.Is(err, clerkhasura.ErrClerkRejected):
		return misconfigured("Clerk refused to mint a token for it")
	case errors.Is(err, hasura.ErrNoUserID):
		return misconfigured("its tokens name no Hasura user")
	case isClerk && ce.Temporary():
		a := answer{status: http.StatusServiceUnavailable, code: "clerk_unavailable", message: "Clerk is unavailable: try again later"}
		if ce.RetryAfter > 0 {
			a.retryAfter = retryAfterSeconds(ce.RetryAfter)
		}
		return a
	case errors.Is(err, hasura.ErrPermission):
		return answer{status: http.StatusForbidden, code: "forbidden", message: "Hasura's permissions refuse this"}
	case errors.Is(err, hasura.ErrConstraint):
		return answer{status: http.StatusConflict, code: "conflict", message: "the change conflicts with existing data"}
	case errors.Is(err, hasura.ErrAuth):
		return answer{status: http.StatusBadGateway, code: "hasura_rejected_token", message: "Hasura did not accept the service's token"}
	case errors.Is(err, hasura.ErrValidation):
		return answer{status: http.StatusBadGateway, code: "hasura_rejected_operation", message: "Hasura refused the operation as invalid"}
	case isHasura, errors.Is(err, clerkhasura.ErrResponseTooLarge):
		return answer{status: http.StatusBadGateway, code: "bad_gateway", message: "Hasura could not run the operation"}
	case errors.Is(err, clerkhasura.ErrClosed):
		return answer{status: http.StatusServiceUnavailable, code: "unavailable", message: "the service is shutting down"}
	case errors.Is(err, context.DeadlineExceeded):
		return answer{status: http.StatusGatewayTimeout, code: "timeout", message: "Clerk or Hasura took too long"}
	case errors.Is(err, context.Canceled):
		return answer{status: statusClientClosedRequest, code: "canceled", message: "the request was canceled"}
	}
	return answer{status: http.StatusInternalServerError, code: "internal", message: "internal error"}
}

func misconfigured(why string) answer {
	return answer{status: http.StatusInternalServerError, code: "misconfigured", message: "the service is misconfigured: " + why}
}

// writeJSON writes status and the body {"error":code,"message":message},
// which no cache may keep.
func writeJSON(w http.ResponseWriter, status int, code, message string) {
	h := w.Header()
	h.Set("Content-Type", "application/json")
	h.Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The client hung up if this fails; there is nobody left to tell.
	_ = json.NewEncoder(w).Encode(struct {
		Error   string `json:"error"`
		Message string `json:"message"`
	}{code, message})
}
