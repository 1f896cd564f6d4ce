package clerkhasuratest

import "time"

// Fault describes how a fake answers a request it is told to fail, as with
// [Clerk.FailNext]. The zero value of every field except Status means "as
// the real service would".
type Fault struct {
	// Status is the HTTP status of the answer, for example 429, 500 or 502.
	// Zero delays the request by Latency and then answers it normally.
	Status int
	// Body is the response body. Optional. Default: the error body the real
	// service sends with Status; for the fake Clerk, Clerk's ClerkErrors JSON.
	// Set it to, for example, "<html>bad gateway</html>" to act like a proxy.
	Body string
	// ContentType is the Content-Type header. Optional. Default:
	// application/json for a JSON body, otherwise sniffed from Body.
	ContentType string
	// RetryAfter is sent as the Retry-After header in whole seconds, rounded
	// up. Optional. Zero sends no header.
	RetryAfter time.Duration
	// Latency delays the answer. Optional. The delay ends early, without an
	// answer, when the client cancels the request or the fake is closed.
	Latency time.Duration
	// Path limits the fault to requests whose URL path contains it, such
	// as "/jwt_templates", "jwks" or "/v1/" (every Backend API route).
	// Optional. Default: the routes that mint tokens,
	// /v1/sessions/{id}/tokens and /v1/sessions/{id}/tokens/{template},
	// so that a verifier's JWKS fetches do not take the fault.
	Path string
}
