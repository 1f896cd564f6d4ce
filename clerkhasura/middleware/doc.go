// Package middleware authenticates the requests of a net/http service with
// Clerk session tokens, and gives each handler a [hasura.Client] that
// calls Hasura as the request's user.
//
// # Quickstart
//
//	clerk.SetKey(os.Getenv("CLERK_SECRET_KEY"))
//	tokens, err := clerkhasura.NewSessionTokens(nil, "hasura", nil)
//	if err != nil { … }
//	defer tokens.Close()
//	mw, err := middleware.New("https://my-project.hasura.app/v1/graphql", tokens,
//		&middleware.Options{AuthorizedParties: []string{"https://app.example.com"}})
//	if err != nil { … }
//	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
//		hc, ok := middleware.ClientFromContext(r.Context())
//		if !ok { … } // the route is not behind mw.Handler
//		me, err := hc.Me(r.Context()) // the request's user's row
//		if err != nil {
//			middleware.WriteError(w, r, err) // 404, 401, 503, … as JSON
//			return
//		}
//		…
//	})
//	http.ListenAndServe(":8080", mw.Handler(mux))
//
// [Middleware.Handler] verifies each request's Clerk session token, from
// the Authorization header or ([Options.SessionCookie]) the __session
// cookie, against the instance's signing keys; [Options.Issuer] pins the
// instance whose tokens are accepted. A verified request's handler gets a
// [hasura.Client] for the request's session from [ClientFromContext],
// which mints no token until it calls Hasura. A refused request gets an
// [*AuthError], by default written as a 401 (matching
// [ErrUnauthenticated]) or, when Clerk's keys cannot be fetched, a 503
// (matching [clerkhasura.ErrClerkUnavailable]). [WriteError] answers a
// handler's own errors in the same JSON shape. [Middleware.Stats] counts
// what it did, and [Options.Logger] logs it, never a token.
//
// # Past Clerk's rate limit
//
// Minting a Hasura token through Clerk's Backend API for every session
// meets Clerk's rate limit (1,000 requests per 10 s per production
// instance, shared by every replica) at a few hundred active sessions.
// Two options call Clerk for no session: [Options.TemplateTokens] accepts
// the browser's own Hasura template token and forwards it (New's
// SessionTokens may then be nil), and [Options.Signer] signs each
// session's Hasura tokens with the service's key ([localjwt.Signer]) in
// place of the SessionTokens. Give [Middleware.EndSession], as a
// webhook.SessionEnder, to the webhook handler beside the SessionTokens or
// the Signer, so that an ended session is refused at once.
package middleware
