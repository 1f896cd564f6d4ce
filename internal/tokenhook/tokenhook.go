// Package tokenhook lends the packages built on the token layer two of
// its unexported functions, which they need and its users do not, so
// that they stay out of its API. Package clerkhasura sets them when it is
// initialised; every package that calls them imports clerkhasura, so they
// are set before any use.
package tokenhook

import "time"

// Uncached reports whether src mints a token on every call, as the source
// of clerkhasura.NewSessionTokenSource does.
var Uncached func(src any) bool

// ClerkError turns err, an error clerk-sdk-go returned for a request that
// began at now, into a *clerkhasura.ClerkError: Clerk's status, codes,
// trace ID and Retry-After, never a response body.
var ClerkError func(err error, now time.Time) error
