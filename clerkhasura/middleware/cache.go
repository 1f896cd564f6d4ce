package middleware

import (
	"crypto/sha256"
	"sync"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/forward"
)

const (
	// maxSessionLifetime bounds a session token's lifetime, exp − iat:
	// Clerk's live 60 s. A longer one, such as another JWT template that
	// carries a sid, is refused, so that endedFor covers the life of
	// every session token accepted.
	maxSessionLifetime = 5 * time.Minute

	// endedFor is how long [Middleware.EndSession] refuses a session:
	// longer than a session token issued before it lives, with room for
	// clock skew, as [localjwt.Signer.EndSession] does.
	endedFor = 10 * time.Minute

	// maxEnded bounds the sessions remembered as ended; past it those
	// past endedFor are forgotten, then the oldest.
	maxEnded = 10_000
)

// verified is a token that passed every check once: what a request with
// it needs, and what is checked again on every request.
type verified struct {
	claims *clerk.SessionClaims
	kind   tokenKind
	exp    time.Time
	nbf    time.Time       // zero when the token has none
	fwd    *forward.Source // a template token's source
}

// verifiedTokens remembers verified tokens by the SHA-256 of the whole
// token, successes only, at most size of them, as Envoy's JWT
// verification cache does; and the sessions ended by the webhook. A
// token's exp and nbf are checked on every hit by the caller.
type verifiedTokens struct {
	size int

	mu     sync.RWMutex
	tokens map[[sha256.Size]byte]*verified
	ended  map[string]time.Time // session ID → when it ended
}

func newVerifiedTokens(size int) *verifiedTokens {
	return &verifiedTokens{
		size:   size,
		tokens: make(map[[sha256.Size]byte]*verified),
		ended:  make(map[string]time.Time),
	}
}

func (c *verifiedTokens) get(key [sha256.Size]byte) *verified {
	if c.size == 0 {
		return nil
	}
	c.mu.RLock()
	v := c.tokens[key]
	c.mu.RUnlock()
	return v
}

// forget drops the token key, which a hit found expired.
func (c *verifiedTokens) forget(key [sha256.Size]byte) {
	c.mu.Lock()
	delete(c.tokens, key)
	c.mu.Unlock()
}

// add remembers v as key's, unless its session was ended; it reports
// whether the session was ended, checked under the lock that
// [verifiedTokens.endSession] takes, so that a verification under way
// when the session ends is not remembered after it.
func (c *verifiedTokens) add(key [sha256.Size]byte, v *verified, now time.Time) (ended bool) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if sid := v.claims.SessionID; sid != "" {
		if at, ok := c.ended[sid]; ok && now.Sub(at) < endedFor {
			return true
		}
	}
	if c.size == 0 {
		return false
	}
	if len(c.tokens) >= c.size {
		c.makeRoom(now)
	}
	c.tokens[key] = v
	return false
}

// makeRoom drops the expired tokens and, if that frees less than an
// eighth of the room, others at random (Go's map order) down to seven
// eighths: each call costs one pass, at most once per size/8 additions.
// c.mu must be held.
func (c *verifiedTokens) makeRoom(now time.Time) {
	for k, v := range c.tokens {
		if now.After(v.exp) {
			delete(c.tokens, k)
		}
	}
	target := c.size - max(c.size/8, 1)
	for k := range c.tokens {
		if len(c.tokens) <= target {
			break
		}
		delete(c.tokens, k)
	}
}

// endSession forgets the tokens of sessionID and remembers it as ended.
func (c *verifiedTokens) endSession(sessionID string, now time.Time) {
	c.mu.Lock()
	defer c.mu.Unlock()
	for k, v := range c.tokens {
		if v.claims.SessionID == sessionID {
			delete(c.tokens, k)
		}
	}
	if len(c.ended) >= maxEnded {
		for sid, at := range c.ended {
			if now.Sub(at) >= endedFor {
				delete(c.ended, sid)
			}
		}
		if len(c.ended) >= maxEnded {
			// A storm of ends within endedFor: the oldest mark matters
			// least, its session's tokens being the nearest to expiring.
			oldest, first := "", true
			for sid, at := range c.ended {
				if first || at.Before(c.ended[oldest]) {
					oldest, first = sid, false
				}
			}
			delete(c.ended, oldest)
		}
	}
	c.ended[sessionID] = now
}
