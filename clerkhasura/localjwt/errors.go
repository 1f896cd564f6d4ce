package localjwt

import "errors"

// Sentinel errors of the package, matched with [errors.Is]. Their
// messages name fields, roles and key IDs, never a token or a key.
var (
	// ErrInvalidKey means [ParseKey] was given something other than one
	// Ed25519 private key in PKCS #8 PEM.
	ErrInvalidKey = errors.New("clerkhasura: invalid signing key")

	// ErrInvalidOptions means [New] was given options it cannot sign
	// with, such as a missing issuer or an allow-list naming admin.
	ErrInvalidOptions = errors.New("clerkhasura: invalid local signer options")

	// ErrKeySchedule means the keys' schedule breaks the rotation rule
	// (see [ScheduledKey]): no key signs yet, or a key would start
	// signing less than MaxAge plus a minute from now, before Hasura can
	// be relied on to have fetched it. A replica started inside that
	// window meets it too; it clears once the key signs.
	ErrKeySchedule = errors.New("clerkhasura: signing keys' schedule refused")

	// ErrInvalidClaims means the session claims cannot be signed for
	// (nil, no sid, no sub, no exp, or a token of the signer's own
	// issuer) or the claims hook returned unusable claims.
	ErrInvalidClaims = errors.New("clerkhasura: claims refused for a local token")

	// ErrRoleNotAllowed means the claims asked for admin, or for a role
	// outside [Options.AllowedRoles]. Nothing was signed.
	ErrRoleNotAllowed = errors.New("clerkhasura: role not allowed in a local token")

	// ErrSessionExpired means the session token's exp has passed: a
	// local token never outlives the session token it was made from.
	// Its Temporary method reports false, so that a subscription on the
	// source ends instead of retrying.
	ErrSessionExpired error = &finalError{"clerkhasura: session token expired"}

	// ErrSessionEnded means [Signer.EndSession] was called for the
	// session: it gets no more local tokens. Its Temporary method
	// reports false, as ErrSessionExpired's does.
	ErrSessionEnded error = &finalError{"clerkhasura: session ended"}
)

// finalError is a sentinel that no retry can clear: the browser has to
// send a newer session token.
type finalError struct{ msg string }

func (e *finalError) Error() string { return e.msg }

// Temporary reports false: asking the same source again fails again.
func (*finalError) Temporary() bool { return false }
