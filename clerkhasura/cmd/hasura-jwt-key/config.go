package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/url"
	"os"
	"strings"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// config is the command's flags.
type config struct {
	issuer, clerk, jwksURL, clerkJWKSURL, audience, out, keyFile string
}

func (c *config) check() error {
	if c.issuer == "" || c.clerk == "" {
		return errors.New("-issuer and -clerk are required")
	}
	if c.out != "" && c.keyFile != "" {
		return errors.New("-out writes a new key, -key reads one: not both")
	}
	c.issuer = strings.TrimSuffix(c.issuer, "/")
	c.clerk = strings.TrimSuffix(c.clerk, "/")
	if c.jwksURL == "" {
		c.jwksURL = c.issuer + "/.well-known/hasura-jwks.json"
	}
	if c.clerkJWKSURL == "" {
		c.clerkJWKSURL = c.clerk + "/.well-known/jwks.json"
	}
	for _, u := range []struct {
		flag, value string
		https       bool
	}{{"-issuer", c.issuer, true}, {"-clerk", c.clerk, true}, {"-jwks-url", c.jwksURL, false}, {"-clerk-jwks-url", c.clerkJWKSURL, false}} {
		if err := checkURL(u.value, u.https); err != nil {
			return fmt.Errorf("%s: %w", u.flag, err)
		}
	}
	if c.issuer == c.clerk {
		return errors.New("-issuer must differ from -clerk: Hasura tells the two apart by it")
	}
	return nil
}

// checkURL accepts an absolute URL without user info, query or fragment;
// an http URL only when https is false (a jwk_url may be internal).
func checkURL(s string, https bool) error {
	u, err := url.Parse(s)
	if err != nil || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "" ||
		(u.Scheme != "https" && (https || u.Scheme != "http")) {
		if https {
			return errors.New("not an https URL such as https://api.example.com")
		}
		return errors.New("not an http or https URL")
	}
	return nil
}

// key returns the key to print, made or read, and what to say of it.
// It checks the key and the issuer as the service will, with
// localjwt.New, before writing anything.
func (c *config) key(now time.Time) (*localjwt.Key, string, error) {
	var k *localjwt.Key
	if c.keyFile != "" {
		pemBytes, err := os.ReadFile(c.keyFile)
		if err != nil {
			return nil, "", err
		}
		if k, err = localjwt.ParseKey(pemBytes); err != nil {
			return nil, "", fmt.Errorf("%s: %w", c.keyFile, err)
		}
	} else {
		var err error
		if k, err = localjwt.GenerateKey(); err != nil {
			return nil, "", err
		}
	}
	if _, err := localjwt.New(&localjwt.Options{Issuer: c.issuer, Audience: c.audience,
		Keys: []localjwt.ScheduledKey{{Key: k, SignFrom: now}}}); err != nil {
		return nil, "", err
	}
	secret := ". It is the secret: whoever holds it can act as any user.\n"
	switch {
	case c.keyFile != "":
		return k, "# Signing key " + k.KeyID() + ", read from " + c.keyFile + ".\n", nil
	case c.out == "":
		return k, "# Signing key " + k.KeyID() + secret + string(k.MarshalPEM()), nil
	}
	f, err := os.OpenFile(c.out, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, "", err
	}
	if _, err := f.Write(k.MarshalPEM()); err != nil {
		f.Close()
		return nil, "", err
	}
	if err := f.Close(); err != nil {
		return nil, "", err
	}
	return k, "# Signing key " + k.KeyID() + ", written to " + c.out + secret, nil
}

// jwkURLSecret and staticSecret are Hasura JWT secrets, their fields in
// the order Hasura's documentation writes them.
type jwkURLSecret struct {
	JWKURL   string `json:"jwk_url"`
	Issuer   string `json:"issuer,omitempty"`
	Audience string `json:"audience,omitempty"`
}

type staticSecret struct {
	Type     string `json:"type"`
	Key      string `json:"key"`
	Issuer   string `json:"issuer,omitempty"`
	Audience string `json:"audience,omitempty"`
}

func (c *config) print(w io.Writer, now time.Time) error {
	k, about, err := c.key(now)
	if err != nil {
		return err
	}
	cloud, err := jsonText([]jwkURLSecret{
		{JWKURL: c.clerkJWKSURL, Issuer: c.clerk},
		{JWKURL: c.jwksURL, Issuer: c.issuer, Audience: c.audience},
	})
	if err != nil {
		return err
	}
	oss, err := jsonText(jwkURLSecret{JWKURL: c.jwksURL})
	if err != nil {
		return err
	}
	static, err := jsonText(staticSecret{Type: "Ed25519", Key: string(k.PublicPEM()), Issuer: c.issuer, Audience: c.audience})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(w, `%s
# In the service: localjwt.ScheduledKey{Key: <this key>, SignFrom: …}, SignFrom
# at least MaxAge plus a minute after every replica has the key, such as %s.

# Hasura Cloud and Enterprise Edition: Clerk's keys and the service's, told
# apart by issuer.
HASURA_GRAPHQL_JWT_SECRETS=%s

# Open-source Hasura, one jwk_url: the service's JWKSHandler must serve
# Clerk's keys too (localjwt.JWKSOptions.ClerkJWKS), and be up before Hasura
# starts. No issuer, so that Clerk's tokens pass too.
HASURA_GRAPHQL_JWT_SECRET=%s

# Or open-source Hasura with the public key itself: no fetch at start-up, but
# rotating takes a restart of Hasura, and Clerk's own tokens
# (getToken({template:'hasura'})) are no longer accepted.
HASURA_GRAPHQL_JWT_SECRET=%s
`, about, now.Add(24*time.Hour).UTC().Format(time.RFC3339), shellQuote(cloud), shellQuote(oss), shellQuote(static))
	return err
}

// jsonText is v as compact JSON, without the HTML escaping of
// json.Marshal, which a reader would take for damage.
func jsonText(v any) (string, error) {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(v); err != nil {
		return "", err
	}
	return strings.TrimSuffix(b.String(), "\n"), nil
}

// shellQuote quotes s for a POSIX shell or an env file.
func shellQuote(s string) string { return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'" }
