package clerkhasuratest

import "time"

// Fault is how a fake [Clerk] answers a request it is told to fail with
// [Clerk.FailNext].
type Fault struct {
	// Status is the answer's HTTP status, such as 429 or 502; zero only
	// delays the request by Latency.
	Status int
	// Body and ContentType are the answer's. Optional. Default: Clerk's
	// error body for Status; a type sniffed from Body.
	Body, ContentType string
	// RetryAfter is sent as Retry-After, in whole seconds rounded up.
	// Optional.
	RetryAfter time.Duration
	// Latency delays the answer. Optional. The delay ends, without an
	// answer, when the client gives up or the fake closes.
	Latency time.Duration
	// Path limits the fault to requests whose path contains it, such as
	// "jwks" or "/v1/" (the whole Backend API). Optional. Default: the
	// token mints, POST /v1/sessions/{id}/tokens[/{template}].
	Path string
}
