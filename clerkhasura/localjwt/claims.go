package localjwt

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"

	"github.com/clerk/clerk-sdk-go/v2"
)

// maxVariables bounds HasuraClaims.Variables.
const maxVariables = 32

// HasuraClaims are the Hasura session variables of a token.
type HasuraClaims struct {
	// UserID is x-hasura-user-id. Required.
	UserID string
	// DefaultRole is x-hasura-default-role. Optional. Default the first
	// of [Options.AllowedRoles].
	DefaultRole string
	// AllowedRoles is x-hasura-allowed-roles; it must hold DefaultRole.
	// Optional. Default: DefaultRole alone.
	AllowedRoles []string
	// Variables are further session variables, such as
	// "x-hasura-org-id", each named "x-hasura-…" (Hasura reads names
	// without regard to case, so they are sent in lower case). The
	// variables above and x-hasura-role cannot be set here. Optional.
	Variables map[string]string
}

// ClaimsFunc maps a verified Clerk session to the session variables of
// its tokens. It runs on every [Signer.Source] call, so it must be quick
// and must not block; a token is kept per session and per result, so
// claims that change, such as a switch of organization, get a new token
// at once. An error refuses the request. It must be safe for concurrent
// use, and treat session as read-only: callers may share it between
// requests (the middleware hands it a copy).
//
// Read only what the user cannot write: the session's sub, sid and
// organization claims, and custom session claims taken from
// public_metadata (which only the backend writes), never from
// unsafe_metadata (which the user's browser writes).
type ClaimsFunc func(session *clerk.SessionClaims) (HasuraClaims, error)

// DefaultClaims is the default [ClaimsFunc]: x-hasura-user-id is the
// session's sub, and the role is the first of [Options.AllowedRoles]
// ("user" by default). It reads nothing else.
func DefaultClaims(session *clerk.SessionClaims) (HasuraClaims, error) {
	return HasuraClaims{UserID: session.Subject}, nil
}

// encode checks c against the allow-list and returns the JSON of
// the claims namespace object, which is also the cache key: encoding/json
// writes a map's keys in order.
func (c *HasuraClaims) encode(allowed []string) (string, error) {
	if c.UserID == "" {
		return "", claimsError("UserID is empty")
	}
	roles := c.AllowedRoles
	def := c.DefaultRole
	switch {
	case def == "" && len(roles) == 0:
		def = allowed[0]
		roles = []string{def}
	case def == "":
		def = roles[0]
	case len(roles) == 0:
		roles = []string{def}
	}
	for _, r := range roles {
		if err := checkRole(r, allowed); err != nil {
			return "", err
		}
	}
	if err := checkRole(def, allowed); err != nil {
		return "", err
	}
	if !slices.Contains(roles, def) {
		return "", claimsError(fmt.Sprintf("DefaultRole %q is not among AllowedRoles", def))
	}
	if len(c.Variables) > maxVariables {
		return "", claimsError(fmt.Sprintf("more than %d Variables", maxVariables))
	}
	ns := make(map[string]any, 3+len(c.Variables))
	for name, value := range c.Variables {
		lower := strings.ToLower(name)
		if !strings.HasPrefix(lower, "x-hasura-") || len(lower) == len("x-hasura-") {
			return "", claimsError(fmt.Sprintf("variable %q is not named x-hasura-…", name))
		}
		switch lower {
		case "x-hasura-user-id", "x-hasura-default-role", "x-hasura-allowed-roles", "x-hasura-role":
			return "", claimsError(fmt.Sprintf("variable %q is set by a field of HasuraClaims or by Hasura", name))
		}
		if _, dup := ns[lower]; dup {
			return "", claimsError(fmt.Sprintf("variable %q is set twice", lower))
		}
		ns[lower] = value
	}
	ns["x-hasura-user-id"] = c.UserID
	ns["x-hasura-default-role"] = def
	ns["x-hasura-allowed-roles"] = roles
	b, err := json.Marshal(ns)
	if err != nil {
		return "", claimsError(err.Error())
	}
	return string(b), nil
}

func checkRole(role string, allowed []string) error {
	if isAdmin(role) {
		return fmt.Errorf("%w: %q (admin never is)", ErrRoleNotAllowed, role)
	}
	if !slices.Contains(allowed, role) {
		return fmt.Errorf("%w: %q is not in Options.AllowedRoles", ErrRoleNotAllowed, role)
	}
	return nil
}

func claimsError(reason string) error {
	return fmt.Errorf("%w: %s", ErrInvalidClaims, reason)
}
