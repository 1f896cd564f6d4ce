package localjwt

import (
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Clock tells the time at which tokens are signed and keys are chosen.
// Now must be safe for concurrent use.
type Clock interface {
	Now() time.Time
}

type systemClock struct{}

func (systemClock) Now() time.Time { return time.Now() }

// Options configures [New]. A nil *Options is refused: Issuer and Keys
// are required.
type Options struct {
	// Issuer is the iss of every token: the service's own URL, such as
	// "https://api.example.com", named as the issuer of its entry in
	// HASURA_GRAPHQL_JWT_SECRETS. It must be an https URL and must not
	// look like a Clerk Frontend API (clerk-sdk-go takes any iss
	// starting with "https://clerk." for Clerk's). Required.
	Issuer string
	// Audience is the aud of every token, for a secret that names an
	// audience. Optional.
	Audience string
	// Keys are the signing keys and when each starts signing; see
	// [ScheduledKey] for the rotation rule. Required.
	Keys []ScheduledKey
	// Lifetime is the longest a token lives. A session's tokens also
	// never outlive its session token. At most an hour. Optional.
	// Default 5 minutes.
	Lifetime time.Duration
	// MaxAge is the Cache-Control max-age of [Signer.JWKSHandler]'s
	// response, for which Hasura keeps the key set: a new key must be
	// published at least this long before it signs. Rounded up to whole
	// seconds, at most a day. Optional. Default 5 minutes.
	MaxAge time.Duration
	// Claims maps a verified session to Hasura's session variables.
	// Optional. Default [DefaultClaims].
	Claims ClaimsFunc
	// AllowedRoles are the only roles a token may carry. admin is
	// refused here and in every token. Optional. Default ["user"].
	AllowedRoles []string
	// Clock tells the time. Optional. Default the system clock.
	Clock Clock
	// MaxSessions bounds the sessions whose token is kept; past it,
	// expired entries and then others are dropped, which costs a
	// signature each. Optional. Default 10,000.
	MaxSessions int
}

// ScheduledKey is a signing key and the instant it starts signing.
//
// Every replica derives from the same keys and its clock alone which key
// signs and which are published: the key with the latest SignFrom not in
// the future signs; every listed key is published from the start, and a
// key stays published until the tokens it signed have expired (its
// successor's SignFrom plus Lifetime plus a minute for clocks), then
// drops out of the JWKS, so old entries may stay listed.
//
// The rotation rule: list a new key, and roll the list out to every
// replica, at least MaxAge plus a minute before its SignFrom, since
// Hasura sees a new kid only when its cached JWKS expires. A replica
// cannot know when the others started publishing a key, so [New] checks
// the rule against its own clock: it refuses ([ErrKeySchedule]) a key
// due to sign within MaxAge plus a minute. A replica restarted in that
// window is refused too, until the key signs; a SignFrom a day after the
// roll-out keeps clear of all of it.
type ScheduledKey struct {
	// Key signs from SignFrom on. Required.
	Key *Key
	// SignFrom is when Key starts signing. Required.
	SignFrom time.Time
}

const (
	defaultLifetime    = 5 * time.Minute
	maxLifetime        = time.Hour
	defaultMaxAge      = 5 * time.Minute
	maxMaxAge          = 24 * time.Hour
	defaultMaxSessions = 10_000
	defaultRole        = "user"

	// clockMargin covers Hasura's one-second JWKS poll and clocks that
	// disagree between replicas, on both ends of a key's publication.
	clockMargin = time.Minute
)

// settings are Options with the defaults applied and checked.
type settings struct {
	issuer, audience string
	lifetime, maxAge time.Duration
	claims           ClaimsFunc
	roles            []string
	clock            Clock
	maxSessions      int
}

// resolve applies the defaults and checks every field but Keys.
func (o *Options) resolve() (settings, error) {
	if o == nil {
		return settings{}, optionsError("Options", "is nil: Issuer and Keys are required")
	}
	st := settings{
		issuer: o.Issuer, audience: o.Audience, lifetime: o.Lifetime, maxAge: o.MaxAge,
		claims: o.Claims, roles: o.AllowedRoles, clock: o.Clock, maxSessions: o.MaxSessions,
	}
	if err := checkIssuer(st.issuer); err != nil {
		return settings{}, err
	}
	if st.lifetime == 0 {
		st.lifetime = defaultLifetime
	}
	if st.lifetime < time.Second || st.lifetime > maxLifetime {
		return settings{}, optionsError("Options.Lifetime", "must be between 1s and 1h")
	}
	if st.maxAge == 0 {
		st.maxAge = defaultMaxAge
	}
	if st.maxAge < 0 || st.maxAge > maxMaxAge {
		return settings{}, optionsError("Options.MaxAge", "must be between 1s and 24h")
	}
	st.maxAge = (st.maxAge + time.Second - 1).Truncate(time.Second)
	if st.claims == nil {
		st.claims = DefaultClaims
	}
	if len(st.roles) == 0 {
		st.roles = []string{defaultRole}
	}
	st.roles = append([]string(nil), st.roles...)
	for _, r := range st.roles {
		if isAdmin(r) {
			return settings{}, optionsError("Options.AllowedRoles", "names admin, which a local token never carries")
		}
		if r == "" {
			return settings{}, optionsError("Options.AllowedRoles", "holds an empty role")
		}
	}
	if st.clock == nil {
		st.clock = systemClock{}
	}
	if st.maxSessions == 0 {
		st.maxSessions = defaultMaxSessions
	}
	if st.maxSessions < 0 {
		return settings{}, optionsError("Options.MaxSessions", "is negative")
	}
	return st, nil
}

func checkIssuer(iss string) error {
	u, err := url.Parse(iss)
	switch {
	case iss == "":
		return optionsError("Options.Issuer", "is empty")
	case err != nil || u.Scheme != "https" || u.Host == "" || u.User != nil || u.RawQuery != "" || u.Fragment != "":
		return optionsError("Options.Issuer", "must be an https URL such as https://api.example.com")
	case strings.HasPrefix(iss, "https://clerk.") || strings.Contains(iss, ".clerk.accounts"):
		return optionsError("Options.Issuer", "looks like a Clerk Frontend API; use the service's own URL")
	}
	return nil
}

func isAdmin(role string) bool { return strings.EqualFold(strings.TrimSpace(role), "admin") }

func optionsError(field, reason string) error {
	return fmt.Errorf("%w: %s %s", ErrInvalidOptions, field, reason)
}
