package clerkhasuratest

import "fmt"

// String describes the fake by its URL. It never shows the secret key.
func (c *Clerk) String() string { return "clerkhasuratest.Clerk{URL: " + c.URL() + "}" }

// Format implements [fmt.Formatter] so that every verb prints
// [Clerk.String], never the secret key the fake holds.
func (c *Clerk) Format(f fmt.State, verb rune) { formatString(f, verb, c.String()) }

// String describes the fake by its endpoint. It never shows the admin
// secret.
func (h *Hasura) String() string { return "clerkhasuratest.Hasura{Endpoint: " + h.Endpoint() + "}" }

// Format implements [fmt.Formatter] so that every verb prints
// [Hasura.String], never the admin secret the fake holds.
func (h *Hasura) Format(f fmt.State, verb rune) { formatString(f, verb, h.String()) }

// formatString writes s for any verb, quoted for %q.
func formatString(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	fmt.Fprint(f, s)
}
