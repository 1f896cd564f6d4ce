package clerkhasuratest

import "fmt"

// String describes the fake by its URL, never its secret key.
func (c *Clerk) String() string { return "clerkhasuratest.Clerk{URL: " + c.URL() + "}" }

// Format prints [Clerk.String] for every verb, so that no verb shows the
// secret key.
func (c *Clerk) Format(f fmt.State, verb rune) { formatString(f, verb, c.String()) }

// String describes the fake by its endpoint, never its admin secret.
func (h *Hasura) String() string { return "clerkhasuratest.Hasura{Endpoint: " + h.Endpoint() + "}" }

// Format prints [Hasura.String] for every verb, so that no verb shows the
// admin secret.
func (h *Hasura) Format(f fmt.State, verb rune) { formatString(f, verb, h.String()) }

// formatString writes s for any verb, quoted for %q.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	fmt.Fprint(f, s)
}
