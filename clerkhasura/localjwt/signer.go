package localjwt

import (
	"context"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"golang.org/x/sync/singleflight"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// endedFor is how long [Signer.EndSession] refuses a session: longer
// than any session token signed before the call lives.
const endedFor = 10 * time.Minute

// Signer signs Hasura tokens for verified Clerk sessions with the
// service's own key, so that no request costs a call to Clerk. It is
// safe for concurrent use and runs no goroutine.
type Signer struct {
	// Only pointers to what holds a lock, so that String and Format can
	// take a value, and a dereferenced Signer prints redacted too.
	st    settings
	keys  schedule
	cache *sessionCache
	group *singleflight.Group
}

// New returns a Signer configured by opts. It refuses options it cannot
// sign with ([ErrInvalidOptions]) and keys whose schedule breaks the
// rotation rule at the clock's present ([ErrKeySchedule]).
func New(opts *Options) (*Signer, error) {
	st, err := opts.resolve()
	if err != nil {
		return nil, err
	}
	keys, err := newSchedule(opts.Keys, st.lifetime, st.maxAge, st.clock.Now())
	if err != nil {
		return nil, err
	}
	return &Signer{st: st, keys: keys, cache: &sessionCache{max: st.maxSessions}, group: &singleflight.Group{}}, nil
}

// Issuer is the iss of the Signer's tokens. A middleware that verifies
// Clerk session tokens refuses a token with this iss: the Signer's own
// tokens are not sessions.
func (s *Signer) Issuer() string { return s.st.issuer }

// Source returns the token source of a verified Clerk session: session
// is what clerk-sdk-go's jwt.Verify returned for the request's session
// token. Its tokens carry the session variables [Options.Claims] maps
// session to, and never outlive the session token.
//
// One token is kept per session and per mapped claims: every request of
// the session with the same claims gets it until a quarter of its life
// remains, so a session costs about one signature per session token
// (Clerk's live a minute), not one per request.
//
// Source refuses, before signing anything, a session whose claims cannot
// be used ([ErrInvalidClaims]), whose token has expired
// ([ErrSessionExpired]) or was ended ([ErrSessionEnded]), and claims
// naming admin or a role outside [Options.AllowedRoles]
// ([ErrRoleNotAllowed]). The source's Token fails the same way once the
// session token expires or the session is ended.
func (s *Signer) Source(session *clerk.SessionClaims) (clerkhasura.TokenSource, error) {
	switch {
	case session == nil:
		return nil, claimsError("session claims are nil")
	case session.SessionID == "":
		return nil, claimsError("no sid: not a Clerk session token")
	case session.Issuer == s.st.issuer:
		return nil, claimsError("a token of the signer's own issuer, not a Clerk session")
	case session.Subject == "":
		return nil, claimsError("no sub")
	case session.Expiry == nil:
		return nil, claimsError("no exp")
	}
	now := s.st.clock.Now()
	if now.Unix() >= *session.Expiry {
		return nil, ErrSessionExpired
	}
	if e := s.cache.load(session.SessionID); e != nil && e.endedAt(now) {
		return nil, ErrSessionEnded
	}
	hc, err := s.st.claims(session)
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: claims hook: %w", err)
	}
	ns, err := hc.encode(s.st.roles)
	if err != nil {
		return nil, err
	}
	return &sessionSource{s: s, sid: session.SessionID, sub: session.Subject, ns: ns,
		key: session.Subject + "\x00" + ns, sessionExp: *session.Expiry}, nil
}

// EndSession forgets the session's token and refuses the session for
// ten minutes, longer than any session token issued before lives: call
// it when Clerk reports the session ended, revoked or removed, such as
// from a webhook. Sources already handed out fail with [ErrSessionEnded].
func (s *Signer) EndSession(sessionID string) {
	s.cache.end(sessionID, s.st.clock.Now())
}

// Impersonate returns a token source that signs for claims.UserID
// without any Clerk session: for tools, such as a command acting for a
// user ID. Its tokens live [Options.Lifetime]; one is kept and signed
// again when a quarter of its life remains. Roles are checked as in
// [Signer.Source].
//
// Whoever holds the key can act as anyone: Impersonate is the proof.
// Keep it out of request handlers, and the key out of anything a user
// can reach.
func (s *Signer) Impersonate(claims HasuraClaims) (clerkhasura.TokenSource, error) {
	ns, err := claims.encode(s.st.roles)
	if err != nil {
		return nil, err
	}
	return &impersonation{s: s, sub: claims.UserID, ns: ns}, nil
}

// String describes the Signer by its issuer and key IDs.
func (s Signer) String() string {
	kids := make([]string, len(s.keys))
	for i, k := range s.keys {
		kids[i] = k.key.kid
	}
	return "localjwt.Signer{Issuer: " + s.st.issuer + ", keys: [" + strings.Join(kids, " ") + "]}"
}

// Format implements [fmt.Formatter]: every verb prints [Signer.String].
func (s Signer) Format(f fmt.State, verb rune) { formatString(f, verb, s.String()) }

// payload is a token's claims.
type payload struct {
	Issuer   string          `json:"iss"`
	Subject  string          `json:"sub"`
	Audience string          `json:"aud,omitempty"`
	IssuedAt int64           `json:"iat"`
	Expiry   int64           `json:"exp"`
	Hasura   json.RawMessage `json:"https://hasura.io/jwt/claims"`
}

// sign signs a token for sub with the namespace object ns, expiring at
// exp (Unix seconds), with the key that signs at now.
func (s *Signer) sign(now time.Time, sub, ns string, exp int64) (*clerkhasura.Token, error) {
	k := s.keys.signing(now)
	if k == nil {
		return nil, fmt.Errorf("%w: no key signs at %s", ErrKeySchedule, now.UTC().Format(time.RFC3339))
	}
	p, err := json.Marshal(payload{Issuer: s.st.issuer, Subject: sub, Audience: s.st.audience,
		IssuedAt: now.Unix(), Expiry: exp, Hasura: json.RawMessage(ns)})
	if err != nil {
		return nil, claimsError(err.Error())
	}
	jws, err := k.signer.Sign(p)
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: signing a local token: %w", err)
	}
	compact, err := jws.CompactSerialize()
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: signing a local token: %w", err)
	}
	return &clerkhasura.Token{Value: compact, Expiry: now.Add(time.Unix(exp, 0).Sub(now))}, nil
}

// fresh reports whether a token signed at iat and expiring at exp is
// still worth serving at now, when a new one would expire at best.
func fresh(tok *clerkhasura.Token, iat, exp, best int64, now time.Time) bool {
	left := tok.Expiry.Sub(now)
	return left > 0 && (exp >= best || left >= time.Duration(exp-iat)*time.Second/4)
}

// sessionSource is the [clerkhasura.TokenSource] of one verified session
// token.
type sessionSource struct {
	s          *Signer
	sid, sub   string
	ns, key    string
	sessionExp int64
}

func (src *sessionSource) Token(ctx context.Context) (*clerkhasura.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	s := src.s
	now := s.st.clock.Now()
	best := min(src.sessionExp, now.Add(s.st.lifetime).Unix())
	if e := s.cache.load(src.sid); e != nil {
		if e.endedAt(now) {
			return nil, ErrSessionEnded
		}
		if e.key == src.key && e.exp <= src.sessionExp && fresh(e.tok, e.iat, e.exp, best, now) {
			return e.tok, nil
		}
	}
	if now.Unix() >= src.sessionExp {
		return nil, ErrSessionExpired
	}
	// Concurrent first requests of a session share one signature.
	v, err, _ := s.group.Do(src.sid+"\x00"+strconv.FormatInt(best, 10)+"\x00"+src.key, func() (any, error) {
		if e := s.cache.load(src.sid); e != nil && e.key == src.key && e.exp == best && e.tok.Expiry.After(now) {
			return e.tok, nil
		}
		tok, err := s.sign(now, src.sub, src.ns, best)
		if err != nil {
			return nil, err
		}
		s.cache.store(src.sid, &entry{key: src.key, tok: tok, iat: now.Unix(), exp: best}, now)
		return tok, nil
	})
	if err != nil {
		return nil, err
	}
	return v.(*clerkhasura.Token), nil
}
