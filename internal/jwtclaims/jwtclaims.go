// Package jwtclaims reads the claims of a compact JWT without verifying it.
//
// It exists so that a token source can learn a freshly minted token's exp
// and iat (to anchor its expiry on the local clock), the Hasura and
// subscription clients the caller's user ID ([SessionVariable]), and tests
// can inspect custom claims. Nothing read here is trustworthy: whoever relies on the
// claims for authorization must verify the signature, as Hasura does.
//
// Errors never contain the token or any part of it.
package jwtclaims

import (
	"errors"
	"strings"
	"time"

	"github.com/go-jose/go-jose/v3/jwt"
)

// MaxLen is the longest token [Peek] accepts. Clerk's tokens are a few
// kilobytes at most; the bound keeps hostile input from costing much.
const MaxLen = 64 << 10

// ErrMalformed is matched by every error [Peek] returns.
var ErrMalformed = errors.New("jwtclaims: malformed JWT")

// Error says why a token could not be read. Reason is a fixed phrase chosen
// by this package, so it is safe to log.
type Error struct {
	Reason string
}

// Error returns "jwtclaims: malformed JWT: " followed by the reason.
func (e *Error) Error() string { return "jwtclaims: malformed JWT: " + e.Reason }

// Unwrap returns [ErrMalformed].
func (e *Error) Unwrap() error { return ErrMalformed }

// Claims holds the registered claims of a token. A claim that is absent
// has its zero value; HasExpiry and HasIssuedAt tell absent from zero.
type Claims struct {
	Issuer      string
	Subject     string
	Audience    []string
	ID          string
	Expiry      time.Time
	IssuedAt    time.Time
	NotBefore   time.Time
	HasExpiry   bool
	HasIssuedAt bool
	// KeyID is the kid header: which signing key the issuer used.
	KeyID string
	// Algorithm is the alg header, such as "RS256".
	Algorithm string
}

// Peek decodes the header and payload of the compact JWT token without
// checking its signature. Each extra argument, if any, is a pointer that
// also receives the payload (a map[string]any or a struct with json tags),
// for claims beyond the registered ones.
//
// Peek accepts only the compact serialization: three base64url parts
// separated by dots, of which the last (the signature) may be empty.
func Peek(token string, extra ...any) (Claims, error) {
	if err := checkShape(token); err != nil {
		return Claims{}, err
	}
	parsed, err := jwt.ParseSigned(token)
	if err != nil {
		return Claims{}, &Error{Reason: "not a compact JWS"}
	}
	var std jwt.Claims
	dst := append([]any{&std}, extra...)
	if err := parsed.UnsafeClaimsWithoutVerification(dst...); err != nil {
		return Claims{}, &Error{Reason: "payload is not a JSON object of valid claims"}
	}
	c := Claims{
		Issuer:   std.Issuer,
		Subject:  std.Subject,
		Audience: std.Audience,
		ID:       std.ID,
	}
	if len(parsed.Headers) > 0 {
		c.KeyID = parsed.Headers[0].KeyID
		c.Algorithm = parsed.Headers[0].Algorithm
	}
	var ok bool
	if c.Expiry, c.HasExpiry, ok = date(std.Expiry); !ok {
		return Claims{}, &Error{Reason: "exp is out of range"}
	}
	if c.IssuedAt, c.HasIssuedAt, ok = date(std.IssuedAt); !ok {
		return Claims{}, &Error{Reason: "iat is out of range"}
	}
	if c.NotBefore, _, ok = date(std.NotBefore); !ok {
		return Claims{}, &Error{Reason: "nbf is out of range"}
	}
	return c, nil
}

// maxDate bounds NumericDate values: year 9999, far beyond any token and far
// inside what time.Time and float64 hold exactly.
const maxDate = 253402300799

func date(n *jwt.NumericDate) (time.Time, bool, bool) {
	if n == nil {
		return time.Time{}, false, true
	}
	v := int64(*n)
	if v < 0 || v > maxDate {
		return time.Time{}, false, false
	}
	return time.Unix(v, 0), true, true
}

func checkShape(token string) error {
	switch {
	case token == "":
		return &Error{Reason: "empty"}
	case len(token) > MaxLen:
		return &Error{Reason: "longer than 64 KiB"}
	case strings.Count(token, ".") != 2:
		return &Error{Reason: "not three dot-separated parts"}
	}
	for i := 0; i < len(token); i++ {
		c := token[i]
		if !(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_' || c == '.') {
			return &Error{Reason: "contains characters outside base64url"}
		}
	}
	head, rest, _ := strings.Cut(token, ".")
	payload, _, _ := strings.Cut(rest, ".")
	if head == "" || payload == "" {
		return &Error{Reason: "empty header or payload"}
	}
	return nil
}
