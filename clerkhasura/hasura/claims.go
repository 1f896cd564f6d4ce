package hasura

import (
	"errors"
	"fmt"

	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// Defaults of [ClientOptions].
const (
	// DefaultClaimsNamespace is the claim under which Hasura looks for its
	// session variables unless HASURA_GRAPHQL_JWT_SECRET sets
	// claims_namespace.
	DefaultClaimsNamespace = "https://hasura.io/jwt/claims"
	// DefaultUserIDClaim is the session variable that holds the user ID,
	// which Clerk's Hasura template fills with {{user.id}}.
	DefaultUserIDClaim = "x-hasura-user-id"
)

// ErrNoUserID is matched by every [*ClaimError]: the token does not say
// which user it is for, so [Client.Me] and the other methods acting on the
// caller's own row cannot run. Usually the JWT template lacks the claim, or
// ClientOptions.ClaimsNamespace differs from Hasura's claims_namespace.
var ErrNoUserID = errors.New("clerkhasura: token has no Hasura user ID")

// ClaimError reports why the caller's user ID could not be read from the
// token's claims. It names the claims it looked for and never contains the
// token or any other claim's value.
type ClaimError struct {
	// Namespace is the claim that should hold Hasura's session variables.
	Namespace string
	// Claim is the session variable that should hold the user ID.
	Claim string
	// Reason says what was wrong, such as "namespace claim is missing".
	Reason string
}

// Error returns a message naming the namespace, the claim and the reason.
func (e *ClaimError) Error() string {
	return fmt.Sprintf("clerkhasura: reading claim %q in %q of the token: %s", e.Claim, e.Namespace, e.Reason)
}

// Is reports whether target is [ErrNoUserID].
func (e *ClaimError) Is(target error) bool { return target == ErrNoUserID }

// userIDFromJWT reads the caller's user ID from the session variable
// claim within the claim namespace of jwt, or gives a [*ClaimError].
func userIDFromJWT(jwt, namespace, claim string) (string, error) {
	id, failure := jwtclaims.SessionVariable(jwt, namespace, claim)
	if failure != "" {
		return "", &ClaimError{Namespace: namespace, Claim: claim, Reason: failure}
	}
	return id, nil
}
