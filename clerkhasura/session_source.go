package clerkhasura

import (
	"context"
	"errors"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// maxIDLen bounds session IDs and template names; Clerk's are far shorter.
const maxIDLen = 128

// SessionSourceOptions configures [NewSessionTokenSourceWithOptions].
// The zero value is the default.
type SessionSourceOptions struct {
	// Clock anchors each token's expiry: its time when the request started
	// plus the token's exp − iat, less the second by which the whole-second
	// iat may precede the mint. A [CachedTokenSource] wrapping this source
	// must read the same clock; [NewCachedTokenSource] sees to it when only
	// one of the two is set. Optional: the system clock.
	Clock Clock

	// Lifetime asks Clerk for tokens that live this long instead of the
	// template's lifetime (Clerk's expires_in_seconds), rounded down to
	// whole seconds, and up to 1 s when shorter. Clerk accepts 30 s to 10
	// years; it answers anything else with HTTP 422, which Token returns
	// as [ErrClerkRejected]. Optional: 0 or less means the template's
	// lifetime.
	Lifetime time.Duration
}

// NewSessionTokenSource returns the server-side getToken({template}) for
// one Clerk session: every Token call mints a token through the Clerk
// Backend API with sessions.CreateToken, uncached. Wrap it in
// [NewCachedTokenSource], or use [SessionTokens] for many sessions.
//
// A nil sessions uses clerk-sdk-go's package-level configuration
// (clerk.SetKey, clerk.SetBackend). clerk-sdk-go reads every response body
// whole, however large: bound it with an HTTPClient whose Transport comes
// from [LimitResponseBodies], in the client's BackendConfig or the
// package-level one.
//
// An empty template mints Clerk's plain session token. Each token's
// Expiry is anchored on the local clock (the time the request started
// plus exp − iat, less 1 s), so a host clock that is off does not matter,
// and the Expiry is never later than the instant exp names: iat is the
// mint instant rounded down to the second, which the second taken off
// covers. A token therefore counts as expired up to about 1 s plus the
// request's duration before Hasura would refuse it.
//
// Token fails with [*ClerkError] matching [ErrSessionGone] (404),
// [ErrTemplateNotFound] (404, and the template is not among the
// instance's, which the source lists once, on its first 404),
// [ErrInvalidSecretKey] (401), [ErrRateLimited] (429),
// [ErrClerkUnavailable] (5xx, network, non-JSON replies), [ErrClerkRejected]
// (other 4xx) or [ErrMalformedToken]; with ctx.Err() when ctx is done; and
// with [*InputError] when sessionID is empty or holds anything but
// letters, digits, '_' and '-', or template holds '/', '\', '?', '#', '%'
// or control characters (clerk-sdk-go puts both into the URL path
// unescaped). The source itself never retries.
func NewSessionTokenSource(sessions *session.Client, sessionID, template string) TokenSource {
	return NewSessionTokenSourceWithOptions(sessions, sessionID, template, nil)
}

// NewSessionTokenSourceWithOptions is [NewSessionTokenSource] with a clock
// and a token lifetime. A nil opts means the defaults.
func NewSessionTokenSourceWithOptions(sessions *session.Client, sessionID, template string, opts *SessionSourceOptions) TokenSource {
	var o SessionSourceOptions
	if opts != nil {
		o = *opts
	}
	systemTime := o.Clock == nil
	if systemTime {
		o.Clock = systemClock{}
	}
	err := validateSessionID(sessionID)
	if err == nil {
		err = validateTemplate(template)
	}
	return &sessionSource{
		minter: minter{sessions: sessions, template: template, clock: o.Clock, expiresIn: expiresIn(o.Lifetime),
			templates: &templateCheck{}},
		sessionID:  sessionID,
		systemTime: systemTime,
		err:        err,
	}
}

type sessionSource struct {
	minter
	sessionID string
	// systemTime is set when no Clock was given, so that a cache with a
	// clock of its own may lend it.
	systemTime bool
	err        error
}

// shareClock makes s and a cache configured by opts read one clock, the
// one set on either; when both are set, each keeps its own. It returns the
// source and options the cache is to use, leaving s and *opts unchanged.
func (s *sessionSource) shareClock(opts *CacheOptions) (*sessionSource, *CacheOptions) {
	cacheClock := opts != nil && opts.Clock != nil
	switch {
	case cacheClock && s.systemTime:
		cp := *s
		cp.clock, cp.systemTime = opts.Clock, false
		return &cp, opts
	case !cacheClock && !s.systemTime:
		var o CacheOptions
		if opts != nil {
			o = *opts
		}
		o.Clock = s.clock
		return s, &o
	}
	return s, opts
}

// expiresIn is Clerk's expires_in_seconds for a lifetime: 0 (not sent)
// for none, else whole seconds and at least 1, so that a lifetime Clerk
// refuses is refused rather than silently replaced by the template's.
func expiresIn(lifetime time.Duration) int64 {
	if lifetime <= 0 {
		return 0
	}
	return max(int64(lifetime/time.Second), 1)
}

func (s *sessionSource) Token(ctx context.Context) (*Token, error) {
	if s.err != nil {
		return nil, s.err
	}
	return s.mint(ctx, s.sessionID)
}

// minter mints tokens of one template for any session. [SessionTokens]
// shares one among all its sessions.
type minter struct {
	sessions  *session.Client
	template  string
	clock     Clock
	expiresIn int64
	// templates tells a missing template from an ended session, for
	// every session the minter mints for.
	templates *templateCheck
}

func (m *minter) mint(ctx context.Context, sessionID string) (*Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	params := &session.CreateTokenParams{ID: sessionID, TemplateName: m.template}
	if m.expiresIn > 0 {
		params.ExpiresInSeconds = clerk.Int64(m.expiresIn)
	}
	start := m.clock.Now()
	var (
		st  *clerk.SessionToken
		err error
	)
	if m.sessions != nil {
		st, err = m.sessions.CreateToken(ctx, params)
	} else {
		st, err = session.CreateToken(ctx, params)
	}
	if err != nil {
		return nil, m.failed(ctx, sessionID, err)
	}
	m.templates.minted()
	return tokenFromJWT(st.JWT, start, sessionID, m.template)
}

// failed turns a failed mint's error into a [*ClerkError], telling a
// missing template (ErrTemplateNotFound) from an ended session.
func (m *minter) failed(ctx context.Context, sessionID string, err error) error {
	err = fromClerk(ctx, sessionID, m.template, err, m.clock.Now())
	var ce *ClerkError
	if m.template != "" && errors.As(err, &ce) && ce.Kind == ErrSessionGone &&
		m.templates.missing(ctx, m.sessions, m.template) {
		ce.Kind = ErrTemplateNotFound
	}
	return err
}

var (
	errNoExpiry       = errors.New("no exp claim")
	errNotAfterIssued = errors.New("exp is not after iat")
	errTooShort       = errors.New("exp is at most 1 s after iat, within the rounding of whole-second claims")
	errExpiredNoIat   = errors.New("no iat claim, and exp is not after the local time the request started")
)

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
	if !c.HasExpiry {
		return nil, malformed(errNoExpiry)
	}
	var lifetime time.Duration
	if c.HasIssuedAt {
		if lifetime = c.Expiry.Sub(c.IssuedAt); lifetime <= 0 {
			return nil, malformed(errNotAfterIssued)
		}
		if lifetime -= claimRounding; lifetime <= 0 {
			return nil, malformed(errTooShort)
		}
	} else if lifetime = c.Expiry.Sub(start.Round(0)); lifetime <= 0 {
		return nil, malformed(errExpiredNoIat)
	}
	return &Token{Value: jwt, Expiry: start.Add(lifetime)}, nil
}

func validateSessionID(id string) error {
	switch {
	case id == "":
		return &InputError{Field: "session ID", Reason: "is empty"}
	case len(id) > maxIDLen:
		return &InputError{Field: "session ID", Reason: "is longer than 128 bytes"}
	}
	for i := 0; i < len(id); i++ {
		c := id[i]
		if !(c == '_' || c == '-' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return &InputError{Field: "session ID", Reason: "may hold only letters, digits, '_' and '-'"}
		}
	}
	return nil
}

func validateTemplate(name string) error {
	switch {
	case len(name) > maxIDLen:
		return &InputError{Field: "template", Reason: "is longer than 128 bytes"}
	case name == "." || name == "..":
		return &InputError{Field: "template", Reason: "is a path segment"}
	}
	for i := 0; i < len(name); i++ {
		switch c := name[i]; {
		case c < 0x20 || c == 0x7f, c == '/', c == '\\', c == '?', c == '#', c == '%':
			return &InputError{Field: "template", Reason: `must not hold '/', '\', '?', '#', '%' or control characters`}
		}
	}
	return nil
}
