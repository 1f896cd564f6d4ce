package subscription

import (
	"fmt"

	"github.com/clerkhasura/clerkhasura-go/internal/endpoint"
	"github.com/clerkhasura/clerkhasura-go/internal/redact"
)

// String describes the client by its endpoint, without user info or
// query. It never shows a token.
func (c *Client) String() string {
	return "subscription.Client{endpoint: " + endpoint.Printable(c.endpoint) + "}"
}

// Format implements [fmt.Formatter] so that every verb prints
// [Client.String]: the client holds the token of its
// connection, which fmt's printing of the struct would show.
func (c *Client) Format(f fmt.State, verb rune) { redact.Format(f, verb, c.String()) }
