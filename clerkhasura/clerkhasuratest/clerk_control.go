package clerkhasuratest

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
)

// CreateSession starts an active session for userID and returns its ID
// ("sess_..."), as POST /v1/sessions does, but not over HTTP: no [Fault]
// applies and no request is counted. It calls t.Fatalf for an empty
// userID.
func (c *Clerk) CreateSession(userID string) string {
	c.t.Helper()
	id, err := c.engine.CreateSession(userID)
	if err != nil {
		fatal(c.t, "CreateSession", err)
	}
	return id
}

// RevokeSession revokes the session, as POST /v1/sessions/{id}/revoke
// does: its status becomes "revoked" and minting for it answers 404. It
// calls t.Fatalf for an unknown session.
func (c *Clerk) RevokeSession(sessionID string) {
	c.t.Helper()
	if err := c.engine.RevokeSession(sessionID); err != nil {
		fatal(c.t, "RevokeSession", err)
	}
}

// SessionToken mints the session token a browser sends to a backend: it
// carries azp, exp, iat, iss, nbf, sid, sub and v (2), lives 60 s, and its
// nbf is iat − 10 s. It calls t.Fatalf for an unknown, revoked or expired
// session.
func (c *Clerk) SessionToken(sessionID string) string {
	c.t.Helper()
	tok, err := c.engine.MintSessionToken(sessionID, 0)
	if err != nil {
		fatal(c.t, "SessionToken", err)
	}
	return tok
}

// TemplateToken mints, not over HTTP, what POST
// /v1/sessions/{id}/tokens/{template} returns. It calls t.Fatalf for an
// unknown, revoked or expired session or an unknown template.
func (c *Clerk) TemplateToken(sessionID, template string) string {
	c.t.Helper()
	tok, err := c.engine.MintTemplateToken(sessionID, template, 0)
	if err != nil {
		fatal(c.t, "TemplateToken", err)
	}
	return tok
}

// SetTemplate adds or replaces the template name. It calls t.Fatalf for
// a template Clerk would refuse (see [Template]) or a name that is empty
// or holds '/', '?' or '#'.
func (c *Clerk) SetTemplate(name string, tpl Template) {
	c.t.Helper()
	if err := c.engine.SetTemplate(name, tpl.engine()); err != nil {
		fatal(c.t, "SetTemplate", err)
	}
}

// RotateKey makes a new signing key active and returns its kid, to test
// verifiers that cache keys. The JWKS keeps publishing earlier keys until
// [Clerk.DropKey]. It calls t.Fatalf if no key can be generated.
func (c *Clerk) RotateKey() string {
	c.t.Helper()
	kid, err := c.engine.RotateKey()
	if err != nil {
		fatal(c.t, "RotateKey", err)
	}
	return kid
}

// DropKey stops publishing the key kid: tokens signed with it no longer
// verify. It calls t.Fatalf for an unknown kid or the active key.
func (c *Clerk) DropKey(kid string) {
	c.t.Helper()
	if err := c.engine.DropKey(kid); err != nil {
		fatal(c.t, "DropKey", err)
	}
}

// KeyIDs lists the kids the JWKS publishes, the active signing key first.
func (c *Clerk) KeyIDs() []string { return c.engine.KeyIDs() }

// Now is the time on the fake's clock ([ClerkOptions.Clock]).
func (c *Clerk) Now() time.Time { return c.engine.Now() }

// FailNext makes the next n requests that f matches (by default the
// token mints, see [Fault.Path]) fail as f says. A request takes the
// oldest pending fault that matches it. Faults apply before the secret key
// is checked, as a proxy in front of Clerk would. n ≤ 0 does nothing.
func (c *Clerk) FailNext(n int, f Fault) {
	c.engine.FailNext(n, fakeclerk.Fault{
		Status:      f.Status,
		Body:        f.Body,
		ContentType: f.ContentType,
		RetryAfter:  f.RetryAfter,
		Latency:     f.Latency,
		Path:        f.Path,
	})
}

// ClearFaults drops every fault still pending from [Clerk.FailNext].
func (c *Clerk) ClearFaults() { c.engine.ClearFaults() }
