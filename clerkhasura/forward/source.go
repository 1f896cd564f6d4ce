package forward

import (
	"context"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// ErrExpired is what a [Source] gives once its token has expired: the
// browser has to send a new one. Its Temporary method reports false, as
// a [*clerkhasura.ClerkError] of an ended session does, so that a
// subscription on the source ends with it instead of retrying.
var ErrExpired error = &expiredError{}

type expiredError struct{}

func (*expiredError) Error() string   { return "clerkhasura: forwarded token expired" }
func (*expiredError) Temporary() bool { return false }

// claimRounding is how much later than its whole-second iat a token may
// have been minted, as the token layer reads it.
const claimRounding = time.Second

// Source is a [clerkhasura.TokenSource] that returns one forwarded token
// until its Expiry, and then fails with [ErrExpired]. It is not a
// [clerkhasura.Invalidator]: a token Hasura refuses is not replaced, so
// [clerkhasura.Transport] returns the refusal without sending the request
// again. It is immutable and safe for concurrent use.
type Source struct {
	tok   *clerkhasura.Token
	clock clerkhasura.Clock
}

// NewSource returns a [Source] over token, a compact JWT the caller has
// verified, such as a Clerk template token the Middleware of package
// middleware accepted; NewSource reads its claims and checks no
// signature. A nil clock means the system clock.
//
// Its Expiry is the token layer's for a minted token, the clock's time now
// plus exp − iat, less 1 s for the rounding of iat, but never later than
// exp read on the clock: the token may have been minted long before it
// arrived, and the first bound only corrects a clock that is behind
// Clerk's. A token without iat expires at exp.
//
// A token that is not a compact JWT or has no exp gives an
// [*clerkhasura.InputError] naming the rule, never the token; one whose
// Expiry has passed gives [ErrExpired].
//
// [middleware.Middleware]: https://pkg.go.dev/github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware#Middleware
func NewSource(token string, clock clerkhasura.Clock) (*Source, error) {
	c, err := jwtclaims.Peek(token)
	if err != nil {
		return nil, &clerkhasura.InputError{Field: "forwarded token", Reason: "is not a compact JWT"}
	}
	if !c.HasExpiry {
		return nil, &clerkhasura.InputError{Field: "forwarded token", Reason: "has no exp claim"}
	}
	now := time.Now()
	if clock != nil {
		now = clock.Now()
	}
	// now.Add keeps now's monotonic reading, so that the expiry is judged
	// on the monotonic clock when it is the system's.
	expiry := now.Add(c.Expiry.Sub(now))
	if c.HasIssuedAt {
		if anchored := now.Add(c.Expiry.Sub(c.IssuedAt) - claimRounding); anchored.Before(expiry) {
			expiry = anchored
		}
	}
	if !now.Before(expiry) {
		return nil, ErrExpired
	}
	return &Source{tok: &clerkhasura.Token{Value: token, Expiry: expiry}, clock: clock}, nil
}

// Token returns the forwarded token while it is valid, the same *Token on
// every call (treat it as read-only), and [ErrExpired] from its Expiry on.
func (s *Source) Token(ctx context.Context) (*clerkhasura.Token, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	now := time.Now()
	if s.clock != nil {
		now = s.clock.Now()
	}
	if !now.Before(s.tok.Expiry) {
		return nil, ErrExpired
	}
	return s.tok, nil
}
