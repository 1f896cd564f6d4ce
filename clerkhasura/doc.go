// Package clerkhasura calls Hasura as a Clerk user from Go: the server-side
// counterpart of the browser's getToken({template: "hasura"}), with the
// caching that a backend serving many users needs, and typed queries on
// top.
//
// # Quickstart
//
// A service acting for signed-in users keeps one [SessionTokens] per JWT
// template, and builds a [Client] per request from the user's Clerk
// session ID:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	tokens := clerkhasura.NewSessionTokens(nil, "hasura", nil) // nil: clerk-sdk-go's package-level client
//	defer tokens.Close()
//
//	// per request, with the session ID from Clerk's verified session claims:
//	hc, err := clerkhasura.NewClient("https://my-project.hasura.app/v1/graphql", tokens.Source(sessionID), nil)
//	if err != nil { … }
//	me, err := hc.Me(ctx)
//
// A tool acting for one session caches that session's tokens itself:
//
//	src := clerkhasura.NewCachedTokenSource(
//		clerkhasura.NewSessionTokenSource(sessions, sessionID, "hasura"), nil)
//	defer src.Close()
//	tok, err := src.Token(ctx) // tok.Value is the JWT for "Authorization: Bearer"
//
// # Tokens
//
// [NewSessionTokenSource] mints a token through the Clerk Backend API
// (clerk-sdk-go's session.Client.CreateToken) on every call. Its expiry is
// anchored on the local clock, the time the request started plus the
// token's exp − iat, so a host clock that is minutes off neither refreshes
// early nor sends tokens Clerk considers expired.
//
// [CachedTokenSource] and [SessionTokens] cache tokens. A token is fresh,
// then stale (still served while one background fetch replaces it), then
// expired (callers wait for one shared fetch); the windows scale with the
// token's lifetime and carry jitter ([CacheOptions]). A failed refresh
// backs off while the old token stays in use. [SessionTokens] holds many
// sessions, bounded and with idle ones dropped; [SessionTokens.Stats]
// counts what it does, for metrics.
//
// # Errors
//
// Clerk failures are [*ClerkError] values matching a sentinel:
// [ErrSessionGone] (404), [ErrInvalidSecretKey] (401), [ErrRateLimited]
// (429), [ErrClerkUnavailable] (5xx, network), [ErrClerkRejected] (other
// 4xx), [ErrMalformedToken]. Check them with [errors.Is] and [errors.As].
// No error, String or log value of this package contains a token or a
// secret key.
//
// # Testing
//
// Package clerkhasuratest provides in-process fakes of Clerk and Hasura,
// shaped like net/http/httptest.
package clerkhasura
