package fakeclerk

import "sync/atomic"

// Stats counts what the server has done since it started.
type Stats struct {
	Requests        int64 // HTTP requests received, faulted ones included
	SessionsCreated int64 // sessions created, over HTTP or directly
	SessionsRevoked int64 // sessions revoked, over HTTP or directly
	TokensMinted    int64 // template tokens minted, over HTTP or directly
	SessionTokens   int64 // session tokens minted, over HTTP or directly
	JWKSRequests    int64 // JWKS documents served (/v1/jwks and /.well-known/jwks.json)
	TemplateLists   int64 // pages of JWT templates served (GET /v1/jwt_templates)
	Unauthorized    int64 // 401 answers for a missing or wrong secret key
	NotFound        int64 // 404 answers (unknown route, session or template)
	BadRequests     int64 // 400 and 422 answers
	Faults          int64 // requests a Fault was applied to
	RateLimited     int64 // 429 answers of the rate limit (Config.RateLimit)
}

type counters struct {
	requests, sessionsCreated, sessionsRevoked, tokens, sessionTokens,
	jwks, templateLists, unauthorized, notFound, badRequests, faults, rateLimited atomic.Int64
}

// Stats returns a snapshot of the counters.
func (s *Server) Stats() Stats {
	c := &s.stats
	return Stats{
		Requests:        c.requests.Load(),
		SessionsCreated: c.sessionsCreated.Load(),
		SessionsRevoked: c.sessionsRevoked.Load(),
		TokensMinted:    c.tokens.Load(),
		SessionTokens:   c.sessionTokens.Load(),
		JWKSRequests:    c.jwks.Load(),
		TemplateLists:   c.templateLists.Load(),
		Unauthorized:    c.unauthorized.Load(),
		NotFound:        c.notFound.Load(),
		BadRequests:     c.badRequests.Load(),
		Faults:          c.faults.Load(),
		RateLimited:     c.rateLimited.Load(),
	}
}
