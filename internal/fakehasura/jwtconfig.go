package fakehasura

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// DefaultClaimsNamespace is where Hasura looks for its claims unless
// claims_namespace or claims_namespace_path say otherwise.
const DefaultClaimsNamespace = "https://hasura.io/jwt/claims"

// JWTConfig is HASURA_GRAPHQL_JWT_SECRET in the subset the fake supports:
// a jwk_url, never a static key or a claims_map.
type JWTConfig struct {
	// JWKURL is where the JWKS is fetched from.
	JWKURL string
	// ClaimsNamespace is the top-level claim holding the x-hasura-* claims,
	// used when ClaimsNamespacePath is empty.
	ClaimsNamespace string
	// ClaimsNamespacePath is a JSON path such as "$.hasura.claims".
	ClaimsNamespacePath string
	// StringifiedClaims is claims_format "stringified_json": the namespace
	// holds a JSON document in a string.
	StringifiedClaims bool
	// Audience, when set, must contain a token's aud (when it has one).
	Audience []string
	// Issuer, when set, must equal a token's iss (when it has one).
	Issuer string
	// AllowedSkew widens the exp and nbf checks.
	AllowedSkew time.Duration
	// CookieName, when set, is header {"type":"Cookie","name":…}: the token
	// is read from that cookie instead of "Authorization: Bearer".
	CookieName string

	path []string
}

// ErrNotEmulated marks configuration the fake does not support, though
// Hasura does.
var ErrNotEmulated = errors.New("not emulated by the fake Hasura")

// ParseJWTSecret parses a HASURA_GRAPHQL_JWT_SECRET value. Combinations
// Hasura refuses are refused with Hasura's messages.
func ParseJWTSecret(secret string) (*JWTConfig, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(secret)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("Error in $: %v", err)
	}
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Error in $: parsing JWTConfig failed, expected Object, but encountered %s", aesonKind(v))
	}
	str := func(key string) (string, bool, error) {
		x, present := o[key]
		if !present || x == nil {
			return "", false, nil
		}
		s, ok := x.(string)
		if !ok {
			return "", false, fmt.Errorf("Error in $.%s: parsing Text failed, expected String, but encountered %s", key, aesonKind(x))
		}
		return s, true, nil
	}
	c := &JWTConfig{ClaimsNamespace: DefaultClaimsNamespace}
	ns, hasNS, err := str("claims_namespace")
	if err != nil {
		return nil, err
	}
	nsPath, hasPath, err := str("claims_namespace_path")
	if err != nil {
		return nil, err
	}
	switch {
	case hasNS && hasPath:
		return nil, errors.New("Error in $: claims_namespace and claims_namespace_path both cannot be set")
	case hasPath:
		if c.path, err = parseJSONPath(nsPath); err != nil {
			return nil, fmt.Errorf("Error in $: invalid JSON path claims_namespace_path error: %v", err)
		}
		c.ClaimsNamespacePath = nsPath
	case hasNS:
		c.ClaimsNamespace = ns
	}
	_, hasKey := o["key"]
	url, hasURL, err := str("jwk_url")
	if err != nil {
		return nil, err
	}
	switch {
	case !hasKey && !hasURL:
		return nil, errors.New("Error in $: key and jwk_url both cannot be empty")
	case hasKey && hasURL:
		return nil, errors.New("Error in $: key, jwk_url both cannot be present")
	case hasKey:
		return nil, fmt.Errorf("a static key: %w; use jwk_url", ErrNotEmulated)
	}
	c.JWKURL = url
	if _, ok := o["claims_map"]; ok {
		return nil, fmt.Errorf("claims_map: %w", ErrNotEmulated)
	}
	if f, ok, err := str("claims_format"); err != nil {
		return nil, err
	} else if ok {
		switch f {
		case "json":
		case "stringified_json":
			c.StringifiedClaims = true
		default:
			return nil, fmt.Errorf(`Error in $.claims_format: unexpected claims_format %q, expected "json" or "stringified_json"`, f)
		}
	}
	if c.Issuer, _, err = str("issuer"); err != nil {
		return nil, err
	}
	if err := c.parseAudience(o["audience"]); err != nil {
		return nil, err
	}
	if skew, ok := o["allowed_skew"]; ok && skew != nil {
		n, isNum := skew.(json.Number)
		f, ferr := strconv.ParseFloat(string(n), 64)
		if !isNum || ferr != nil {
			return nil, fmt.Errorf("Error in $.allowed_skew: parsing NominalDiffTime failed, expected Number, but encountered %s", aesonKind(skew))
		}
		c.AllowedSkew = time.Duration(f * float64(time.Second))
	}
	return c, c.parseHeader(o["header"])
}

func (c *JWTConfig) parseAudience(v any) error {
	switch a := v.(type) {
	case nil:
	case string:
		c.Audience = []string{a}
	case []any:
		for _, x := range a {
			s, ok := x.(string)
			if !ok {
				return fmt.Errorf("Error in $.audience: parsing StringOrURI failed, expected String, but encountered %s", aesonKind(x))
			}
			c.Audience = append(c.Audience, s)
		}
	default:
		return fmt.Errorf("Error in $.audience: parsing Audience failed, expected String or Array, but encountered %s", aesonKind(v))
	}
	return nil
}

func (c *JWTConfig) parseHeader(v any) error {
	if v == nil {
		return nil
	}
	h, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("Error in $.header: parsing JWTHeader failed, expected Object, but encountered %s", aesonKind(v))
	}
	switch h["type"] {
	case "Authorization":
		return nil
	case "Cookie":
		name, ok := h["name"].(string)
		if !ok {
			return errors.New(`Error in $.header: key "name" not found`)
		}
		c.CookieName = name
		return nil
	case "CustomHeader":
		return fmt.Errorf("header type CustomHeader: %w", ErrNotEmulated)
	}
	return errors.New("Error in $.header: expected Authorization or Cookie")
}

// parseJSONPath reads the paths Hasura accepts for claims_namespace_path:
// $ followed by .key, ['key'], ["key"] or [index] steps.
func parseJSONPath(p string) ([]string, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, errors.New("expecting '$' at the start")
	}
	var out []string
	rest := p[1:]
	for rest != "" {
		switch {
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			key := rest[1 : 1+end]
			if key == "" {
				return nil, errors.New("empty key")
			}
			out = append(out, key)
			rest = rest[1+end:]
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			q := rest[1]
			end := strings.IndexByte(rest[2:], q)
			if end < 0 || !strings.HasPrefix(rest[2+end:], string(q)+"]") {
				return nil, errors.New("unterminated bracket")
			}
			out = append(out, rest[2:2+end])
			rest = rest[2+end+2:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errors.New("unterminated bracket")
			}
			if _, err := strconv.Atoi(rest[1:end]); err != nil {
				return nil, errors.New("invalid index")
			}
			out = append(out, rest[1:end])
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q", rest[:1])
		}
	}
	return out, nil
}
