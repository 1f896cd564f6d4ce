package clerkhasuratest

// ClerkStats counts what a fake [Clerk] has done since it started. Each
// field is read atomically, not the snapshot as a whole.
type ClerkStats struct {
	// Requests counts HTTP requests received, faulted ones included.
	Requests int64
	// TokensMinted counts template tokens, SessionsRevoked sessions
	// revoked (each once), JWKSRequests JWKS documents, TemplateLists
	// pages of templates, and BadRequests 400 and 422 answers.
	TokensMinted, SessionsRevoked, JWKSRequests, TemplateLists, BadRequests int64
	// Faults counts requests a [Fault] applied to; RateLimited counts
	// the 429s of [ClerkOptions.RateLimit].
	Faults, RateLimited int64
	// WebhooksDelivered and WebhookFailures count deliveries to the URL
	// of [Clerk.SetWebhookURL] answered with a 2xx status, and the others.
	WebhooksDelivered, WebhookFailures int64
}

// Stats returns the fake's counters.
func (c *Clerk) Stats() ClerkStats {
	s := c.engine.Stats()
	return ClerkStats{
		Requests:          s.Requests,
		TokensMinted:      s.TokensMinted,
		SessionsRevoked:   s.SessionsRevoked,
		JWKSRequests:      s.JWKSRequests,
		TemplateLists:     s.TemplateLists,
		BadRequests:       s.BadRequests,
		Faults:            s.Faults,
		RateLimited:       s.RateLimited,
		WebhooksDelivered: c.hooks.delivered.Load(),
		WebhookFailures:   c.hooks.failed.Load(),
	}
}
