package clerkhasuratest

import "time"

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
	// Now is the fake's clock, which stamps iat, nbf and exp and ages
	// sessions. Optional. Default time.Now. Set it to play a Clerk whose
	// clock differs from the host's; change it later with [Clerk.SetNow].
	Now func() time.Time
	// JWKSMaxAge is the max-age of the Cache-Control header sent with
	// /.well-known/jwks.json, in whole seconds. Optional. Default
	// [DefaultJWKSMaxAge]. A negative value sends "no-cache".
	JWKSMaxAge time.Duration
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
	if o == nil {
		return nil
	}
	return o.Now
}

func (o *ClerkOptions) jwksMaxAge() time.Duration {
	if o == nil || o.JWKSMaxAge == 0 {
		return DefaultJWKSMaxAge
	}
	return o.JWKSMaxAge
}
