package main

import (
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
	"github.com/clerkhasura/clerkhasura-go/internal/redact"
)

// tokenCodes are the codes of Hasura's refusals of a token, from its JWT
// verification and claims checks.
var tokenCodes = map[string]bool{
	"invalid-jwt":             true,
	"invalid-headers":         true,
	"jwt-invalid-claims":      true,
	"jwt-missing-role-claims": true,
}

// hasuraError turns the first error of Hasura's answer into the
// command's error.
func hasuraError(e hasuraerr.Error) error {
	msg, code := redact.Line(e.Message, 200), redact.Code(e.Code)
	switch {
	case code == "not-supported" && strings.HasPrefix(e.Message, "introspection is disabled"):
		return refused("%s (Hasura's %s: the project's metadata/graphql_schema_introspection.yaml disables introspection for the role; ask for another with -role)", msg, code)
	case code == "access-denied":
		return refused("Hasura refused the role: %s (%s; -role must be one of the token's x-hasura-allowed-roles)", msg, code)
	case tokenCodes[code]:
		return refused("Hasura refused the token: %s (%s; Hasura's JWT secret must trust the Clerk instance, and the JWT template carry Hasura's claims)", msg, code)
	}
	where := code
	if path := redact.Line(e.Path, 100); path != "" {
		where += " at " + path
	}
	return failed("Hasura answered an error: %s (%s)", msg, where)
}
