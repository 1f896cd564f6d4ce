package clerkhasura

import (
	"net/url"
)

// printableEndpoint is endpoint without what may hold a credential: user
// info, query and fragment.
func printableEndpoint(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "[unparsable endpoint]"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
