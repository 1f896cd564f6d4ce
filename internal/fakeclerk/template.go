package fakeclerk

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"time"
)

// Defaults of a Clerk JWT template.
const (
	DefaultLifetime         = 60 * time.Second
	DefaultAllowedClockSkew = 5 * time.Second
)

// ReservedClaims are the claims Clerk sets on every template token; a
// template may not define them.
var ReservedClaims = []string{"azp", "exp", "iat", "iss", "jti", "nbf", "sub"}

// ErrInvalidTemplate is returned for a template Clerk would refuse to save.
var ErrInvalidTemplate = errors.New("fakeclerk: invalid template")

// Template is a JWT template: the claims it adds and the token lifetime.
type Template struct {
	Claims           map[string]any
	Lifetime         time.Duration // 0 means DefaultLifetime
	AllowedClockSkew time.Duration // 0 means DefaultAllowedClockSkew; negative means none
}

// compiledTemplate is a validated template whose claims are stored as JSON,
// so that the caller's map can change afterwards without a data race.
type compiledTemplate struct {
	claims   []byte
	lifetime time.Duration
	skew     time.Duration
	// id, created and updated are what the templates route reports; set
	// when the template is stored.
	id               string
	created, updated time.Time
}

var shortcodeRE = regexp.MustCompile(`\{\{\s*([^{}]*?)\s*\}\}`)

// shortcodes are the template placeholders the fake renders.
var shortcodes = map[string]bool{"user.id": true, "session.id": true}

func compileTemplate(name string, tpl Template) (*compiledTemplate, error) {
	if name == "" {
		return nil, fmt.Errorf("%w: empty name", ErrInvalidTemplate)
	}
	if strings.ContainsAny(name, "/?#") {
		return nil, fmt.Errorf("%w %q: name contains '/', '?' or '#'", ErrInvalidTemplate, name)
	}
	c := &compiledTemplate{lifetime: tpl.Lifetime, skew: tpl.AllowedClockSkew}
	if c.lifetime == 0 {
		c.lifetime = DefaultLifetime
	}
	if c.skew == 0 {
		c.skew = DefaultAllowedClockSkew
	}
	if c.lifetime < time.Second {
		return nil, fmt.Errorf("%w %q: lifetime %v is below 1s", ErrInvalidTemplate, name, tpl.Lifetime)
	}
	if c.skew < 0 {
		c.skew = 0
	}
	for _, k := range ReservedClaims {
		if _, ok := tpl.Claims[k]; ok {
			return nil, fmt.Errorf("%w %q: claim %q is reserved", ErrInvalidTemplate, name, k)
		}
	}
	claims := tpl.Claims
	if claims == nil {
		claims = map[string]any{}
	}
	raw, err := json.Marshal(claims)
	if err != nil {
		return nil, fmt.Errorf("%w %q: claims are not JSON: %w", ErrInvalidTemplate, name, err)
	}
	for _, m := range shortcodeRE.FindAllSubmatch(raw, -1) {
		if !shortcodes[string(m[1])] {
			return nil, fmt.Errorf("%w %q: unsupported shortcode {{%s}}", ErrInvalidTemplate, name, m[1])
		}
	}
	c.claims = raw
	return c, nil
}

// render returns the template's claims with the shortcodes replaced inside
// every string value at any depth. Object keys are left as they are.
func (c *compiledTemplate) render(userID, sessionID string) (map[string]any, error) {
	dec := json.NewDecoder(bytes.NewReader(c.claims))
	dec.UseNumber()
	var claims map[string]any
	if err := dec.Decode(&claims); err != nil {
		return nil, err
	}
	values := map[string]string{"user.id": userID, "session.id": sessionID}
	for k, v := range claims {
		claims[k] = substitute(v, values)
	}
	return claims, nil
}

func substitute(v any, values map[string]string) any {
	switch v := v.(type) {
	case string:
		if !strings.Contains(v, "{{") {
			return v
		}
		return shortcodeRE.ReplaceAllStringFunc(v, func(code string) string {
			return values[shortcodeRE.FindStringSubmatch(code)[1]]
		})
	case map[string]any:
		for k, e := range v {
			v[k] = substitute(e, values)
		}
		return v
	case []any:
		for i, e := range v {
			v[i] = substitute(e, values)
		}
		return v
	default:
		return v
	}
}
