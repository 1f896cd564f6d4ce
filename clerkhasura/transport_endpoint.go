package clerkhasura

import (
	"errors"
	"net/url"
	"strings"
	"sync/atomic"
)

// ErrInvalidEndpoint is returned by [Transport.RoundTrip] when
// [Transport.Endpoint] is empty or is not an absolute http or https URL.
// The Transport then sends nothing at all rather than guess which host may
// receive the token.
var ErrInvalidEndpoint = errors.New("clerkhasura: invalid Hasura endpoint")

// endpointError explains an [ErrInvalidEndpoint]. It never quotes the
// endpoint, which may carry credentials in its user info.
type endpointError struct{ reason string }

func (e *endpointError) Error() string { return ErrInvalidEndpoint.Error() + ": " + e.reason }
func (e *endpointError) Unwrap() error { return ErrInvalidEndpoint }

// endpointOrigin is the scheme, host and port that may receive the token.
type endpointOrigin struct {
	scheme string // "http" or "https"
	host   string // lower case, without IPv6 brackets
	port   string // never empty: the scheme's default when the URL has none
}

// parsedEndpoint remembers the last endpoint parsed successfully. A process
// almost always talks to one Hasura, so one entry saves a URL parse per
// request; other endpoints are parsed each time.
var parsedEndpoint atomic.Pointer[parsedEndpointEntry]

type parsedEndpointEntry struct {
	raw    string
	origin endpointOrigin
}

func parseEndpoint(endpoint string) (endpointOrigin, error) {
	if last := parsedEndpoint.Load(); last != nil && last.raw == endpoint {
		return last.origin, nil
	}
	o, err := parseEndpointURL(endpoint)
	if err == nil {
		parsedEndpoint.Store(&parsedEndpointEntry{raw: endpoint, origin: o})
	}
	return o, err
}

func parseEndpointURL(endpoint string) (endpointOrigin, error) {
	if endpoint == "" {
		return endpointOrigin{}, &endpointError{"Transport.Endpoint is empty"}
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpointOrigin{}, &endpointError{"Transport.Endpoint does not parse as a URL"}
	}
	o, ok := originOf(u)
	if !ok {
		return endpointOrigin{}, &endpointError{"Transport.Endpoint is not an absolute http or https URL"}
	}
	return o, nil
}

// originOf reports u's origin, and false when u is not an absolute http or
// https URL with a host.
func originOf(u *url.URL) (endpointOrigin, bool) {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case scheme == "http" && port == "":
		port = "80"
	case scheme == "https" && port == "":
		port = "443"
	case scheme != "http" && scheme != "https":
		return endpointOrigin{}, false
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return endpointOrigin{}, false
	}
	return endpointOrigin{scheme: scheme, host: host, port: port}, true
}

// matches reports whether a request to u goes to o.
func (o endpointOrigin) matches(u *url.URL) bool {
	if u == nil {
		return false
	}
	other, ok := originOf(u)
	return ok && other == o
}
