package clerkhasura

import (
	"context"
	"fmt"
	"log/slog"
	"time"
)

// Token is a Hasura-ready JWT minted from a Clerk JWT template.
//
// Its String, Format and LogValue methods never reveal Value, so a Token can
// be printed with fmt and logged with log/slog. They are the only guard:
// whatever reads fields itself, such as [encoding/json] or a logger that
// encodes structs by reflection, shows Value. Log the Token, never its
// fields. A *Token from a cache is shared by its callers: treat it as
// read-only.
type Token struct {
	// Value is the compact JWT, sent as "Authorization: Bearer <Value>".
	Value string
	// Expiry is the instant, on the local clock, after which the token must
	// not be sent.
	Expiry time.Time
}

// TokenSource returns a valid token.
//
// Token must be safe for concurrent use by multiple goroutines. The context
// bounds the call and reaches every request the source makes; a source
// returns ctx.Err() promptly once ctx is done.
type TokenSource interface {
	Token(ctx context.Context) (*Token, error)
}

// String describes the token without revealing its value.
func (t Token) String() string {
	return fmt.Sprintf("clerkhasura.Token{Value: [redacted %d bytes], Expiry: %s}",
		len(t.Value), t.Expiry.Format(time.RFC3339))
}

// Format implements [fmt.Formatter] so that every verb (%v, %+v, %#v, %s, %q)
// prints the redacted form of [Token.String].
func (t Token) Format(f fmt.State, verb rune) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", t.String())
		return
	}
	fmt.Fprint(f, t.String())
}

// LogValue implements [slog.LogValuer]: a logged token shows its expiry and
// length, never its value.
func (t Token) LogValue() slog.Value {
	return slog.GroupValue(
		slog.Int("bytes", len(t.Value)),
		slog.Time("expiry", t.Expiry),
	)
}
