package clerkhasura

import (
	"context"
	"errors"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// maxIDLen bounds session IDs and template names; Clerk's are far shorter.
const maxIDLen = 128

// SessionSourceOptions configures [NewSessionTokenSource]. A nil
// *SessionSourceOptions, and every zero field, means the default.
type SessionSourceOptions struct {
	// Clock anchors each token's expiry. A cache around the source must
	// read the same clock (see [NewCachedTokenSource]). Optional: the
	// system clock.
	Clock Clock

	// Lifetime asks Clerk for tokens that live this long, in whole
	// seconds (Clerk's expires_in_seconds). Clerk accepts 30 s to 10
	// years, and refuses anything else ([ErrClerkRejected]). Optional: the
	// template's lifetime.
	Lifetime time.Duration
}

// NewSessionTokenSource returns the server-side getToken({template}) for
// one Clerk session: every Token call mints a token with
// sessions.CreateToken, uncached. Wrap it in [NewCachedTokenSource], or
// use [SessionTokens] for many sessions. A nil sessions means
// clerk-sdk-go's package-level configuration (clerk.SetKey; see
// [LimitResponseBodies]); a nil opts, the defaults; an empty template,
// Clerk's plain session token.
//
// Each token's Expiry is the local time the request started plus the
// token's exp − iat, less 1 s for the rounding of iat: a host clock that
// is off does not matter, and the Expiry is never later than exp.
//
// A sessionID other than letters, digits, '_' and '-', or a template
// holding '/', '\', '?', '#', '%' or control characters (clerk-sdk-go puts
// both in the URL path unescaped), gives an [*InputError]. Token fails
// with a [*ClerkError] (its Kind says 404, 401, 429, 5xx, other 4xx or a
// malformed token; a 404 is [ErrTemplateNotFound] when the instance has
// no such template) or with ctx.Err(); the source never retries.
func NewSessionTokenSource(sessions *session.Client, sessionID, template string, opts *SessionSourceOptions) (TokenSource, error) {
	if err := validateSessionID(sessionID); err != nil {
		return nil, err
	}
	if err := validateTemplate(template); err != nil {
		return nil, err
	}
	var o SessionSourceOptions // every zero field is the default
	if opts != nil {
		o = *opts
	}
	return &sessionSource{minter: *newMinter(sessions, template, o.Clock, o.Lifetime), sessionID: sessionID}, nil
}

type sessionSource struct {
	minter
	sessionID string
}

func (s *sessionSource) Token(ctx context.Context) (*Token, error) { return s.mint(ctx, s.sessionID) }

// shareClock makes s and a cache configured by opts read one clock, the
// one set on either; when both are set, each keeps its own. It returns the
// source and options the cache is to use, leaving s and *opts unchanged.
func (s *sessionSource) shareClock(opts *CacheOptions) (*sessionSource, *CacheOptions) {
	var o CacheOptions
	if opts != nil {
		o = *opts
	}
	switch {
	case o.Clock != nil && s.clock == nil:
		cp := *s
		cp.clock = o.Clock
		return &cp, opts
	case o.Clock == nil && s.clock != nil:
		o.Clock = s.clock
		return s, &o
	}
	return s, opts
}

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
	start := now(m.clock)
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
	err = fromClerk(ctx, sessionID, m.template, err, now(m.clock))
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

// validateSessionID and validateTemplate refuse what clerk-sdk-go would
// put unescaped in a URL path, and what is far longer than Clerk's.
func validateSessionID(id string) error {
	bad := func(reason string) error { return &InputError{Field: "session ID", Reason: reason} }
	switch {
	case id == "":
		return bad("is empty")
	case len(id) > maxIDLen:
		return bad("is longer than 128 bytes")
	case strings.IndexFunc(id, func(r rune) bool {
		return r != '_' && r != '-' && !('a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) >= 0:
		return bad("may hold only letters, digits, '_' and '-'")
	}
	return nil
}

func validateTemplate(name string) error {
	bad := func(reason string) error { return &InputError{Field: "template", Reason: reason} }
	switch {
	case len(name) > maxIDLen:
		return bad("is longer than 128 bytes")
	case name == "." || name == "..":
		return bad("is a path segment")
	case strings.ContainsAny(name, "/\\?#%\x7f") || strings.IndexFunc(name, func(r rune) bool { return r < 0x20 }) >= 0:
		return bad(`must not hold '/', '\', '?', '#', '%' or control characters`)
	}
	return nil
}
