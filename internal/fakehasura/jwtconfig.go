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

// JWTConfig is one HASURA_GRAPHQL_JWT_SECRET, or one entry of
// HASURA_GRAPHQL_JWT_SECRETS, in the subset the fake supports: everything
// but claims_map.
type JWTConfig struct {
	// JWKURL is where the JWKS is fetched from. Exactly one of JWKURL and
	// Key is set.
	JWKURL string
	// Key is a static verification key, as "key" and "type" give it: an
	// *rsa.PublicKey, an *ecdsa.PublicKey (P-256, P-384 or P-521), an
	// ed25519.PublicKey, or the []byte secret of an HMAC key. Like Hasura,
	// the fake verifies a token with the algorithm its header names,
	// whatever "type" said, if the key can serve that algorithm.
	Key any
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
	// Issuer, when set, must equal a token's iss (when it has one). With
	// several secrets it also picks the secret a token is verified with.
	Issuer string
	// AllowedSkew widens the exp and nbf checks.
	AllowedSkew time.Duration
	// CookieName, when set, is header {"type":"Cookie","name":…}: the token
	// is the value of that cookie instead of "Authorization: Bearer".
	CookieName string
	// HeaderName, when set, is header {"type":"CustomHeader","name":…}:
	// the token is the whole value of that header.
	HeaderName string

	path []string
}

// ErrNotEmulated marks configuration the fake does not support, though
// Hasura does.
var ErrNotEmulated = errors.New("not emulated by the fake Hasura")

// ParseJWTSecret parses a HASURA_GRAPHQL_JWT_SECRET value. Configurations
// Hasura refuses at start-up are refused with Hasura's messages, such as
// "Error in $: key, jwk_url both cannot be present".
func ParseJWTSecret(secret string) (*JWTConfig, error) {
	v, err := decodeConfigJSON(secret)
	if err != nil {
		return nil, err
	}
	return parseJWTConfig(v, "$")
}

// ParseJWTSecrets parses a HASURA_GRAPHQL_JWT_SECRETS value: a JSON list
// of secrets like HASURA_GRAPHQL_JWT_SECRET's, whose errors name the entry
// as Hasura does ("Error in $[1]: …"). An empty list, which turns JWT
// mode off in Hasura, is refused with [ErrNotEmulated].
func ParseJWTSecrets(secrets string) ([]*JWTConfig, error) {
	v, err := decodeConfigJSON(secrets)
	if err != nil {
		return nil, err
	}
	list, ok := v.([]any)
	if !ok {
		return nil, fmt.Errorf("Error in $: parsing [] failed, expected Array, but encountered %s", aesonKind(v))
	}
	if len(list) == 0 {
		return nil, fmt.Errorf("an empty list of JWT secrets, which leaves JWT mode off: %w", ErrNotEmulated)
	}
	out := make([]*JWTConfig, 0, len(list))
	for i, item := range list {
		c, err := parseJWTConfig(item, "$["+strconv.Itoa(i)+"]")
		if err != nil {
			return nil, err
		}
		out = append(out, c)
	}
	return out, nil
}

func decodeConfigJSON(s string) (any, error) {
	dec := json.NewDecoder(bytes.NewReader([]byte(s)))
	dec.UseNumber()
	var v any
	if err := dec.Decode(&v); err != nil {
		return nil, fmt.Errorf("Error in $: %v", err)
	}
	return v, nil
}

// configObject reads the fields of one JSON object at path at, with
// aeson's messages.
type configObject struct {
	o  map[string]any
	at string
}

// text is aeson's .:? for Text: absent and null are both absent.
func (c configObject) text(key string) (string, bool, error) {
	x, present := c.o[key]
	if !present || x == nil {
		return "", false, nil
	}
	s, ok := x.(string)
	if !ok {
		return "", false, fmt.Errorf("Error in %s.%s: parsing Text failed, expected String, but encountered %s", c.at, key, aesonKind(x))
	}
	return s, true, nil
}

// requiredText is aeson's .: for Text.
func (c configObject) requiredText(key string) (string, error) {
	x, present := c.o[key]
	if !present {
		return "", fmt.Errorf("Error in %s: key %q not found", c.at, key)
	}
	s, ok := x.(string)
	if !ok {
		return "", fmt.Errorf("Error in %s.%s: parsing Text failed, expected String, but encountered %s", c.at, key, aesonKind(x))
	}
	return s, nil
}

// parseJWTConfig reads the fields in the order Hasura's FromJSON
// JWTConfig does, so that of several faults the one Hasura reports first
// is reported.
func parseJWTConfig(v any, at string) (*JWTConfig, error) {
	o, ok := v.(map[string]any)
	if !ok {
		return nil, fmt.Errorf("Error in %s: parsing JWTConfig failed, expected Object, but encountered %s", at, aesonKind(v))
	}
	obj := configObject{o: o, at: at}
	c := &JWTConfig{ClaimsNamespace: DefaultClaimsNamespace}
	rawKey, hasKey, err := obj.text("key")
	if err != nil {
		return nil, err
	}
	ns, hasNS, err := obj.text("claims_namespace")
	if err != nil {
		return nil, err
	}
	nsPath, hasPath, err := obj.text("claims_namespace_path")
	if err != nil {
		return nil, err
	}
	if err := c.parseAudience(o["audience"], at); err != nil {
		return nil, err
	}
	if err := c.parseIssuer(o["issuer"], at); err != nil {
		return nil, err
	}
	url, hasURL, err := obj.text("jwk_url")
	if err != nil {
		return nil, err
	}
	if err := c.parseClaimsFormat(obj); err != nil {
		return nil, err
	}
	_, hasClaimsMap := o["claims_map"]
	if err := c.parseSkew(o["allowed_skew"], at); err != nil {
		return nil, err
	}
	if err := c.parseHeader(o["header"], at); err != nil {
		return nil, err
	}
	switch {
	case hasNS && hasPath:
		return nil, fmt.Errorf("Error in %s: claims_namespace and claims_namespace_path both cannot be set", at)
	case hasPath:
		if c.path, err = parseJSONPath(nsPath); err != nil {
			return nil, fmt.Errorf("Error in %s: invalid JSON path claims_namespace_path error: %v", at, err)
		}
		c.ClaimsNamespacePath = nsPath
	case hasNS:
		c.ClaimsNamespace = ns
	}
	switch {
	case !hasKey && !hasURL:
		return nil, fmt.Errorf("Error in %s: key and jwk_url both cannot be empty", at)
	case hasKey && hasURL:
		return nil, fmt.Errorf("Error in %s: key, jwk_url both cannot be present", at)
	case hasKey:
		keyType, err := obj.requiredText("type")
		if err != nil {
			return nil, err
		}
		key, reason := parseStaticKey(keyType, rawKey)
		if reason != "" {
			return nil, fmt.Errorf("Error in %s: Invalid JWK: %s", at, reason)
		}
		c.Key = key
	default:
		c.JWKURL = url
	}
	if hasClaimsMap {
		return nil, fmt.Errorf("claims_map: %w", ErrNotEmulated)
	}
	return c, nil
}

func (c *JWTConfig) parseClaimsFormat(obj configObject) error {
	f, ok, err := obj.text("claims_format")
	if err != nil || !ok {
		return err
	}
	switch f {
	case "json":
	case "stringified_json":
		c.StringifiedClaims = true
	default:
		return fmt.Errorf(`Error in %s.claims_format: unexpected claims_format %q, expected "json" or "stringified_json"`, obj.at, f)
	}
	return nil
}

func (c *JWTConfig) parseIssuer(v any, at string) error {
	if v == nil {
		return nil
	}
	s, ok := v.(string)
	if !ok {
		return fmt.Errorf("Error in %s.issuer: parsing StringOrURI failed, expected String, but encountered %s", at, aesonKind(v))
	}
	if !isStringOrURI(s) {
		return fmt.Errorf("Error in %s.issuer: failed to parse StringOrURI", at)
	}
	c.Issuer = s
	return nil
}

func (c *JWTConfig) parseAudience(v any, at string) error {
	switch a := v.(type) {
	case nil:
	case string:
		c.Audience = []string{a}
	case []any:
		for _, x := range a {
			s, ok := x.(string)
			if !ok {
				return fmt.Errorf("Error in %s.audience: parsing StringOrURI failed, expected String, but encountered %s", at, aesonKind(x))
			}
			c.Audience = append(c.Audience, s)
		}
	default:
		return fmt.Errorf("Error in %s.audience: parsing StringOrURI failed, expected String, but encountered %s", at, aesonKind(v))
	}
	return nil
}

func (c *JWTConfig) parseSkew(v any, at string) error {
	if v == nil {
		return nil
	}
	n, isNum := v.(json.Number)
	f, err := strconv.ParseFloat(string(n), 64)
	if !isNum || err != nil {
		return fmt.Errorf("Error in %s.allowed_skew: parsing NominalDiffTime failed, expected Number, but encountered %s", at, aesonKind(v))
	}
	c.AllowedSkew = time.Duration(f * float64(time.Second))
	return nil
}

// parseHeader is Hasura's FromJSON JWTHeader, whose type is compared
// without regard to case.
func (c *JWTConfig) parseHeader(v any, at string) error {
	if v == nil {
		return nil
	}
	h, ok := v.(map[string]any)
	if !ok {
		return fmt.Errorf("Error in %s.header: parsing JWTHeader failed, expected Object, but encountered %s", at, aesonKind(v))
	}
	obj := configObject{o: h, at: at + ".header"}
	typ, err := obj.requiredText("type")
	if err != nil {
		return err
	}
	switch strings.ToLower(typ) {
	case "authorization":
		return nil
	case "cookie":
		c.CookieName, err = obj.requiredText("name")
		return err
	case "customheader":
		c.HeaderName, err = obj.requiredText("name")
		return err
	}
	return fmt.Errorf("Error in %s.header: expected 'type' is 'Authorization' or 'Cookie' or 'CustomHeader'", at)
}
