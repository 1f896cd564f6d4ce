package main

import (
	"context"
	"encoding/json"
	"errors"
	"math"
	"net/http"
	"strconv"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// apiError is an error as the API reports it.
type apiError struct {
	status     int
	code       string
	message    string
	retryAfter int // seconds; 0 for none
}

// classify maps an error of clerkhasura to the answer a client gets. The
// message is fixed per class: the error itself goes to the log only.
func classify(err error) apiError {
	var ce *clerkhasura.ClerkError
	switch {
	case errors.Is(err, clerkhasura.ErrNotFound):
		return apiError{status: http.StatusNotFound, code: "not_found", message: "no such row, or not yours to see"}
	case errors.Is(err, clerkhasura.ErrTemplateNotFound):
		// The service's configuration is wrong, not the user's session:
		// a 401 would send every user to sign in again, to no avail.
		return apiError{status: http.StatusInternalServerError, code: "misconfigured", message: "the service is misconfigured: its Clerk JWT template does not exist"}
	case errors.Is(err, clerkhasura.ErrSessionGone):
		return apiError{status: http.StatusUnauthorized, code: "session_ended", message: "the Clerk session has ended: sign in again"}
	case errors.As(err, &ce) && ce.Temporary():
		return apiError{status: http.StatusServiceUnavailable, code: "clerk_unavailable", message: "Clerk is unavailable: try again later",
			retryAfter: int(math.Ceil(ce.RetryAfter.Seconds()))}
	case errors.Is(err, clerkhasura.ErrPermission):
		return apiError{status: http.StatusForbidden, code: "forbidden", message: "Hasura's permissions refuse this"}
	case errors.Is(err, clerkhasura.ErrConstraint):
		return apiError{status: http.StatusConflict, code: "conflict", message: "the change conflicts with existing data"}
	case errors.Is(err, clerkhasura.ErrAuth):
		return apiError{status: http.StatusBadGateway, code: "hasura_rejected_token", message: "Hasura did not accept the token: check HASURA_GRAPHQL_JWT_SECRET and the JWT template"}
	case errors.Is(err, clerkhasura.ErrValidation):
		return apiError{status: http.StatusBadGateway, code: "hasura_schema_mismatch", message: "Hasura refused the operation: check the metadata of examples/hasura"}
	case errors.Is(err, context.DeadlineExceeded):
		return apiError{status: http.StatusGatewayTimeout, code: "timeout", message: "Clerk or Hasura took too long"}
	}
	return apiError{status: http.StatusInternalServerError, code: "internal", message: "internal error"}
}

// writeError answers with err's class, and logs err through the request's
// log record.
func writeError(w http.ResponseWriter, r *http.Request, err error) {
	e := classify(err)
	if rec := recordOf(r.Context()); rec != nil {
		rec.err = err
	}
	if e.retryAfter > 0 {
		w.Header().Set("Retry-After", strconv.Itoa(e.retryAfter))
	}
	writeJSON(w, e.status, map[string]string{"error": e.code, "message": e.message})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	// The client hung up if this fails; there is nobody left to tell.
	_ = json.NewEncoder(w).Encode(v)
}
