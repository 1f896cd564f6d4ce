package clerkhasuratest

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/fakeclerk"
)

// Template is a Clerk JWT template: the claims it adds to the reserved
// azp, exp, iat, iss, jti, nbf and sub of every token minted from it (a
// template defining one of those is refused, as by Clerk), and the
// token's timing. A template token carries no sid unless Claims define it.
type Template struct {
	// Claims are the template's claims, copied when the template is set.
	// In string values, "{{user.id}}" and "{{session.id}}" become the
	// session's user and session IDs; other shortcodes are refused.
	Claims map[string]any
	// Lifetime is exp − iat, in whole seconds, down to 1 s. Optional.
	// Default 60 s, Clerk's.
	Lifetime time.Duration
	// AllowedClockSkew is iat − nbf, in whole seconds. Optional. Default
	// 5 s, Clerk's; negative means nbf = iat.
	AllowedClockSkew time.Duration
}

// HasuraTemplate returns the conventional Hasura template: the default
// timing, and the claims
//
//	{"https://hasura.io/jwt/claims": {
//	    "x-hasura-user-id": "{{user.id}}",
//	    "x-hasura-default-role": "user",
//	    "x-hasura-allowed-roles": ["user"]}}
func HasuraTemplate() Template {
	return Template{
		Claims: map[string]any{
			"https://hasura.io/jwt/claims": map[string]any{
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
