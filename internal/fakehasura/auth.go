package fakehasura

import (
	"bytes"
	"crypto/subtle"
	"encoding/json"
	"net/http"
	"strings"
	"time"
)

// Session is an authenticated request's identity: the role it runs as and
// its x-hasura-* session variables, names in lower case.
type Session struct {
	Role string
	Vars map[string]string
	// Expiry is the token's exp; zero without a token or without exp.
	Expiry time.Time
}

// registeredClaims are the claims jose keeps apart from the others; a
// claims namespace is looked up among the others only.
var registeredClaims = map[string]bool{"iss": true, "sub": true, "aud": true, "exp": true, "nbf": true, "iat": true, "jti": true}

func headerVars(h http.Header, role string) map[string]string {
	vars := map[string]string{}
	for name, vals := range h {
		l := strings.ToLower(name)
		if strings.HasPrefix(l, "x-hasura-") && l != "x-hasura-admin-secret" && l != "x-hasura-access-key" && len(vals) > 0 {
			vars[l] = vals[0]
		}
	}
	vars["x-hasura-role"] = role
	return vars
}

// authenticate is Hasura's JWT mode with an admin secret: the admin secret
// header wins; otherwise the one token [Engine.resolve] finds for the
// secrets; otherwise, when there is no token at all, the unauthorized
// role, if any.
func (e *Engine) authenticate(h http.Header) (*Session, *Error) {
	secret, sent := firstValue(h, "X-Hasura-Admin-Secret")
	if !sent {
		secret, sent = firstValue(h, "X-Hasura-Access-Key")
	}
	if sent {
		if e.cfg.AdminSecret == "" || subtle.ConstantTimeCompare([]byte(secret), []byte(e.cfg.AdminSecret)) != 1 {
			return nil, newError(CodeAccessDenied, "$", "invalid x-hasura-admin-secret/x-hasura-access-key")
		}
		role := h.Get("X-Hasura-Role")
		if role == "" {
			role = adminRole
		}
		return &Session{Role: role, Vars: headerVars(h, role)}, nil
	}
	c, found, err := e.resolve(h)
	if err != nil {
		return nil, err
	}
	if !found {
		if role := e.cfg.UnauthorizedRole; role != "" {
			return &Session{Role: role, Vars: headerVars(h, role)}, nil
		}
		return nil, newError(CodeInvalidHeaders, "$", "Missing 'Authorization' or 'Cookie' header in JWT authentication mode")
	}
	claims, err := e.verify(c.secret, c.raw)
	if err != nil {
		return nil, err
	}
	return claimsSession(claims, c.secret.cfg, h)
}

func firstValue(h http.Header, name string) (string, bool) {
	vals := h.Values(name)
	if len(vals) == 0 {
		return "", false
	}
	return vals[0], true
}

// hasuraWords splits like Haskell's Data.ByteString.Char8.words: on the
// bytes that are spaces in Latin-1.
func hasuraWords(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		switch r {
		case ' ', '\t', '\n', '\r', '\f', '\v', 0xa0:
			return true
		}
		return false
	})
}

func invalidJWT(reason string) *Error {
	return newError(CodeInvalidJWT, "$", "Could not verify JWT: %s", reason)
}

// verify decodes, verifies and validates a token, in jose's order: the
// payload is decoded before the signature is checked, the registered
// claims are validated after.
func (e *Engine) verify(s *jwtSecret, raw string) (map[string]any, *Error) {
	t, reason := parseCompact(raw)
	if reason != "" {
		return nil, invalidJWT(reason)
	}
	claims, reason := decodeClaims(t.payload)
	if reason != "" {
		return nil, invalidJWT(reason)
	}
	now := e.Now()
	keys := s.keysAt(now)
	reason = verifySignature(t, keys)
	if reason != "" && reason != "JWSError JWSNoSignatures" && s.jwks != nil && !hasKID(keys, t.header.Kid) {
		if keys, again := s.jwks.refetchFor(t.header.Kid, now); again {
			reason = verifySignature(t, keys)
		}
	}
	if reason != "" {
		return nil, invalidJWT(reason)
	}
	if reason := checkClaims(claims, s.cfg, now); reason != "" {
		return nil, invalidJWT(reason)
	}
	return claims, nil
}

func invalidClaims(format string, args ...any) *Error {
	return newError(CodeJWTInvalidClaims, "$", format, args...)
}

func hasuraClaims(claims map[string]any, cfg *JWTConfig) (map[string]any, *Error) {
	var ns any
	found := false
	if cfg.path != nil {
		var node any = unregistered(claims)
		found = true
		for _, step := range cfg.path {
			switch n := node.(type) {
			case map[string]any:
				node, found = n[step]
			case []any:
				i := -1
				if err := json.Unmarshal([]byte(step), &i); err != nil || i < 0 || i >= len(n) {
					found = false
				} else {
					node = n[i]
				}
			default:
				found = false
			}
			if !found {
				break
			}
		}
		ns = node
		if !found {
			return nil, invalidClaims("claims not found at claims_namespace_path: '%s'", cfg.ClaimsNamespacePath)
		}
	} else if ns, found = unregistered(claims)[cfg.ClaimsNamespace]; !found {
		return nil, invalidClaims("claims key: '%s' not found", cfg.ClaimsNamespace)
	}
	if cfg.StringifiedClaims {
		s, ok := ns.(string)
		if !ok {
			return nil, invalidClaims("expecting a string when claims_format is stringified_json")
		}
		dec := json.NewDecoder(bytes.NewReader([]byte(s)))
		dec.UseNumber()
		var obj map[string]any
		if err := dec.Decode(&obj); err != nil || obj == nil {
			where := "claims_namespace " + cfg.ClaimsNamespace
			if cfg.path != nil {
				where = "claims_namespace_path " + cfg.ClaimsNamespacePath
			}
			return nil, invalidClaims("expecting stringified json at: '%s', but found: %s", where, s)
		}
		return obj, nil
	}
	obj, ok := ns.(map[string]any)
	if !ok {
		return nil, invalidClaims("expecting a json object when claims_format is json")
	}
	return obj, nil
}

func unregistered(claims map[string]any) map[string]any {
	out := map[string]any{}
	for k, v := range claims {
		if !registeredClaims[k] {
			out[k] = v
		}
	}
	return out
}

func roleName(v any) (string, string) {
	s, ok := v.(string)
	switch {
	case !ok:
		return "", "parsing Text failed, expected String, but encountered " + aesonKind(v)
	case s == "":
		return "", "empty string not allowed"
	}
	return s, ""
}

func claimsSession(claims map[string]any, cfg *JWTConfig, h http.Header) (*Session, *Error) {
	obj, err := hasuraClaims(claims, cfg)
	if err != nil {
		return nil, err
	}
	m := map[string]any{}
	for k, v := range obj {
		if l := strings.ToLower(k); strings.HasPrefix(l, "x-hasura-") {
			m[l] = v
		}
	}
	rawAllowed, ok := m["x-hasura-allowed-roles"]
	if !ok {
		return nil, newError(CodeJWTMissingRoleClaim, "$", "JWT claim does not contain x-hasura-allowed-roles")
	}
	list, isList := rawAllowed.([]any)
	if !isList {
		return nil, invalidClaims("invalid x-hasura-allowed-roles; should be a list of roles: parsing [] failed, expected Array, but encountered %s", aesonKind(rawAllowed))
	}
	allowed := map[string]bool{}
	for _, item := range list {
		r, bad := roleName(item)
		if bad != "" {
			return nil, invalidClaims("invalid x-hasura-allowed-roles; should be a list of roles: %s", bad)
		}
		allowed[r] = true
	}
	rawDefault, ok := m["x-hasura-default-role"]
	if !ok {
		return nil, newError(CodeJWTMissingRoleClaim, "$", "JWT claim does not contain x-hasura-default-role")
	}
	role, bad := roleName(rawDefault)
	if bad != "" {
		return nil, invalidClaims("invalid x-hasura-default-role; should be a single role name: %s", bad)
	}
	if requested := h.Get("X-Hasura-Role"); requested != "" {
		role = requested
	}
	if !allowed[role] {
		return nil, newError(CodeAccessDenied, "$", "Your requested role is not in allowed roles")
	}
	vars := map[string]string{}
	for _, k := range sortedKeys(m) {
		if k == "x-hasura-allowed-roles" || k == "x-hasura-default-role" {
			continue
		}
		s, ok := m[k].(string)
		if !ok {
			return nil, invalidClaims("x-hasura-* claims: parsing Text failed, expected String, but encountered %s", aesonKind(m[k]))
		}
		vars[k] = s
	}
	vars["x-hasura-role"] = role
	s := &Session{Role: role, Vars: vars}
	if exp, ok := claims["exp"].(json.Number); ok {
		if f, err := exp.Float64(); err == nil {
			s.Expiry = time.Unix(0, int64(f*1e9)).UTC()
		}
	}
	return s, nil
}
