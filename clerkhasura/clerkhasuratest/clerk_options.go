package clerkhasuratest

import (
	"errors"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
)

// Defaults of [ClerkOptions].
const (
	// DefaultSecretKey is the secret key of a fake [Clerk], shaped like a
	// development instance's and valid nowhere else.
	DefaultSecretKey = "sk_test_clerkhasuratestFakeSecretKey0000000"
	// DefaultIssuer is the iss claim, which clerk-sdk-go's jwt.Verify
	// wants to start with "https://clerk.".
	DefaultIssuer = "https://clerk.clerkhasura.test"
	// DefaultAuthorizedParty is the azp claim: the frontend's origin.
	DefaultAuthorizedParty = "http://localhost:3000"
	// DefaultTemplateName is the name of the template [HasuraTemplate].
	DefaultTemplateName = "hasura"
)

// ClerkOptions configures [NewClerk]. A nil *ClerkOptions means the defaults.
type ClerkOptions struct {
	// SecretKey is the key every /v1 request must carry. Optional.
	// Default [DefaultSecretKey].
	SecretKey string
	// Templates are the JWT templates by name. Optional. Default:
	// [HasuraTemplate] as [DefaultTemplateName]; an empty non-nil map
	// means none.
	Templates map[string]Template
	// Issuer and AuthorizedParty are the iss and azp claims. Optional.
	// Default [DefaultIssuer] and [DefaultAuthorizedParty].
	Issuer, AuthorizedParty string
	// Clock is the fake's clock, which stamps iat, nbf and exp, ages
	// sessions and times the rate limit. Optional. Default: the system
	// clock. Give it the test's [Clock] and move that clock instead of
	// sleeping.
	Clock clerkhasura.Clock
	// RateLimit is how many requests the /v1 routes but GET /v1/jwks
	// admit in any 10 s, on the fake's clock, as Clerk limits an instance
	// (1000 in production, 100 in development). Past it a request gets
	// 429 too_many_requests and a Retry-After until a slot frees;
	// requests refused for their key or their rate do not count.
	// Optional. Default 0: no limit.
	RateLimit int
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

func (o *ClerkOptions) rateLimit() (fakeclerk.RateLimit, error) {
	if o == nil {
		return fakeclerk.RateLimit{}, nil
	}
	if o.RateLimit < 0 {
		return fakeclerk.RateLimit{}, errors.New("ClerkOptions.RateLimit must not be negative")
	}
	return fakeclerk.RateLimit{Requests: o.RateLimit}, nil
}
