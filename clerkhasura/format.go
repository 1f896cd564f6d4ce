package clerkhasura

import (
	"fmt"
	"net/url"
)

// formatString writes s for any verb, quoted for %q: the Format of a type
// whose fields hold a credential. fmt's own struct printing reaches
// unexported fields, and under a verb a pointer does not support, such as
// %s, prints the struct a pointer field points to, a token included; a
// Format method is the one way to keep every verb away from them.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	fmt.Fprint(f, s)
}

// printableEndpoint is endpoint without what may hold a credential: user
// info, query and fragment.
func printableEndpoint(endpoint string) string {
	u, err := url.Parse(endpoint)
	if err != nil {
		return "[unparsable endpoint]"
	}
	return (&url.URL{Scheme: u.Scheme, Host: u.Host, Path: u.Path}).String()
}
