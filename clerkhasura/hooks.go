package clerkhasura

import (
	"context"
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/tokenhook"
)

// init lends the packages built on this one what they need of its
// internals (see package tokenhook).
func init() {
	tokenhook.Uncached = func(src any) bool {
		_, mints := src.(*sessionSource)
		return mints
	}
	tokenhook.ClerkError = func(err error, now time.Time) error {
		return fromClerk(context.Background(), "", "", err, now)
	}
}
