// Package webhook ends cached Clerk sessions as soon as Clerk reports them
// ended, through Clerk's webhooks.
//
// A Hasura token minted for a session stays valid until it expires, and a
// cache serves it until then, so a session revoked in Clerk keeps working
// for up to one token lifetime. Mount a [Handler] on the endpoint that
// Clerk's webhook delivers session.ended, session.revoked and
// session.removed to, with the endpoint's signing secret and the caches to
// tell:
//
//	tokens, err := clerkhasura.NewSessionTokens(nil, "hasura", nil)
//	if err != nil { … }
//	mw, err := middleware.New(endpoint, tokens, nil)
//	if err != nil { … }
//	h, err := webhook.NewHandler(os.Getenv("CLERK_WEBHOOK_SECRET"), nil, tokens, mw)
//	if err != nil { … }
//	mux.Handle("POST /webhooks/clerk", h) // outside the middleware: Svix signs it
//
// The handler verifies each delivery's signature and timestamp (see
// [Tolerance]) and calls [SessionEnder.EndSession] on every target for the
// ended session, which a [*clerkhasura.SessionTokens] is, and so are the
// middleware (its verified session tokens) and a localjwt.Signer; a
// delivery it
// refuses gets an [*Error] matching [ErrRefused]. [Handler.Stats] counts
// what it did.
package webhook
