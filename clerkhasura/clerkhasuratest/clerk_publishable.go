package clerkhasuratest

import (
	"encoding/base64"
	"strings"
)

// PublishableKey is the publishable key of an instance whose Frontend API
// is the fake's issuer ([ClerkOptions.Issuer]): "pk_test_" and the base64
// of the issuer's host followed by "$", as Clerk makes them. A middleware
// given it as MiddlewareOptions.Issuer accepts the fake's session tokens.
func (c *Clerk) PublishableKey() string {
	host := strings.TrimPrefix(c.issuer, "https://")
	return "pk_test_" + base64.StdEncoding.EncodeToString([]byte(host+"$"))
}
