package clerkhasura

import (
	"encoding/base64"
	"net/url"
	"strings"
)

// parseIssuer reads [MiddlewareOptions.Issuer]: a Frontend API or proxy
// URL, or a publishable key, and returns the iss tokens must carry.
func parseIssuer(s string) (string, error) {
	s = strings.TrimSpace(s)
	if strings.HasPrefix(s, "pk_test_") || strings.HasPrefix(s, "pk_live_") {
		host, ok := publishableKeyHost(s[len("pk_test_"):])
		if !ok {
			return "", &InputError{Field: "MiddlewareOptions.Issuer", Reason: "is not a valid publishable key"}
		}
		return "https://" + host, nil
	}
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" ||
		u.User != nil || u.RawQuery != "" || u.Fragment != "" {
		return "", &InputError{
			Field:  "MiddlewareOptions.Issuer",
			Reason: "is neither a Frontend API URL such as https://clerk.yourdomain.com nor a publishable key",
		}
	}
	// Clerk's iss has no trailing slash; the Dashboard's URL may be
	// copied with one.
	return strings.TrimSuffix(s, "/"), nil
}

// publishableKeyHost decodes the part of a publishable key after its
// "pk_live_" or "pk_test_" prefix: the base64 of the Frontend API host
// followed by "$", as Clerk's frontend SDKs read it.
func publishableKeyHost(enc string) (string, bool) {
	raw, err := base64.StdEncoding.DecodeString(enc)
	if err != nil {
		raw, err = base64.RawStdEncoding.DecodeString(enc)
	}
	if err != nil {
		return "", false
	}
	host, ok := strings.CutSuffix(string(raw), "$")
	if !ok || host == "" {
		return "", false
	}
	// Only what a host name (and port) is made of, so that the key cannot
	// smuggle a path or user info into the issuer.
	for _, c := range host {
		if !(c == '.' || c == '-' || c == ':' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9') {
			return "", false
		}
	}
	return host, true
}
