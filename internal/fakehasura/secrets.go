package fakehasura

import (
	"bytes"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"reflect"
	"strings"
	"time"

	jose "github.com/go-jose/go-jose/v3"
)

// jwtSecret is one configured secret at run time: its configuration and
// where its keys come from.
type jwtSecret struct {
	cfg    *JWTConfig
	jwks   *keySet           // nil for a static key
	static []jose.JSONWebKey // the static key, as a one-key set
}

// keysAt returns the secret's keys, refreshing a jwk_url set that has
// expired.
func (s *jwtSecret) keysAt(now time.Time) []jose.JSONWebKey {
	if s.jwks == nil {
		return s.static
	}
	return s.jwks.current(now)
}

// uniqueConfigs drops repeated secrets, as Hasura's setupAuthMode does
// (L.nub): two equal secrets without an issuer do not make every token
// ambiguous.
func uniqueConfigs(cfgs []*JWTConfig) []*JWTConfig {
	var out []*JWTConfig
	for _, c := range cfgs {
		dup := false
		for _, seen := range out {
			if reflect.DeepEqual(c, seen) {
				dup = true
				break
			}
		}
		if !dup {
			out = append(out, c)
		}
	}
	return out
}

// candidate is a token found where a secret looks for one.
type candidate struct {
	secret *jwtSecret
	raw    string
}

// resolve is Hasura's processJwt_ (Auth/JWT.hs) before verification: it
// pairs every secret with every token found at the secret's location (the
// Authorization header, a cookie, a custom header), and keeps the pairs
// whose token's iss matches the secret's issuer or where either is
// absent. No token at all: ok is false, for the unauthorized role's flow.
// Tokens but no match: JWTNotInIssuer. More than one match: an error, the
// token being ambiguous. The issuer is read without verifying the token.
func (e *Engine) resolve(h http.Header) (c candidate, ok bool, err *Error) {
	var matches []candidate
	found := false
	for _, s := range e.secrets {
		for _, value := range tokensAt(h, s.cfg) {
			found = true
			raw := value
			if s.cfg.CookieName == "" && s.cfg.HeaderName == "" {
				words := hasuraWords(value)
				if len(words) != 2 || words[0] != "Bearer" {
					return candidate{}, false, newError(CodeInvalidHeaders, "$", "Malformed Authorization header")
				}
				raw = words[1]
			}
			if iss, known := peekIssuer(raw); s.cfg.Issuer == "" || !known || iss == s.cfg.Issuer {
				matches = append(matches, candidate{secret: s, raw: raw})
			}
		}
	}
	switch {
	case !found:
		return candidate{}, false, nil
	case len(matches) == 0:
		return candidate{}, false, invalidJWT("JWTNotInIssuer")
	case len(matches) > 1:
		return candidate{}, false, newError(CodeInvalidHeaders, "$", "Could not verify JWT: Multiple JWTs found")
	}
	return matches[0], true, nil
}

// tokensAt lists the values found at cfg's token location, one per header
// or cookie: Hasura reads every Authorization header, every cookie of the
// name, and every header of a custom name other than Authorization and
// Cookie (which it files under those two).
func tokensAt(h http.Header, cfg *JWTConfig) []string {
	switch {
	case cfg.CookieName != "":
		var out []string
		for _, c := range (&http.Request{Header: http.Header{"Cookie": h.Values("Cookie")}}).Cookies() {
			if c.Name == cfg.CookieName {
				out = append(out, c.Value)
			}
		}
		return out
	case cfg.HeaderName != "":
		name := http.CanonicalHeaderKey(cfg.HeaderName)
		if name == "Authorization" || name == "Cookie" {
			return nil
		}
		return h.Values(name)
	}
	return h.Values("Authorization")
}

// peekIssuer is Hasura's tokenIssuer: the iss of a token's claims, decoded
// without verification as jose's ClaimsSet. known is false when the token
// does not decode that far or has no iss; such a token matches every
// secret.
func peekIssuer(raw string) (iss string, known bool) {
	parts := strings.Split(raw, ".")
	if len(parts) < 3 {
		return "", false
	}
	payload, err := base64.RawURLEncoding.DecodeString(parts[1])
	if err != nil {
		return "", false
	}
	dec := json.NewDecoder(bytes.NewReader(payload))
	dec.UseNumber()
	var claims map[string]any
	if dec.Decode(&claims) != nil || claims == nil || dec.More() || !claimsSetDecodes(claims) {
		return "", false
	}
	iss, known = claims["iss"].(string)
	return iss, known
}

// claimsSetDecodes reports whether jose would decode claims as a ClaimsSet:
// the registered claims, when present and not null, must have their types.
func claimsSetDecodes(claims map[string]any) bool {
	for _, name := range []string{"iss", "sub"} {
		if v, ok := claims[name]; ok && v != nil {
			if s, isStr := v.(string); !isStr || !isStringOrURI(s) {
				return false
			}
		}
	}
	switch a := claims["aud"].(type) {
	case nil:
	case string:
		if !isStringOrURI(a) {
			return false
		}
	case []any:
		for _, x := range a {
			if s, isStr := x.(string); !isStr || !isStringOrURI(s) {
				return false
			}
		}
	default:
		return false
	}
	for _, name := range []string{"exp", "nbf", "iat"} {
		if v, ok := claims[name]; ok && v != nil {
			if _, isNum := v.(json.Number); !isNum {
				return false
			}
		}
	}
	if v, ok := claims["jti"]; ok && v != nil {
		if _, isStr := v.(string); !isStr {
			return false
		}
	}
	return true
}

// checkSecrets refuses configurations that ParseJWTSecret and
// ParseJWTSecrets would not produce.
func checkSecrets(cfgs []*JWTConfig) error {
	if len(cfgs) == 0 {
		return errors.New("fakehasura: Config.JWT or Config.JWTSecrets is required")
	}
	for _, c := range cfgs {
		if c == nil || (c.JWKURL == "") == (c.Key == nil) {
			return errors.New("fakehasura: each JWTConfig needs either a JWKURL or a Key")
		}
		switch k := c.Key.(type) {
		case nil, *rsa.PublicKey, ed25519.PublicKey:
		case []byte:
			if len(k) == 0 {
				return errors.New("fakehasura: an empty HMAC key")
			}
		case *ecdsa.PublicKey:
			if _, reason := publicKeyJWK(k); reason != "" {
				return errors.New("fakehasura: " + reason)
			}
		default:
			return fmt.Errorf("fakehasura: a JWTConfig.Key of type %T", c.Key)
		}
	}
	return nil
}
