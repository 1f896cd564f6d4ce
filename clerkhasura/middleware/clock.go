package middleware

import (
	"time"

	"github.com/clerk/clerk-sdk-go/v2"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// maxIssuedAtSkew is how far beyond [Options.Leeway] a token's
// iat may be ahead of the clock when its nbf has passed. Clerk sets nbf at
// most 300 s before iat (a JWT template's "allowed clock skew" ranges from
// 0 to 300 s; session tokens use a few seconds), so no token Clerk mints
// needs more: a token further ahead was minted by a clock that is wrong,
// and accepting it would let it live that much longer than its lifetime.
const maxIssuedAtSkew = 300 * time.Second

// verifyClock is the clock against which jwt.Verify checks the times of
// the token whose claims are c.
//
// Clerk sets a token's nbf some seconds before its iat so that a verifier
// whose clock is a little behind Clerk's accepts a token at once. go-jose,
// under jwt.Verify, refuses a token whose iat is ahead of the clock
// whatever its nbf says, so on such a clock a fresh token would be refused
// until the clock passed iat. For a token whose nbf has passed and whose
// iat is at most [maxIssuedAtSkew] beyond the leeway, the check therefore
// runs at the latest instant iat allows: exp, being later than iat, holds
// there too, and is only judged more strictly. A token without nbf, or
// further ahead, gets no such allowance.
func (m *Middleware) verifyClock(c jwtclaims.Claims, now time.Time) clerk.Clock {
	latest := now.Add(m.leeway)
	if c.HasIssuedAt && c.IssuedAt.After(latest) && c.IssuedAt.Sub(latest) <= maxIssuedAtSkew &&
		!c.NotBefore.IsZero() && !c.NotBefore.After(latest) {
		return instant(c.IssuedAt.Add(-m.leeway))
	}
	return instant(now)
}

// instant is a clock stopped at one time, so that every check of one
// verification reads the same time.
type instant time.Time

func (i instant) Now() time.Time { return time.Time(i) }
