// Package forward passes a browser's Clerk template token on to Hasura as it
// is: the second rung of the ladder past Clerk's rate limit, which costs no
// call to Clerk's Backend API.
//
// The browser asks Clerk for a Hasura token, as Clerk documents for Hasura,
// and sends it to the service:
//
//	const token = await getToken({ template: 'hasura' })
//	fetch('/api/me', { headers: { Authorization: `Bearer ${token}` } })
//
// The service verifies it (package middleware does, with Clerk's keys, as it
// verifies session tokens), and calls Hasura with a [Source] over it:
//
//	src, err := forward.NewSource(token, nil)
//	if err != nil { … }
//	hc, err := hasura.NewClient(endpoint, src, nil)
//
// A forwarded token cannot be refreshed: the source returns it until it
// expires, then fails with [ErrExpired], and a token Hasura refuses is
// refused for good. Its revocation delay is its remaining lifetime, which
// the middleware bounds (middleware.Options.MaxTemplateLifetime).
package forward
