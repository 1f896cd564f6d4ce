package clerkhasura

import (
	"context"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/session"
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
