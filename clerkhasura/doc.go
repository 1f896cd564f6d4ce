// Package clerkhasura calls Hasura as a Clerk user from Go: the server-side
// counterpart of the browser's getToken({template: "hasura"}), with the
// caching that a backend serving many users needs, and typed queries on
// top.
//
// # Quickstart
//
// A service verifies each request's Clerk session token with a
// [Middleware], which gives its handlers a [Client] acting as the
// request's user, with tokens from one [SessionTokens] cache:
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	tokens := clerkhasura.NewSessionTokens(nil, "hasura", nil) // nil: clerk-sdk-go's package-level client
//	defer tokens.Close()
//	mw, err := clerkhasura.NewMiddleware("https://my-project.hasura.app/v1/graphql", tokens,
//		&clerkhasura.MiddlewareOptions{AuthorizedParties: []string{"https://app.example.com"}})
//	if err != nil { … }
//	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
//		hc, _ := clerkhasura.ClientFromContext(r.Context())
//		me, err := hc.Me(r.Context()) // the request's user's row
//		…
//	})
//	http.ListenAndServe(":8080", mw.Handler(mux))
//
// A tool acting for one Clerk session caches that session's tokens and
// builds a [Client] on them:
//
//	sessions := session.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{Key: &secretKey}})
//	src := clerkhasura.NewCachedTokenSource(
//		clerkhasura.NewSessionTokenSource(sessions, sessionID, "hasura"), nil)
//	defer src.Close()
//	hc, err := clerkhasura.NewClient("https://my-project.hasura.app/v1/graphql", src, nil)
//	if err != nil { … }
//	me, err := hc.Me(ctx)
//
// # Tokens
//
// A [TokenSource] returns a [Token]: the JWT and its expiry. Token's
// String, Format and LogValue never reveal the JWT.
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
// counts what it does, for metrics. Caches do not stack:
// [NewCachedTokenSource] of a cache returns or shares that cache.
//
// # Requests
//
// [Transport] is a [net/http.RoundTripper] that adds "Authorization:
// Bearer <jwt>", and x-hasura-role when [Transport.Role] is set, to the
// requests for the origin of [Transport.Endpoint] alone: a redirect
// elsewhere carries no token. When Hasura rejects the token (code
// "invalid-jwt", which /v1/graphql sends with HTTP 200), it invalidates
// that token, gets a fresh one and sends the request once more.
//
// [NewClient] puts a Transport under an HTTP client and returns a [Client]
// with typed operations on Hasura's users table: [Client.Me],
// [Client.User], [Client.Users], [Client.TouchLastSeen] and
// [Client.UpsertMe]. [Client.GraphQL] returns the genqlient client it
// uses, for the functions generated in package graphql of this module and
// for operations of your own (give them an operation name: Hasura refuses
// an empty one).
//
// # Services
//
// [NewMiddleware] returns a [Middleware] whose [Middleware.Handler]
// verifies each request's Clerk session token, from the Authorization
// header or ([MiddlewareOptions.SessionCookie]) the __session cookie,
// against the instance's signing keys, and refuses a request that fails
// with an [*AuthError] (by default a 401 with a JSON body). A verified
// request's handler gets a [Client] for the request's session from
// [ClientFromContext]; it mints no token until it calls Hasura.
// [MiddlewareOptions.Issuer] (the Frontend API URL or the publishable key)
// pins the instance whose tokens are accepted. A [WebhookHandler] for
// Clerk's session.ended, session.revoked and session.removed webhooks
// drops an ended session's cached token at once, rather than when it
// expires.
//
// # Subscriptions
//
// Hasura reads a websocket connection's token once, at connection_init,
// and drops the connection when the token expires. A [SubscriptionClient]
// ([NewSubscriptionClient]) therefore opens a new connection with a fresh
// token before the old token expires and moves every subscription to it
// without a gap, and it reconnects after a connection is lost. It
// implements genqlient's graphql.WebSocketClient, and
// [SubscriptionClient.WatchUser] and [SubscriptionClient.WatchMe] stream
// a users row as [UserEvent] values.
//
// [Client.WatchMe] streams the caller's own row on a SubscriptionClient
// of its own, closed when the watch ends; [Client.NewSubscriptionClient] returns a
// SubscriptionClient with the Client's endpoint, source and options.
//
// # Errors
//
// Errors are values to test with [errors.Is] and read with [errors.As]:
//
//   - Clerk failures are [*ClerkError] values matching [ErrSessionGone]
//     (404), [ErrTemplateNotFound] (404 for a template the instance does
//     not have), [ErrInvalidSecretKey] (401), [ErrRateLimited] (429),
//     [ErrClerkUnavailable] (5xx, network), [ErrClerkRejected] (other
//     4xx) or [ErrMalformedToken]; bad arguments are [*InputError] values
//     matching [ErrInvalidInput]; a closed cache gives [ErrClosed].
//   - Hasura's errors are [*HasuraError] values, with each error's code
//     and path, matching [ErrAuth], [ErrValidation], [ErrPermission] or
//     [ErrConstraint]. A row that is absent or hidden gives [ErrNotFound];
//     a token without the user ID claim, a [*ClaimError] matching
//     [ErrNoUserID].
//   - An unusable endpoint is an [*EndpointError] matching
//     [ErrInvalidEndpoint].
//   - A request the [Middleware] refuses is an [*AuthError] matching
//     [ErrUnauthenticated] or [ErrClerkUnavailable].
//   - A websocket connection's end is a [*CloseError], matching
//     [ErrConnectionRejected] when Hasura refused its token; a handshake
//     answered with a redirect, which is never followed, a
//     [*WebsocketRedirectError] matching [ErrWebsocketRedirect]; a closed
//     [SubscriptionClient] gives [ErrSubscriptionsClosed].
//
// No error, String or log value of this package contains a token or a
// secret key.
//
// # Testing
//
// Package clerkhasuratest provides in-process fakes of Clerk's Backend API
// and of Hasura, HTTP and websockets, shaped like net/http/httptest: tests
// and examples run the code above against them unchanged, with no network
// and no accounts.
package clerkhasura
