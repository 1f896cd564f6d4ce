package clerkhasuratest

import (
	"encoding/base64"
	"strings"
)

// PublishableKey is the publishable key ("pk_test_…") of an instance
// whose Frontend API is the fake's issuer, as middleware.Options.Issuer
// takes it.
func (c *Clerk) PublishableKey() string {
	host := strings.TrimPrefix(c.issuer, "https://")
	return "pk_test_" + base64.StdEncoding.EncodeToString([]byte(host+"$"))
}
