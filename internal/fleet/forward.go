package fleet

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	"github.com/clerk/clerk-sdk-go/v2/jwt"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// maxForwardedLifetime bounds how long a forwarded token may still live,
// so that a revoked session's token cannot be used for long.
const maxForwardedLifetime = 5 * time.Minute

// refetchInterval is the least time between two JWKS fetches for an unknown
// kid, as the middleware spaces its own.
const refetchInterval = time.Minute

// forwardReplica is rung 2: it verifies the browser's template token as the
// middleware verifies session tokens (the instance's keys from the JWKS,
// exp and nbf, the issuer, the authorized party), refuses a token that is
// not a template token (one with a sid, or without Hasura's claims), and
// takes it as the request's Hasura token.
type forwardReplica struct {
	jwks  *jwks.Client
	clock clerk.Clock

	mu      sync.Mutex
	keys    map[string]*clerk.JSONWebKey
	fetched time.Time
}

func newForwardReplica(e *env, bc clerk.BackendConfig) (*replica, error) {
	f := &forwardReplica{jwks: jwks.NewClient(&clerk.ClientConfig{BackendConfig: bc}), clock: e.clock}
	return &replica{handler: f, close: func() {}}, nil
}

// templateClaims are the claims a template token must carry beside the
// registered ones.
type templateClaims struct {
	Hasura map[string]any `json:"https://hasura.io/jwt/claims"`
}

var (
	errNotBearer   = errors.New("no bearer token")
	errUnknownKey  = errors.New("unknown signing key")
	errNotTemplate = errors.New("not a template token")
	errNoExpiry    = errors.New("no exp")
	errTooLong     = errors.New("lives too long")
	errWrongParty  = errors.New("authorized party not accepted")

	forwardIssuer = clerkhasuratest.DefaultIssuer
	forwardParty  = clerkhasuratest.DefaultAuthorizedParty
)

func (f *forwardReplica) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	o := outcomeOf(r)
	if _, err := f.verify(r); err != nil {
		o.reason = "refused: " + err.Error()
		w.WriteHeader(http.StatusUnauthorized)
		return
	}
	// The verified token is the Hasura token, expiring at its exp: there
	// is nothing to wait for.
	o.done(0, nil)
}

// verify returns the verified template token of the request.
func (f *forwardReplica) verify(r *http.Request) (*clerkhasura.Token, error) {
	scheme, value, _ := strings.Cut(r.Header.Get("Authorization"), " ")
	if !strings.EqualFold(scheme, "Bearer") || value == "" {
		return nil, errNotBearer
	}
	peeked, err := jwtclaims.Peek(value)
	if err != nil {
		return nil, err
	}
	key, err := f.key(r.Context(), peeked.KeyID)
	if err != nil {
		return nil, err
	}
	claims, err := jwt.Verify(r.Context(), &jwt.VerifyParams{
		Token: value, JWK: key, Clock: f.clock, ProxyURL: &forwardIssuer,
		CustomClaimsConstructor: func(context.Context) any { return &templateClaims{} },
	})
	if err != nil {
		return nil, err
	}
	custom, _ := claims.Custom.(*templateClaims)
	switch {
	case claims.Expiry == nil:
		return nil, errNoExpiry
	case claims.SessionID != "" || custom == nil || custom.Hasura == nil:
		return nil, errNotTemplate
	case time.Unix(*claims.Expiry, 0).Sub(f.clock.Now()) > maxForwardedLifetime:
		return nil, errTooLong
	case claims.AuthorizedParty != "" && claims.AuthorizedParty != forwardParty:
		return nil, errWrongParty
	}
	return &clerkhasura.Token{Value: value, Expiry: time.Unix(*claims.Expiry, 0)}, nil
}

// key returns the instance's key kid, fetching the JWKS on first use and
// again, at most once per refetchInterval, for a kid it lacks.
func (f *forwardReplica) key(ctx context.Context, kid string) (*clerk.JSONWebKey, error) {
	f.mu.Lock()
	defer f.mu.Unlock()
	if k, ok := f.keys[kid]; ok {
		return k, nil
	}
	now := f.clock.Now()
	if !f.fetched.IsZero() && now.Sub(f.fetched) < refetchInterval {
		return nil, errUnknownKey
	}
	f.fetched = now
	set, err := f.jwks.Get(ctx, &jwks.GetParams{})
	if err != nil {
		return nil, err
	}
	f.keys = make(map[string]*clerk.JSONWebKey, len(set.Keys))
	for _, k := range set.Keys {
		f.keys[k.KeyID] = k
	}
	if k, ok := f.keys[kid]; ok {
		return k, nil
	}
	return nil, errUnknownKey
}
