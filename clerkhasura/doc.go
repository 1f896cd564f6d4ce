// Package clerkhasura is the token layer of the SDK that calls Hasura as a
// Clerk user from Go: the server-side getToken({template: "hasura"}), the
// caching a backend serving many users needs, and an
// [net/http.RoundTripper] that puts the token on Hasura's requests. It
// knows nothing of GraphQL. Built on it are package hasura (the typed
// client of the users table), subscription (websockets that outlive token
// expiries), middleware (net/http, verifying Clerk session tokens) and
// webhook (Clerk's session-ended webhook), all under
// github.com/clerkhasura/clerkhasura-go/clerkhasura, with clerkhasuratest
// for tests.
//
// # Quickstart
//
// A tool acting for one Clerk session caches that session's tokens and
// sends its requests through a [Transport]:
//
//	sessions := session.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{Key: &secretKey}})
//	minter, err := clerkhasura.NewSessionTokenSource(sessions, sessionID, "hasura", nil)
//	if err != nil { … }
//	src, err := clerkhasura.NewCachedTokenSource(minter, nil)
//	if err != nil { … }
//	defer src.Close()
//	tr, err := clerkhasura.NewTransport("https://my-project.hasura.app/v1/graphql", src, nil)
//	if err != nil { … }
//	hc := &http.Client{Transport: tr} // or hasura.NewClient(endpoint, src, nil)
//
// A service holds one [SessionTokens] for all its sessions:
//
//	tokens, err := clerkhasura.NewSessionTokens(nil, "hasura", nil) // nil: clerk-sdk-go's package-level client
//	if err != nil { … }
//	defer tokens.Close()
//	tok, err := tokens.Source(sessionID).Token(ctx)
//
// A [TokenSource] returns a [Token]: the JWT, which String, Format and
// LogValue never reveal, and its expiry on the local clock.
// [NewSessionTokenSource] mints one through the Clerk Backend API on every
// call; [CachedTokenSource] and [SessionTokens] serve a token while it is
// fresh, refresh it in the background while it is stale, and share one
// fetch among the callers of an expired one ([CacheOptions]). A cache is
// an [Invalidator]: it drops a token Hasura refused. [Transport], made by
// [NewTransport], adds the token to the requests for its endpoint's origin
// alone, and sends a request once more with a fresh token when Hasura
// refused the first before running anything.
//
// # Errors
//
// Sentinels match with [errors.Is]; typed errors are read with
// [errors.As]. Clerk failures are [*ClerkError] values whose Kind is one
// of the sentinels from [ErrSessionGone] to [ErrMalformedToken]. Bad
// arguments, such as an empty session ID or an endpoint that is not an
// http or https URL, are [*InputError] values matching [ErrInvalidInput],
// returned by the constructors. A closed cache gives [ErrClosed]; a body
// past a bound, [ErrResponseTooLarge]. No error, String or log value of
// this package contains a token or a secret key.
package clerkhasura
