package clerkhasuratest

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
)

// HasuraClaimsNamespace is the claim under which Hasura v2 reads its
// x-hasura-* session variables by default.
const HasuraClaimsNamespace = "https://hasura.io/jwt/claims"

// Template is a Clerk JWT template: the claims it adds to every token minted
// from it, and the token's timing.
//
// Every token carries azp, exp, iat, iss, jti, nbf and sub. Those seven
// claims are reserved: a template that defines one of them at the top level
// is refused, as Clerk refuses to save it. Unlike a session token, a
// template token carries no sid unless the template's claims define one.
type Template struct {
	// Claims are the template's claims. Inside every string value, at any
	// depth, the shortcodes "{{user.id}}" and "{{session.id}}" are replaced
	// by the session's user and session IDs. Object keys are not rendered.
	// Any other "{{...}}" shortcode is refused. Values must encode as JSON.
	// The map is copied when the template is set.
	Claims map[string]any
	// Lifetime is exp − iat, in whole seconds (a fraction is dropped).
	// Optional. Default 60 s, Clerk's default. Clerk allows 30 s or more;
	// the fake allows down to 1 s, so that tests can reach expiry quickly.
	Lifetime time.Duration
	// AllowedClockSkew is iat − nbf, in whole seconds. Optional. Default
	// 5 s, Clerk's default. A negative value means no skew: nbf = iat.
	AllowedClockSkew time.Duration
}

// HasuraTemplate returns the conventional Hasura template: lifetime 60 s,
// allowed clock skew 5 s, and the claims
//
//	{"https://hasura.io/jwt/claims": {
//	    "x-hasura-user-id": "{{user.id}}",
//	    "x-hasura-default-role": "user",
//	    "x-hasura-allowed-roles": ["user"]}}
func HasuraTemplate() Template {
	return Template{
		Claims: map[string]any{
			HasuraClaimsNamespace: map[string]any{
				"x-hasura-user-id":       "{{user.id}}",
				"x-hasura-default-role":  "user",
				"x-hasura-allowed-roles": []any{"user"},
			},
		},
		Lifetime:         fakeclerk.DefaultLifetime,
		AllowedClockSkew: fakeclerk.DefaultAllowedClockSkew,
	}
}

func (t Template) engine() fakeclerk.Template {
	return fakeclerk.Template{
		Claims:           t.Claims,
		Lifetime:         t.Lifetime,
		AllowedClockSkew: t.AllowedClockSkew,
	}
}
