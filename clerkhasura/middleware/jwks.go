package middleware

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync"
	"sync/atomic"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/clerkerr"
)

const (
	// defaultJWKSRefreshInterval is the least time between two fetches of
	// Clerk's JWKS by a [Middleware].
	defaultJWKSRefreshInterval = time.Minute

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
	now      func() time.Time
	interval time.Duration
	log      *slog.Logger // nil: no log

	keys     atomic.Pointer[map[string]*clerk.JSONWebKey]
	fetches  atomic.Uint64
	failures atomic.Uint64

	mu       sync.Mutex
	inflight chan struct{} // closed when the fetch under way ends
	tried    bool          // a fetch has ended
	next     time.Time     // no fetch before this
	lastErr  error         // the last fetch's error, nil after a success
}

func newJWKSet(client *jwks.Client, now func() time.Time, interval time.Duration, log *slog.Logger) *jwkSet {
	if interval <= 0 {
		interval = defaultJWKSRefreshInterval
	}
	return &jwkSet{client: client, now: now, interval: interval, log: log}
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
		if now := s.now(); s.tried && now.Before(s.next) {
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

// fetch gets the JWKS and replaces the keys with it. It runs in the caller's
// goroutine but on a context detached from the caller's, so that a client
// hanging up does not fail the fetch for everyone waiting on it.
//
// A failed fetch keeps the keys there were, and the next is tried after the
// retry interval or the wait Clerk's Retry-After asked for, whichever is
// longer. Its error is a [*clerkhasura.ClerkError] (see jwksError).
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
		// A fetch that timed out failed as a context does, as a mint's.
		if ctxErr := ctx.Err(); ctxErr != nil {
			err = ctxErr
		} else {
			err = jwksError(err, s.now())
		}
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	defer close(done)
	s.inflight = nil
	s.tried = true
	now := s.now()
	if err != nil {
		s.failures.Add(1)
		s.lastErr = err
		wait := min(s.interval, jwksRetryInterval)
		if ce, ok := errors.AsType[*clerkhasura.ClerkError](err); ok {
			wait = max(wait, ce.RetryAfter)
		}
		s.next = now.Add(wait)
		if s.log != nil {
			s.log.Warn("clerkhasura: cannot fetch Clerk's signing keys", "err", err, "retry_in", wait)
		}
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

// jwksError turns err, an error clerk-sdk-go returned for a JWKS fetch at
// now, into a [*clerkhasura.ClerkError] with Clerk's status, codes, trace
// ID and Retry-After, and never a response body: the request carried the
// secret key, and a reply that is not Clerk's, such as a proxy's page
// echoing the request, may quote it.
func jwksError(err error, now time.Time) error {
	r := clerkerr.Read(err, now)
	return &clerkhasura.ClerkError{
		StatusCode: r.StatusCode,
		Codes:      r.Codes,
		Message:    r.Message,
		TraceID:    r.TraceID,
		RetryAfter: r.RetryAfter,
		Kind:       jwksErrorKind(r.StatusCode),
		Err:        r.Err,
	}
}

// jwksErrorKind is the kind of a failed JWKS fetch that Clerk answered with
// status, 0 when no answer of Clerk's came. No status names a session, so
// none is [clerkhasura.ErrSessionGone].
func jwksErrorKind(status int) error {
	switch {
	case status == http.StatusUnauthorized:
		return clerkhasura.ErrInvalidSecretKey
	case status == http.StatusTooManyRequests:
		return clerkhasura.ErrRateLimited
	case status == 0 || status == http.StatusRequestTimeout || status >= 500:
		return clerkhasura.ErrClerkUnavailable
	}
	return clerkhasura.ErrClerkRejected
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
	return &AuthError{Reason: reasonKeysDown, Kind: clerkhasura.ErrClerkUnavailable, Err: s.lastErr, RetryAfter: s.next.Sub(now)}
}
