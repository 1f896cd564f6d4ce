package localjwt

import (
	"context"
	"crypto/ecdsa"
	"crypto/ed25519"
	"crypto/elliptic"
	"crypto/rsa"
	"errors"
	"fmt"
	"slices"
	"sync"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	jose "github.com/go-jose/go-jose/v3"
)

const (
	// clerkFetchTimeout bounds one fetch of Clerk's JWKS.
	clerkFetchTimeout = 10 * time.Second
	// clerkRetry is the least time between a failed fetch and the next.
	clerkRetry = 5 * time.Second
	// maxClerkKeys bounds the Clerk keys served; an instance has one or
	// two.
	maxClerkKeys = 16
	// maxKeyIDLen bounds a served kid.
	maxKeyIDLen = 256
)

// clerkKeys is the Clerk instance's JWKS, as JWKs Hasura can parse,
// fetched when a request finds it missing or MaxAge old. Requests never
// make it fetch more than once per clerkRetry.
type clerkKeys struct {
	client *jwks.Client
	clock  Clock
	every  time.Duration

	mu       sync.Mutex
	keys     [][]byte      // nil until a fetch has succeeded
	fetched  time.Time     // the last success
	next     time.Time     // after a failure, no fetch before this
	lastErr  error         // the last failure
	inflight chan struct{} // closed when the fetch under way ends
}

// get returns the keys, fetching them when they are missing or old. Old
// keys are served while a fetch runs or after it fails; only a handler
// that never had keys waits, or fails.
func (c *clerkKeys) get(ctx context.Context) ([][]byte, error) {
	for {
		c.mu.Lock()
		now := c.clock.Now()
		stale := c.keys == nil || !now.Before(c.fetched.Add(c.every))
		if !stale || (c.keys != nil && (c.inflight != nil || now.Before(c.next))) {
			keys := c.keys
			c.mu.Unlock()
			return keys, nil
		}
		if wait := c.inflight; wait != nil {
			c.mu.Unlock()
			select {
			case <-wait:
				continue
			case <-ctx.Done():
				return nil, ctx.Err()
			}
		}
		if now.Before(c.next) {
			err := c.lastErr
			c.mu.Unlock()
			return nil, err
		}
		done := make(chan struct{})
		c.inflight = done
		c.mu.Unlock()

		keys, err := c.fetch(ctx)

		c.mu.Lock()
		c.inflight = nil
		close(done)
		now = c.clock.Now()
		if err != nil {
			c.lastErr, c.next = err, now.Add(min(clerkRetry, c.every))
			keys = c.keys
		} else {
			c.keys, c.fetched, c.lastErr = keys, now, nil
		}
		c.mu.Unlock()
		if keys == nil {
			return nil, err
		}
		return keys, nil
	}
}

// fetch gets the set on a context of its own, so that a client hanging
// up does not fail it for the requests waiting on it. Its error says
// what happened without quoting a reply, which may echo the secret key.
func (c *clerkKeys) fetch(ctx context.Context) ([][]byte, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), clerkFetchTimeout)
	defer cancel()
	set, err := c.client.Get(ctx, &jwks.GetParams{})
	if err != nil {
		var apiErr *clerk.APIErrorResponse
		switch {
		case errors.As(err, &apiErr) && apiErr.HTTPStatusCode != 0:
			return nil, fmt.Errorf("clerkhasura: Clerk's JWKS could not be fetched: HTTP %d (trace %s)", apiErr.HTTPStatusCode, apiErr.TraceID)
		case ctx.Err() != nil:
			return nil, fmt.Errorf("clerkhasura: Clerk's JWKS could not be fetched: no answer within %s", clerkFetchTimeout)
		}
		return nil, errors.New("clerkhasura: Clerk's JWKS could not be fetched or parsed")
	}
	var keys [][]byte
	for _, k := range set.Keys {
		if b, ok := republishable(k); ok && len(keys) < maxClerkKeys {
			keys = append(keys, b)
		}
	}
	if len(keys) == 0 {
		return nil, errors.New("clerkhasura: Clerk's JWKS holds no key Hasura can use")
	}
	return keys, nil
}

// rsaAlgs are the JWS algorithms an RSA key may be published for.
var rsaAlgs = []string{"RS256", "RS384", "RS512", "PS256", "PS384", "PS512"}

// republishable returns the public JWK of a Clerk key Hasura can parse,
// or false. Private members never survive: only the public key is
// marshalled.
func republishable(k *clerk.JSONWebKey) ([]byte, bool) {
	if k == nil || len(k.KeyID) > maxKeyIDLen || (k.Use != "" && k.Use != "sig") {
		return nil, false
	}
	out := jose.JSONWebKey{KeyID: k.KeyID, Use: k.Use}
	switch key := k.Key.(type) {
	case *rsa.PublicKey:
		out.Key = key
	case *rsa.PrivateKey:
		out.Key = &key.PublicKey
	case *ecdsa.PublicKey:
		out.Key, out.Algorithm = key, "ES256"
	case *ecdsa.PrivateKey:
		out.Key, out.Algorithm = &key.PublicKey, "ES256"
	case ed25519.PublicKey:
		out.Key, out.Algorithm = key, string(jose.EdDSA)
	case ed25519.PrivateKey:
		out.Key, out.Algorithm = key.Public(), string(jose.EdDSA)
	default:
		return nil, false
	}
	switch key := out.Key.(type) {
	case *rsa.PublicKey:
		if key.N.BitLen() < 2048 {
			return nil, false
		}
		if slices.Contains(rsaAlgs, k.Algorithm) {
			out.Algorithm = k.Algorithm
		}
	case *ecdsa.PublicKey:
		if key.Curve != elliptic.P256() {
			return nil, false
		}
	}
	b, err := out.MarshalJSON()
	return b, err == nil
}
