package clerkhasura

import "fmt"

// String describes the client by its endpoint, without user info or
// query. It never shows a token.
func (c *SubscriptionClient) String() string {
	return "clerkhasura.SubscriptionClient{endpoint: " + printableEndpoint(c.endpoint) + "}"
}

// Format implements [fmt.Formatter] so that every verb prints
// [SubscriptionClient.String]: the client holds the token of its
// connection, which fmt's printing of the struct would show.
func (c *SubscriptionClient) Format(f fmt.State, verb rune) { formatString(f, verb, c.String()) }
