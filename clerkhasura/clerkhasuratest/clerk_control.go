package clerkhasuratest

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
)

// CreateSession starts an active session for userID and returns its ID
// ("sess_..."), as POST /v1/sessions does. Any non-empty user ID is
// accepted. It works on the fake directly, not over HTTP: no [Fault]
// applies and [ClerkStats].Requests does not count it. It calls t.Fatalf
// for an empty userID.
func (c *Clerk) CreateSession(userID string) string {
	c.t.Helper()
	id, err := c.engine.CreateSession(userID)
	if err != nil {
		fatal(c.t, "CreateSession", err)
	}
	return id
}

// RevokeSession revokes the session, as POST /v1/sessions/{id}/revoke does:
// it stays readable with status "revoked", and minting tokens for it
// answers 404. It calls t.Fatalf for an unknown session.
func (c *Clerk) RevokeSession(sessionID string) {
	c.t.Helper()
	if err := c.engine.RevokeSession(sessionID); err != nil {
		fatal(c.t, "RevokeSession", err)
	}
}

// SessionToken mints a Clerk session token for the session: what a browser
// sends to a backend, to test middleware. It is RS256, signed with the
// active key, and carries azp, exp, iat, iss, nbf, sid, sub and v (2); it
// lives 60 s and its nbf is iat − 10 s. It calls t.Fatalf for an unknown,
// revoked or expired session.
func (c *Clerk) SessionToken(sessionID string) string {
	c.t.Helper()
	tok, err := c.engine.MintSessionToken(sessionID, 0)
	if err != nil {
		fatal(c.t, "SessionToken", err)
	}
	return tok
}

// TemplateToken mints a token from the named template for the session,
// without going through HTTP: what POST /v1/sessions/{id}/tokens/{template}
// returns. It calls t.Fatalf for an unknown, revoked or expired session or
// an unknown template.
func (c *Clerk) TemplateToken(sessionID, template string) string {
	c.t.Helper()
	tok, err := c.engine.MintTemplateToken(sessionID, template, 0)
	if err != nil {
		fatal(c.t, "TemplateToken", err)
	}
	return tok
}

// SetTemplate adds or replaces the template name. Tokens minted afterwards
// use it. It calls t.Fatalf for a template Clerk would refuse (see
// [Template]) or a name that is empty or holds '/', '?' or '#'.
func (c *Clerk) SetTemplate(name string, tpl Template) {
	c.t.Helper()
	if err := c.engine.SetTemplate(name, tpl.engine()); err != nil {
		fatal(c.t, "SetTemplate", err)
	}
}

// DeleteTemplate removes the template name; minting from it then answers
// 404. Deleting an absent template does nothing.
func (c *Clerk) DeleteTemplate(name string) { c.engine.DeleteTemplate(name) }

// RotateKey makes a new signing key active and returns its kid. Tokens
// minted afterwards carry the new kid. The JWKS keeps publishing every
// earlier key, so tokens already issued still verify, until [Clerk.DropKey]
// removes one. It calls t.Fatalf if no key can be generated.
//
// A real Clerk instance has one key whose kid is the instance ID; rotation
// is the fake's way to test verifiers that cache keys.
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

// FailNext makes the next n requests that f matches (see [Fault.Path])
// fail as f says. Faults added by successive calls queue up in order; a
// request takes the oldest one that matches it. Faults apply before the
// secret key is checked, as a proxy or rate limiter in front of Clerk
// would. n ≤ 0 does nothing.
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
