package clerkhasuratest

// ClerkStats counts what a fake [Clerk] has done since it started. Each
// field is read atomically, but the snapshot as a whole is not: counters
// may move between fields while requests are in flight.
type ClerkStats struct {
	// Requests counts HTTP requests received, faulted ones included.
	Requests int64
	// SessionsCreated counts sessions created, over HTTP or with
	// [Clerk.CreateSession].
	SessionsCreated int64
	// SessionsRevoked counts sessions revoked, over HTTP or with
	// [Clerk.RevokeSession]; revoking twice counts once.
	SessionsRevoked int64
	// TokensMinted counts template tokens minted, over HTTP or with
	// [Clerk.TemplateToken].
	TokensMinted int64
	// SessionTokens counts session tokens minted, over HTTP or with
	// [Clerk.SessionToken].
	SessionTokens int64
	// JWKSRequests counts JWKS documents served, from /v1/jwks and
	// /.well-known/jwks.json.
	JWKSRequests int64
	// TemplateLists counts pages of JWT templates served by
	// GET /v1/jwt_templates.
	TemplateLists int64
	// Unauthorized counts 401 answers for a missing or wrong secret key.
	Unauthorized int64
	// NotFound counts 404 answers: unknown routes, unknown or inactive
	// sessions, unknown templates.
	NotFound int64
	// BadRequests counts 400 and 422 answers for invalid request bodies.
	BadRequests int64
	// Faults counts requests a [Fault] applied to.
	Faults int64
	// WebhooksDelivered counts webhook deliveries to the URL of
	// [Clerk.SetWebhookURL] answered with a 2xx status.
	WebhooksDelivered int64
	// WebhookFailures counts the other deliveries to that URL.
	WebhookFailures int64
	// RateLimited counts 429 answers of [ClerkOptions.RateLimit]; the
	// 429s of a [Fault] count in Faults.
	RateLimited int64
}

// Stats returns the fake's counters.
func (c *Clerk) Stats() ClerkStats {
	s := c.engine.Stats()
	return ClerkStats{
		Requests:        s.Requests,
		SessionsCreated: s.SessionsCreated,
		SessionsRevoked: s.SessionsRevoked,
		TokensMinted:    s.TokensMinted,
		SessionTokens:   s.SessionTokens,
		JWKSRequests:    s.JWKSRequests,
		TemplateLists:   s.TemplateLists,
		Unauthorized:    s.Unauthorized,
		NotFound:        s.NotFound,
		BadRequests:     s.BadRequests,
		Faults:          s.Faults,
		RateLimited:     s.RateLimited,

		WebhooksDelivered: c.hooks.delivered.Load(),
		WebhookFailures:   c.hooks.failed.Load(),
	}
}
