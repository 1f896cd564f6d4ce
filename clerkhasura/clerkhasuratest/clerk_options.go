package clerkhasuratest

import (
	"errors"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
)

// Defaults of [ClerkOptions].
const (
	// DefaultSecretKey is the secret key a fake [Clerk] expects unless
	// [ClerkOptions.SecretKey] says otherwise. It is shaped like a
	// development instance's key and is valid nowhere else.
	DefaultSecretKey = "sk_test_clerkhasuratestFakeSecretKey0000000"
	// DefaultIssuer is the iss claim of the fake's tokens. clerk-sdk-go's
	// jwt.Verify accepts only issuers that start with "https://clerk.".
	DefaultIssuer = "https://clerk.clerkhasura.test"
	// DefaultAuthorizedParty is the azp claim of the fake's tokens: the
	// origin of the frontend that asked for them.
	DefaultAuthorizedParty = "http://localhost:3000"
	// DefaultTemplateName is the name of the template a fake [Clerk] has
	// unless [ClerkOptions.Templates] is set.
	DefaultTemplateName = "hasura"
	// DefaultJWKSMaxAge is the Cache-Control max-age of the fake's
	// /.well-known/jwks.json unless [ClerkOptions.JWKSMaxAge] is set.
	DefaultJWKSMaxAge = 60 * time.Second
)

// Clerk's Backend API rate limits, as its documentation ("System limits")
// gives them, for [RateLimit]: requests per instance in any
// [DefaultRateLimitWindow].
const (
	// ProductionRateLimit is a production instance's limit.
	ProductionRateLimit = fakeclerk.ProductionRateLimit
	// DevelopmentRateLimit is a development instance's limit.
	DevelopmentRateLimit = fakeclerk.DevelopmentRateLimit
	// DefaultRateLimitWindow is the window of Clerk's limits, and of a
	// [RateLimit] whose Window is zero.
	DefaultRateLimitWindow = fakeclerk.DefaultRateLimitWindow
)

// RateLimit is a Backend API rate limit for [ClerkOptions.RateLimit]: at
// most Requests requests in any Window, the window sliding with each
// request. RateLimit{Requests: ProductionRateLimit} is Clerk's limit for a
// production instance.
type RateLimit struct {
	// Requests is how many requests any window admits. Zero means no
	// limit.
	Requests int
	// Window is the window's length. Optional. Default
	// [DefaultRateLimitWindow].
	Window time.Duration
}

// ClerkOptions configures [NewClerk]. A nil *ClerkOptions means the defaults.
type ClerkOptions struct {
	// SecretKey is the key every /v1 request must carry as
	// "Authorization: Bearer <key>". Optional. Default [DefaultSecretKey].
	SecretKey string
	// Templates are the JWT templates by name. Optional. Default: one
	// template, [DefaultTemplateName], made by [HasuraTemplate]. Set an
	// empty non-nil map for a fake without templates.
	Templates map[string]Template
	// Issuer is the iss claim. Optional. Default [DefaultIssuer].
	Issuer string
	// AuthorizedParty is the azp claim. Optional. Default
	// [DefaultAuthorizedParty].
	AuthorizedParty string
	// Clock is the fake's clock, which stamps iat, nbf and exp, ages
	// sessions and times the rate limit. Optional. Default: the system
	// clock. Give it the test's [Clock], and move that clock instead of
	// sleeping; give it a Clock of its own to play a Clerk whose clock
	// differs from the host's.
	Clock clerkhasura.Clock
	// JWKSMaxAge is the max-age of the Cache-Control header sent with
	// /.well-known/jwks.json, in whole seconds. Optional. Default
	// [DefaultJWKSMaxAge]. A negative value sends "no-cache".
	JWKSMaxAge time.Duration
	// RateLimit makes the fake enforce Clerk's Backend API rate limit, on
	// the fake's clock, on every /v1 route but GET /v1/jwks (which Clerk
	// exempts): past it, a request gets 429 with Clerk's
	// too_many_requests body and a Retry-After header giving the whole
	// seconds, rounded up, until a slot frees. Requests with a wrong
	// secret key get their 401 and do not count, and neither do refused
	// ones. [ClerkStats.RateLimited] counts the 429s. Optional. The zero
	// value, the default, enforces no limit; negative values are refused.
	RateLimit RateLimit
}

func (o *ClerkOptions) secretKey() string {
	if o == nil || o.SecretKey == "" {
		return DefaultSecretKey
	}
	return o.SecretKey
}

func (o *ClerkOptions) issuer() string {
	if o == nil || o.Issuer == "" {
		return DefaultIssuer
	}
	return o.Issuer
}

func (o *ClerkOptions) authorizedParty() string {
	if o == nil || o.AuthorizedParty == "" {
		return DefaultAuthorizedParty
	}
	return o.AuthorizedParty
}

func (o *ClerkOptions) templates() map[string]Template {
	if o == nil || o.Templates == nil {
		return map[string]Template{DefaultTemplateName: HasuraTemplate()}
	}
	return o.Templates
}

func (o *ClerkOptions) now() func() time.Time {
	if o == nil || o.Clock == nil {
		return nil
	}
	return o.Clock.Now
}

func (o *ClerkOptions) jwksMaxAge() time.Duration {
	if o == nil || o.JWKSMaxAge == 0 {
		return DefaultJWKSMaxAge
	}
	return o.JWKSMaxAge
}

func (o *ClerkOptions) rateLimit() (fakeclerk.RateLimit, error) {
	if o == nil {
		return fakeclerk.RateLimit{}, nil
	}
	rl := o.RateLimit
	if rl.Requests < 0 || rl.Window < 0 {
		return fakeclerk.RateLimit{}, errors.New("ClerkOptions.RateLimit: Requests and Window must not be negative")
	}
	return fakeclerk.RateLimit{Requests: rl.Requests, Window: rl.Window}, nil
}
