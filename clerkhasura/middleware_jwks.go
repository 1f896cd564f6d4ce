package clerkhasura

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
)

const (
	// DefaultJWKSRefreshInterval is the least time between two fetches of
	// Clerk's JWKS by a [Middleware].
	DefaultJWKSRefreshInterval = time.Minute

	// jwksRetryInterval is the least time between a failed JWKS fetch and
	// the next one, unless the refresh interval is shorter.
	jwksRetryInterval = 5 * time.Second

	// jwksFetchTimeout bounds one JWKS fetch.
	jwksFetchTimeout = 10 * time.Second
)

// jwkSet is a Clerk instance's signing keys by kid. It fetches the JWKS
// once, when the first token arrives, and again only for a kid it does not
// know, at most once per interval: a real instance signs with one key for
// years, so an unknown kid is far more often a forged or foreign token than
// a rotation, and must not let anyone make us call Clerk at will.
type jwkSet struct {
	client   *jwks.Client // nil: clerk-sdk-go's package-level backend
	clock    Clock
	interval time.Duration

	keys     atomic.Pointer[map[string]*clerk.JSONWebKey]
	fetches  atomic.Uint64
	failures atomic.Uint64

	mu       sync.Mutex
	inflight chan struct{} // closed when the fetch under way ends
	tried    bool          // a fetch has ended
	next     time.Time     // no fetch before this
	lastErr  error         // the last fetch's error, nil after a success
}

func newJWKSet(client *jwks.Client, clock Clock, interval time.Duration) *jwkSet {
	if clock == nil {
		clock = systemClock{}
	}
	if interval <= 0 {
		interval = DefaultJWKSRefreshInterval
	}
	return &jwkSet{client: client, clock: clock, interval: interval}
}

func (s *jwkSet) lookup(kid string) *clerk.JSONWebKey {
	if m := s.keys.Load(); m != nil {
		return (*m)[kid]
	}
	return nil
}

// key returns the key kid, fetching the JWKS when kid is unknown and the
// rate limit allows. Concurrent callers share one fetch.
func (s *jwkSet) key(ctx context.Context, kid string) (*clerk.JSONWebKey, *AuthError) {
	if k := s.lookup(kid); k != nil {
		return k, nil
	}
	for {
		s.mu.Lock()
		if k := s.lookup(kid); k != nil {
			s.mu.Unlock()
			return k, nil
		}
		if wait := s.inflight; wait != nil {
			s.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, &AuthError{Reason: reasonRequestEnded, Kind: ErrUnauthenticated, Err: ctx.Err()}
			}
		}
		if now := s.clock.Now(); s.tried && now.Before(s.next) {
			var aerr *AuthError
			if s.lastErr != nil {
				aerr = s.unavailable(now)
			} else {
				aerr = unauthenticated(reasonUnknownKey, nil)
			}
			s.mu.Unlock()
			return nil, aerr
		}
		done := make(chan struct{})
		s.inflight = done
		s.mu.Unlock()
		return s.fetch(ctx, kid, done)
	}
}

// fetch gets the JWKS and replaces the keys with it. It runs in the
// caller's goroutine but on a context detached from the caller's, so that
// a client hanging up does not fail the fetch for everyone waiting on it.
//
// A failed fetch keeps the keys there were. Its error is scrubbed as a
// mint's is (a [*ClerkError] with Clerk's status, codes and trace ID),
// since the request carried the secret key and a reply that is not
// Clerk's, such as a proxy's page echoing the request, may quote it.
func (s *jwkSet) fetch(ctx context.Context, kid string, done chan struct{}) (*clerk.JSONWebKey, *AuthError) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), jwksFetchTimeout)
	defer cancel()
	client := s.client
	if client == nil {
		client = &jwks.Client{Backend: clerk.GetBackend()}
	}
	set, err := client.Get(ctx, &jwks.GetParams{})
	var keys map[string]*clerk.JSONWebKey
	if err == nil {
		keys = signingKeys(set)
		if len(keys) == 0 {
			// Replacing the keys with none would refuse every session
			// until the next fetch; an unknown kid, which anyone can send,
			// would be enough to bring that about.
			err = errNoSigningKeys
		}
	} else {
		err = fromClerk(ctx, "", "", err, s.clock.Now())
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	defer close(done)
	s.inflight = nil
	s.tried = true
	now := s.clock.Now()
	if err != nil {
		s.failures.Add(1)
		s.lastErr = err
		s.next = now.Add(min(s.interval, jwksRetryInterval))
		return nil, s.unavailable(now)
	}
	s.fetches.Add(1)
	s.lastErr = nil
	s.next = now.Add(s.interval)
	s.keys.Store(&keys)
	if k := keys[kid]; k != nil {
		return k, nil
	}
	return nil, unauthenticated(reasonUnknownKey, nil)
}

// errNoSigningKeys is the failure of a JWKS fetch whose reply holds no
// key with a kid.
var errNoSigningKeys = errors.New("clerkhasura: Clerk's JWKS holds no signing key")

// signingKeys are the keys of set that have a kid, by kid.
func signingKeys(set *clerk.JSONWebKeySet) map[string]*clerk.JSONWebKey {
	keys := make(map[string]*clerk.JSONWebKey, len(set.Keys))
	for _, k := range set.Keys {
		if k != nil && k.KeyID != "" {
			keys[k.KeyID] = k
		}
	}
	return keys
}

// unavailable is the refusal of a request while the last fetch has failed:
// it names when the next fetch may run. s.mu must be held.
func (s *jwkSet) unavailable(now time.Time) *AuthError {
	return &AuthError{Reason: reasonKeysDown, Kind: ErrClerkUnavailable, Err: s.lastErr, RetryAfter: s.next.Sub(now)}
}
