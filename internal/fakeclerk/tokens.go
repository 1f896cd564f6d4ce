package fakeclerk

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"time"
)

// SessionTokenLifetime and SessionTokenClockSkew shape the session tokens
// the fake mints: they live 60 s like Clerk's, and nbf allows 10 s of skew.
const (
	SessionTokenLifetime  = 60 * time.Second
	SessionTokenClockSkew = 10 * time.Second
)

// ErrUnknownTemplate is returned for a template name the fake does not have.
var ErrUnknownTemplate = errors.New("fakeclerk: unknown template")

// MinExpiresInSeconds and MaxExpiresInSeconds are the bounds Clerk's API
// spec sets on expires_in_seconds; the fake answers a value outside them
// with Clerk's 422 form_param_value_invalid. Only template lifetimes, and
// the lifetime argument of the Mint methods, may be shorter than the
// minimum: a fake-only allowance, so that tests can reach a token's
// expiry in seconds.
const (
	MinExpiresInSeconds = 30
	MaxExpiresInSeconds = 315360000
)

// MintTemplateToken signs a token from the template name for the session
// id. A positive lifetime overrides the template's.
func (s *Server) MintTemplateToken(id, name string, lifetime time.Duration) (string, error) {
	ss, err := s.activeSession(id)
	if err != nil {
		return "", err
	}
	s.mu.RLock()
	tpl, ok := s.templates[name]
	key := s.keys.active()
	s.mu.RUnlock()
	if !ok {
		return "", fmt.Errorf("%w %q", ErrUnknownTemplate, name)
	}
	claims, err := tpl.render(ss.userID, ss.id)
	if err != nil {
		return "", fmt.Errorf("fakeclerk: rendering template %q: %w", name, err)
	}
	if lifetime <= 0 {
		lifetime = tpl.lifetime
	}
	iat := s.Now().Unix()
	claims["azp"] = s.azp
	claims["iss"] = s.issuer
	claims["sub"] = ss.userID
	claims["jti"] = newHex(10)
	claims["iat"] = iat
	claims["nbf"] = iat - int64(tpl.skew/time.Second)
	claims["exp"] = iat + int64(lifetime/time.Second)
	tok, err := sign(key, claims)
	if err == nil {
		s.stats.tokens.Add(1)
	}
	return tok, err
}

// MintSessionToken signs a session token (what a browser sends to a
// backend) for the session id: azp, exp, iat, iss, nbf, sid, sub and v=2.
// A positive lifetime overrides [SessionTokenLifetime].
func (s *Server) MintSessionToken(id string, lifetime time.Duration) (string, error) {
	ss, err := s.activeSession(id)
	if err != nil {
		return "", err
	}
	s.mu.RLock()
	key := s.keys.active()
	s.mu.RUnlock()
	if lifetime <= 0 {
		lifetime = SessionTokenLifetime
	}
	iat := s.Now().Unix()
	claims := map[string]any{
		"azp": s.azp,
		"iss": s.issuer,
		"sub": ss.userID,
		"sid": ss.id,
		"v":   2,
		"iat": iat,
		"nbf": iat - int64(SessionTokenClockSkew/time.Second),
		"exp": iat + int64(lifetime/time.Second),
	}
	tok, err := sign(key, claims)
	if err == nil {
		s.stats.sessionTokens.Add(1)
	}
	return tok, err
}

func sign(key *signingKey, claims map[string]any) (string, error) {
	if azp, ok := claims["azp"].(string); ok && azp == "" {
		delete(claims, "azp")
	}
	payload, err := json.Marshal(claims)
	if err != nil {
		return "", fmt.Errorf("fakeclerk: encoding claims: %w", err)
	}
	jws, err := key.signer.Sign(payload)
	if err != nil {
		return "", fmt.Errorf("fakeclerk: signing: %w", err)
	}
	return jws.CompactSerialize()
}

// tokenJSON is clerk.SessionToken on the wire.
type tokenJSON struct {
	Object string `json:"object"`
	JWT    string `json:"jwt"`
}

func (s *Server) handleCreateToken(w http.ResponseWriter, r *http.Request) {
	var body struct {
		ExpiresInSeconds *int64 `json:"expires_in_seconds"`
	}
	if !s.decodeBody(w, r, &body) {
		return
	}
	var lifetime time.Duration
	if e := body.ExpiresInSeconds; e != nil {
		if *e < MinExpiresInSeconds || *e > MaxExpiresInSeconds {
			s.stats.badRequests.Add(1)
			writeError(w, http.StatusUnprocessableEntity, paramInvalid("expires_in_seconds",
				fmt.Sprintf("expires_in_seconds must be between %d and %d.", MinExpiresInSeconds, MaxExpiresInSeconds)))
			return
		}
		lifetime = time.Duration(*e) * time.Second
	}
	id, name := r.PathValue("id"), r.PathValue("template")
	var tok string
	var err error
	if name == "" {
		tok, err = s.MintSessionToken(id, lifetime)
	} else {
		tok, err = s.MintTemplateToken(id, name, lifetime)
	}
	switch {
	case errors.Is(err, ErrUnknownSession), errors.Is(err, ErrInactiveSession), errors.Is(err, ErrUnknownTemplate):
		s.handleNotFound(w, r)
		return
	case err != nil:
		writeError(w, http.StatusInternalServerError)
		return
	}
	writeJSON(w, http.StatusOK, tokenJSON{Object: "token", JWT: tok})
}
