// Package endpoint reads the Hasura endpoints the SDK's constructors are
// given: the origin (scheme, host and port) that alone may receive a
// token, and the form of an endpoint that may be printed.
//
// Its errors say what is wrong with an endpoint and never quote it: its
// user info may hold a credential. Callers report them as the token
// layer's InputError for the field "endpoint".
package endpoint

import (
	"errors"
	"net/url"
	"strings"
)

// The reasons an endpoint is refused.
var (
	errEmpty      = errors.New("is empty")
	errUnparsable = errors.New("does not parse as a URL")
	errScheme     = errors.New("scheme is not http or https")
	errNoHost     = errors.New("has no host")
	errSchemeOfWS = errors.New("scheme is not http, https, ws or wss")
)

// Origin is the scheme, host and port that may receive the token.
type Origin struct {
	scheme string // "http" or "https"
	host   string // lower case, without IPv6 brackets
	port   string // never empty: the scheme's default when the URL has none
}

// Parse returns the origin of an endpoint, or why it is not an absolute
// http or https URL with a host.
func Parse(endpoint string) (Origin, error) {
	if endpoint == "" {
		return Origin{}, errEmpty
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return Origin{}, errUnparsable
	}
	return originOf(u)
}

// originOf returns u's origin, or why u is not an absolute http or https
// URL with a host.
func originOf(u *url.URL) (Origin, error) {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case scheme == "http" && port == "":
		port = "80"
	case scheme == "https" && port == "":
		port = "443"
	case scheme != "http" && scheme != "https":
		return Origin{}, errScheme
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return Origin{}, errNoHost
	}
	return Origin{scheme: scheme, host: host, port: port}, nil
}

// Matches reports whether a request to u goes to o.
func (o Origin) Matches(u *url.URL) bool {
	if u == nil {
		return false
	}
	other, err := originOf(u)
	return err == nil && other == o
}

// CheckWebsocket returns why endpoint cannot be dialled as a websocket:
// it must be an http, https, ws or wss URL with a host.
func CheckWebsocket(endpoint string) error {
	if endpoint == "" {
		return errEmpty
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return errUnparsable
	}
	switch u.Scheme {
	case "http", "https", "ws", "wss":
	default:
		return errSchemeOfWS
	}
	if u.Hostname() == "" {
		return errNoHost
	}
	return nil
}

// Printable is endpoint without what may hold a credential: user info,
// query and fragment.
func Printable(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "[unparsable endpoint]"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
