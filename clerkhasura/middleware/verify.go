package middleware

import (
	"crypto/sha256"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/jwt"
	jose "github.com/go-jose/go-jose/v3"
	josejwt "github.com/go-jose/go-jose/v3/jwt"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/forward"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// tokenKind tells a Clerk session token from a template token.
type tokenKind uint8

const (
	kindSession tokenKind = iota + 1
	kindTemplate
)

// authenticate finds and verifies the request's token, or finds it among
// the tokens verified before, and prepares what its handler needs.
func (m *Middleware) authenticate(r *http.Request) (*requestSession, *AuthError) {
	token, fromCookie, aerr := m.sessionToken(r)
	if aerr != nil {
		return nil, aerr
	}
	now := m.now()
	key := sha256.Sum256([]byte(token))
	v := m.cache.get(key)
	if v != nil {
		// Checked as go-jose checks them, with the same leeway.
		if now.Add(-m.leeway).After(v.exp) {
			m.cache.forget(key)
			return nil, unauthenticated(reasonExpired, josejwt.ErrExpired)
		}
		if !v.nbf.IsZero() && now.Add(m.leeway).Before(v.nbf) {
			return nil, unauthenticated(reasonNotYetValid, josejwt.ErrNotValidYet)
		}
	} else {
		if v, aerr = m.verify(r, token, now); aerr != nil {
			return nil, aerr
		}
		if m.cache.add(key, v, now) {
			return nil, unauthenticated(reasonSessionEnded, nil)
		}
	}
	if fromCookie && v.claims.AuthorizedParty == "" {
		return nil, unauthenticated(reasonNoParty, nil)
	}
	rs := &requestSession{m: m, claims: v.claims, fwd: v.fwd}
	if v.kind == kindSession && m.signer != nil {
		// The claims hook gets a copy: v.claims is shared by every request
		// with the same token.
		claims := *v.claims
		src, err := m.signer.Source(&claims)
		if err != nil {
			return nil, signerRefusal(err)
		}
		rs.signed = src
	}
	return rs, nil
}

// signerRefusal is the refusal of a request whose session the Signer will
// not sign for.
func signerRefusal(err error) *AuthError {
	switch {
	case errors.Is(err, localjwt.ErrSessionEnded):
		return unauthenticated(reasonSessionEnded, err)
	case errors.Is(err, localjwt.ErrSessionExpired):
		return unauthenticated(reasonExpired, err)
	}
	return &AuthError{Reason: reasonClaimsRefused, Kind: ErrForbidden, Err: err}
}

// marks are the claims that tell a token's kind, present or not.
type marks map[string]json.RawMessage

// kind classifies a token by its claims: a session token carries sid, a
// template token Hasura's claims namespace and neither sid nor v.
// Custom session claims can add the namespace to a session token, so a
// token with both marks is neither; the signature, the same instance key
// for both, cannot tell them apart.
func (m *Middleware) kind(mk marks) (tokenKind, string) {
	// clerk-sdk-go decodes claims with encoding/json, which matches names
	// whatever their case: so are the marks read, or a template's "SID"
	// would reach the handler as a session ID.
	var sid, v, ns bool
	for name := range mk {
		sid = sid || strings.EqualFold(name, "sid")
		v = v || strings.EqualFold(name, "v")
		ns = ns || name == m.namespace
	}
	switch {
	case sid && ns:
		return 0, reasonBothMarks
	case sid:
		if m.tokens == nil && m.signer == nil {
			return 0, reasonSessionNotAccepted
		}
		return kindSession, ""
	case ns && !v:
		if !m.templates {
			return 0, reasonTemplateNotAccepted
		}
		return kindTemplate, ""
	case m.templates:
		return 0, reasonNeither
	}
	return 0, reasonNoSession
}

// verify checks token fully: kind, signature, times, issuer and party.
func (m *Middleware) verify(r *http.Request, token string, now time.Time) (*verified, *AuthError) {
	mk := marks{}
	peeked, err := jwtclaims.Peek(token, &mk)
	if err != nil {
		return nil, unauthenticated(reasonMalformed, err)
	}
	if m.signer != nil && peeked.Issuer == m.signer.Issuer() {
		// The service's own tokens are for Hasura, never sessions; and
		// their key is not Clerk's, so refuse them before asking for it.
		return nil, unauthenticated(reasonOwnIssuer, nil)
	}
	kind, reason := m.kind(mk)
	if kind == 0 {
		return nil, unauthenticated(reason, nil)
	}
	if peeked.KeyID == "" {
		return nil, unauthenticated(reasonNoKeyID, nil)
	}
	key, aerr := m.keys.key(r.Context(), peeked.KeyID)
	if aerr != nil {
		return nil, aerr
	}
	if peeked.Algorithm != key.Algorithm {
		return nil, unauthenticated(reasonAlgorithm, nil)
	}
	claims, err := jwt.Verify(r.Context(), &jwt.VerifyParams{
		Token:  token,
		JWK:    key,
		Clock:  m.verifyClock(peeked, now),
		Leeway: m.leeway,
		// jwt.Verify compares iss with ProxyURL exactly when it is set:
		// the check an Issuer asks for.
		ProxyURL: m.issuer,
	})
	if err != nil {
		return nil, unauthenticated(m.verifyFailure(err, peeked.Issuer), err)
	}
	if claims.Expiry == nil {
		// go-jose checks exp only when present; a token without one would
		// be good forever.
		return nil, unauthenticated(reasonNoExpiry, nil)
	}
	exp := time.Unix(*claims.Expiry, 0)
	if claims.IssuedAt == nil {
		// Clerk's tokens of both kinds carry iat; without it a token's
		// lifetime, and so its revocation delay, cannot be bounded.
		return nil, unauthenticated(reasonNoIssuedAt, nil)
	}
	// The whole lifetime is bounded, not what is left of it when the token
	// arrives: a long-lived token would otherwise pass once it nears its
	// end, however long ago its session was revoked.
	lifetime := exp.Sub(time.Unix(*claims.IssuedAt, 0))
	switch {
	case kind == kindSession && claims.SessionID == "":
		return nil, unauthenticated(reasonNoSession, nil)
	case kind == kindSession && lifetime > maxSessionLifetime:
		return nil, unauthenticated(reasonSessionTooLong, nil)
	case kind == kindTemplate && claims.SessionID != "":
		return nil, unauthenticated(reasonBothMarks, nil)
	case kind == kindTemplate && lifetime > m.maxTplLife:
		return nil, unauthenticated(reasonTooLong, nil)
	case !m.partyAllowed(claims.AuthorizedParty):
		return nil, unauthenticated(reasonParty, nil)
	}
	v := &verified{claims: claims, kind: kind, exp: exp}
	if kind == kindTemplate {
		if v.fwd, err = forward.NewSource(token, m.clock); err != nil {
			// Within the second by which iat may precede the mint.
			return nil, unauthenticated(reasonExpired, err)
		}
	}
	if claims.NotBefore != nil {
		v.nbf = time.Unix(*claims.NotBefore, 0)
	}
	return v, nil
}

// sessionToken reads the token from the Authorization header, or from the
// session cookie when there is no header and the cookie is allowed, and
// tells which.
func (m *Middleware) sessionToken(r *http.Request) (token string, fromCookie bool, aerr *AuthError) {
	if h := r.Header.Get("Authorization"); h != "" {
		scheme, token, _ := strings.Cut(strings.TrimSpace(h), " ")
		if !strings.EqualFold(scheme, "Bearer") {
			return "", false, unauthenticated(reasonNotBearer, nil)
		}
		if token = strings.TrimSpace(token); token != "" {
			return token, false, nil
		}
		return "", false, unauthenticated(reasonMissing, nil)
	}
	if m.cookie {
		if c, err := r.Cookie(SessionCookieName); err == nil && c.Value != "" {
			return c.Value, true, nil
		}
	}
	return "", false, unauthenticated(reasonMissing, nil)
}

// verifyFailure names why jwt.Verify refused a token. Verify reports a bad
// issuer only in its message, which quotes the issuer, so the issuer is
// judged here again with Verify's rule.
func (m *Middleware) verifyFailure(err error, issuer string) string {
	switch {
	case errors.Is(err, josejwt.ErrExpired):
		return reasonExpired
	case errors.Is(err, josejwt.ErrNotValidYet), errors.Is(err, josejwt.ErrIssuedInTheFuture):
		return reasonNotYetValid
	case errors.Is(err, jose.ErrCryptoFailure):
		return reasonSignature
	case !m.issuerAllowed(issuer):
		return reasonIssuer
	}
	return reasonInvalid
}

func (m *Middleware) issuerAllowed(iss string) bool {
	if m.issuer != nil {
		return iss == *m.issuer
	}
	return strings.HasPrefix(iss, "https://clerk.") || strings.Contains(iss, ".clerk.accounts")
}

func (m *Middleware) partyAllowed(azp string) bool {
	if azp == "" || m.parties == nil {
		return true
	}
	_, ok := m.parties[azp]
	return ok
}
