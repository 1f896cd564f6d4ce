package fakeclerk

import (
	"encoding/json"
	"net/http"
)

// apiError is one entry of Clerk's ClerkErrors body.
type apiError struct {
	Message     string     `json:"message"`
	LongMessage string     `json:"long_message"`
	Code        string     `json:"code"`
	Meta        *errorMeta `json:"meta,omitempty"`
}

// errorMeta names the request parameter a form error is about.
type errorMeta struct {
	ParamName string `json:"param_name"`
}

// errorBody is Clerk's ClerkErrors response body.
type errorBody struct {
	Errors  []apiError `json:"errors"`
	TraceID string     `json:"clerk_trace_id,omitempty"`
}

var (
	errUnauthorized = apiError{
		Message:     "Unauthorized request",
		LongMessage: "The provided Clerk Secret Key is invalid. Make sure that your Clerk Secret Key is correct.",
		Code:        "authentication_invalid",
	}
	errNotFound = apiError{
		Message:     "not found",
		LongMessage: "Resource not found",
		Code:        "resource_not_found",
	}
	errBodyInvalid = apiError{
		Message:     "Request body invalid",
		LongMessage: "The request body is invalid. Please consult the API documentation for more information.",
		Code:        "request_body_invalid",
	}
	errTooManyRequests = apiError{
		Message:     "Too many requests",
		LongMessage: "Too many requests, please try again later.",
		Code:        "too_many_requests",
	}
	errInternal = apiError{
		Message:     "Oops, an unexpected error occurred",
		LongMessage: "There was an internal error on our servers. We've been notified and are working on fixing it.",
		Code:        "internal_clerk_error",
	}
)

// paramInvalid is Clerk's 422 entry for a request parameter with a bad value.
func paramInvalid(name, long string) apiError {
	return apiError{
		Message:     "is invalid",
		LongMessage: long,
		Code:        "form_param_value_invalid",
		Meta:        &errorMeta{ParamName: name},
	}
}

// paramMissing is Clerk's 422 entry for an absent required parameter.
func paramMissing(name string) apiError {
	return apiError{
		Message:     "missing required parameter",
		LongMessage: name + " must be included.",
		Code:        "form_param_missing",
		Meta:        &errorMeta{ParamName: name},
	}
}

// errorForStatus is the entry Clerk sends with status.
func errorForStatus(status int) apiError {
	switch {
	case status == http.StatusUnauthorized:
		return errUnauthorized
	case status == http.StatusNotFound:
		return errNotFound
	case status == http.StatusTooManyRequests:
		return errTooManyRequests
	case status >= 500:
		return errInternal
	case status == http.StatusBadRequest:
		return errBodyInvalid
	default:
		text := http.StatusText(status)
		return apiError{Message: text, LongMessage: text, Code: "request_failed"}
	}
}

// newTraceID returns a value for Clerk-Trace-Id and clerk_trace_id.
func newTraceID() string { return newHex(16) }

// writeJSON sends v as JSON with status and a fresh trace ID header.
func writeJSON(w http.ResponseWriter, status int, v any) {
	body, err := json.Marshal(v)
	if err != nil {
		status = http.StatusInternalServerError
		body, _ = json.Marshal(errorBody{Errors: []apiError{errInternal}})
	}
	h := w.Header()
	h.Set("Content-Type", "application/json")
	if h.Get("Clerk-Trace-Id") == "" {
		h.Set("Clerk-Trace-Id", newTraceID())
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// writeError sends Clerk's error body for status with the given entries.
func writeError(w http.ResponseWriter, status int, errs ...apiError) {
	if len(errs) == 0 {
		errs = []apiError{errorForStatus(status)}
	}
	trace := newTraceID()
	w.Header().Set("Clerk-Trace-Id", trace)
	writeJSON(w, status, errorBody{Errors: errs, TraceID: trace})
}

// errorJSON is the default body of an injected fault with status.
func errorJSON(status int, trace string) []byte {
	body, _ := json.Marshal(errorBody{Errors: []apiError{errorForStatus(status)}, TraceID: trace})
	return body
}
