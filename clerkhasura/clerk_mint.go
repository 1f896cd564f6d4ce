package clerkhasura

import (
	"context"
	"errors"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// minter mints tokens of one template for any session. [SessionTokens]
// shares one among all its sessions.
type minter struct {
	sessions  *session.Client
	template  string
	clock     Clock // nil: the system clock
	expiresIn int64 // Clerk's expires_in_seconds; 0: not sent
	// templates tells a missing template from an ended session, for
	// every session the minter mints for.
	templates *templateCheck
}

// newMinter returns a minter asking for tokens that live lifetime, in
// whole seconds and at least 1 (a lifetime Clerk refuses is refused
// rather than silently replaced by the template's), or the template's
// lifetime for none.
func newMinter(sessions *session.Client, template string, clock Clock, lifetime time.Duration) *minter {
	m := &minter{sessions: sessions, template: template, clock: clock, templates: &templateCheck{}}
	if lifetime > 0 {
		m.expiresIn = max(int64(lifetime/time.Second), 1)
	}
	return m
}

func (m *minter) mint(ctx context.Context, sessionID string) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params := &session.CreateTokenParams{ID: sessionID, TemplateName: m.template}
	if m.expiresIn > 0 {
		params.ExpiresInSeconds = clerk.Int64(m.expiresIn)
	}
	create := session.CreateToken
	if m.sessions != nil {
		create = m.sessions.CreateToken
	}
	start := orSystem(m.clock).Now()
	st, err := create(ctx, params)
	if err != nil {
		return nil, m.failed(ctx, sessionID, err)
	}
	m.templates.minted()
	return tokenFromJWT(st.JWT, start, sessionID, m.template)
}

// failed turns a failed mint's error into a [*ClerkError], telling a
// missing template (ErrTemplateNotFound) from an ended session.
func (m *minter) failed(ctx context.Context, sessionID string, err error) error {
	err = fromClerk(ctx, sessionID, m.template, err, orSystem(m.clock).Now())
	var ce *ClerkError
	if m.template != "" && errors.As(err, &ce) && ce.Kind == ErrSessionGone &&
		m.templates.missing(ctx, m.sessions, m.template) {
		ce.Kind = ErrTemplateNotFound
	}
	return err
}

// claimRounding is how much later than its iat claim a token may have been
// minted: iat and exp are whole seconds, the mint instant rounded down.
const claimRounding = time.Second

// tokenFromJWT anchors jwt's lifetime on the local clock at start, the
// moment its request began: start + (exp − iat) − 1 s. Clerk minted the
// token after start, and iat is that instant rounded down to the second,
// so iat ≥ start − 1 s on Clerk's clock and the Expiry is never later
// than exp: neither the time the request took nor the rounding can make
// it overstate the lifetime. Without iat it falls back to exp read
// against the local wall clock, the best there is.
func tokenFromJWT(jwt string, start time.Time, sessionID, template string) (*Token, error) {
	malformed := func(cause error) error {
		return &ClerkError{SessionID: sessionID, Template: template, StatusCode: 200, Kind: ErrMalformedToken, Err: cause}
	}
	c, err := jwtclaims.Peek(jwt)
	if err != nil {
		return nil, malformed(err)
	}
	lifetime := c.Expiry.Sub(c.IssuedAt) - claimRounding
	switch {
	case !c.HasExpiry:
		return nil, malformed(errors.New("no exp claim"))
	case !c.HasIssuedAt:
		if lifetime = c.Expiry.Sub(start.Round(0)); lifetime <= 0 {
			return nil, malformed(errors.New("no iat claim, and exp is not after the local time the request started"))
		}
	case lifetime+claimRounding <= 0:
		return nil, malformed(errors.New("exp is not after iat"))
	case lifetime <= 0:
		return nil, malformed(errors.New("exp is at most 1 s after iat, within the rounding of whole-second claims"))
	}
	return &Token{Value: jwt, Expiry: start.Add(lifetime)}, nil
}
