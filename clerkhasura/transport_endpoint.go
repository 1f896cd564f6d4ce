package clerkhasura

import (
	"errors"
	"net/url"
	"strings"
)

// ErrInvalidEndpoint is matched by every [*EndpointError]: the Hasura
// endpoint given to [NewClient], [NewMiddleware] or [Transport] is empty or
// not an absolute http or https URL. A Transport with such an endpoint
// sends nothing at all rather than guess which host may receive the token.
var ErrInvalidEndpoint = errors.New("clerkhasura: invalid Hasura endpoint")

// EndpointError reports a Hasura endpoint that cannot be used. It matches
// [ErrInvalidEndpoint] with [errors.Is], and never quotes the endpoint,
// which may carry credentials in its user info.
type EndpointError struct {
	// Reason says what is wrong, such as "scheme is not http or https".
	Reason string
}

// Error returns the reason, prefixed with the package name.
func (e *EndpointError) Error() string {
	return ErrInvalidEndpoint.Error() + ": " + e.Reason
}

// Unwrap returns [ErrInvalidEndpoint].
func (e *EndpointError) Unwrap() error { return ErrInvalidEndpoint }

// endpointOrigin is the scheme, host and port that may receive the token.
type endpointOrigin struct {
	scheme string // "http" or "https"
	host   string // lower case, without IPv6 brackets
	port   string // never empty: the scheme's default when the URL has none
}

// parsedEndpoint is an endpoint with its origin, as a [Transport]
// remembers it.
type parsedEndpoint struct {
	raw    string
	origin endpointOrigin
}

// parseEndpoint returns the origin of a Hasura endpoint, or an
// [*EndpointError] when it is not an absolute http or https URL with a
// host.
func parseEndpoint(endpoint string) (endpointOrigin, error) {
	if endpoint == "" {
		return endpointOrigin{}, &EndpointError{Reason: "endpoint is empty"}
	}
	u, err := url.Parse(endpoint)
	if err != nil {
		return endpointOrigin{}, &EndpointError{Reason: "endpoint does not parse as a URL"}
	}
	return originOf(u)
}

// checkEndpoint reports whether endpoint can be used, as [parseEndpoint].
func checkEndpoint(endpoint string) error {
	_, err := parseEndpoint(endpoint)
	return err
}

// originOf returns u's origin, or an [*EndpointError] when u is not an
// absolute http or https URL with a host.
func originOf(u *url.URL) (endpointOrigin, error) {
	scheme := strings.ToLower(u.Scheme)
	port := u.Port()
	switch {
	case scheme == "http" && port == "":
		port = "80"
	case scheme == "https" && port == "":
		port = "443"
	case scheme != "http" && scheme != "https":
		return endpointOrigin{}, &EndpointError{Reason: "scheme is not http or https"}
	}
	host := strings.ToLower(u.Hostname())
	if host == "" {
		return endpointOrigin{}, &EndpointError{Reason: "endpoint has no host"}
	}
	return endpointOrigin{scheme: scheme, host: host, port: port}, nil
}

// matches reports whether a request to u goes to o.
func (o endpointOrigin) matches(u *url.URL) bool {
	if u == nil {
		return false
	}
	other, err := originOf(u)
	return err == nil && other == o
}
