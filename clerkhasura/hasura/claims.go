package hasura

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"

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

// UserIDFromJWT reads the caller's user ID from the claim claim within the
// claim namespace of jwt, a compact JWT, as Hasura reads its session
// variables: the namespace holds a JSON object, or that object as a
// string (claims_format "stringified_json"), and its keys are compared
// without regard to case. An empty namespace or claim means
// [DefaultClaimsNamespace] or [DefaultUserIDClaim]. A token without the
// claim gives a [*ClaimError], which matches [ErrNoUserID] and never
// holds the token.
//
// The signature is not checked; Hasura does that when the token is sent.
// The ID only tells which row is the caller's, as [Client.UserID] and the
// subscription client's WatchMe use it.
func UserIDFromJWT(jwt, namespace, claim string) (string, error) {
	if namespace == "" {
		namespace = DefaultClaimsNamespace
	}
	if claim == "" {
		claim = DefaultUserIDClaim
	}
	fail := func(reason string) (string, error) {
		return "", &ClaimError{Namespace: namespace, Claim: claim, Reason: reason}
	}
	var payload map[string]json.RawMessage
	if _, err := jwtclaims.Peek(jwt, &payload); err != nil {
		var je *jwtclaims.Error
		if errors.As(err, &je) {
			return fail("token is not a readable JWT: " + je.Reason)
		}
		return fail("token is not a readable JWT")
	}
	raw, ok := payload[namespace]
	if !ok {
		return fail("namespace claim is missing")
	}
	var session map[string]json.RawMessage
	if err := json.Unmarshal(raw, &session); err != nil {
		var stringified string
		if json.Unmarshal(raw, &stringified) != nil || json.Unmarshal([]byte(stringified), &session) != nil {
			return fail("namespace claim is not a JSON object")
		}
	}
	value, ok := session[claim]
	if !ok {
		for k, v := range session {
			if !strings.EqualFold(k, claim) {
				continue
			}
			if ok {
				return fail("claim appears more than once, in different cases")
			}
			value, ok = v, true
		}
	}
	if !ok {
		return fail("claim is missing")
	}
	var id string
	if err := json.Unmarshal(value, &id); err != nil {
		return fail("claim is not a string")
	}
	if id == "" {
		return fail("claim is empty")
	}
	return id, nil
}
