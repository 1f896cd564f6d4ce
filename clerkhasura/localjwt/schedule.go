package localjwt

import (
	"fmt"
	"slices"
	"time"

	jose "github.com/go-jose/go-jose/v3"
)

// scheduled is one key of the schedule, ready to sign and publish.
type scheduled struct {
	key      *Key
	signer   jose.Signer
	signFrom time.Time
	// retire is when the key leaves the JWKS: its successor's SignFrom
	// plus the longest token lifetime and the clock margin. Zero for the
	// last key, which never leaves.
	retire time.Time
}

// schedule is the keys by SignFrom, earliest first. It is immutable.
type schedule []scheduled

// newSchedule checks keys against the rotation rule at now.
func newSchedule(keys []ScheduledKey, lifetime, maxAge time.Duration, now time.Time) (schedule, error) {
	if len(keys) == 0 {
		return nil, optionsError("Options.Keys", "is empty")
	}
	s := make(schedule, 0, len(keys))
	kids := map[string]bool{}
	for i, k := range keys {
		if k.Key == nil || k.Key.priv == nil {
			return nil, optionsError(fmt.Sprintf("Options.Keys[%d].Key", i), "is not a key from GenerateKey or ParseKey")
		}
		if k.SignFrom.IsZero() {
			return nil, optionsError(fmt.Sprintf("Options.Keys[%d].SignFrom", i), "is zero")
		}
		if kids[k.Key.kid] {
			return nil, optionsError(fmt.Sprintf("Options.Keys[%d]", i), "repeats key "+k.Key.kid)
		}
		kids[k.Key.kid] = true
		signer, err := jose.NewSigner(
			jose.SigningKey{Algorithm: jose.EdDSA, Key: jose.JSONWebKey{Key: k.Key.priv, KeyID: k.Key.kid}},
			(&jose.SignerOptions{}).WithType("JWT"))
		if err != nil {
			return nil, optionsError(fmt.Sprintf("Options.Keys[%d].Key", i), err.Error())
		}
		s = append(s, scheduled{key: k.Key, signer: signer, signFrom: k.SignFrom})
	}
	slices.SortFunc(s, func(a, b scheduled) int { return a.signFrom.Compare(b.signFrom) })
	for i := 1; i < len(s); i++ {
		if s[i].signFrom.Equal(s[i-1].signFrom) {
			return nil, optionsError("Options.Keys", "has two keys with the same SignFrom")
		}
		s[i-1].retire = s[i].signFrom.Add(lifetime + clockMargin)
	}
	if s[0].signFrom.After(now) {
		return nil, fmt.Errorf("%w: no key signs before %s", ErrKeySchedule, s[0].signFrom.UTC().Format(time.RFC3339))
	}
	lead := maxAge + clockMargin
	for _, k := range s {
		if k.signFrom.After(now) && k.signFrom.Sub(now) < lead {
			return nil, fmt.Errorf("%w: key %s signs from %s, less than MaxAge (%s) plus %s from now: "+
				"Hasura may not have fetched it by then; list a key at least that long before it signs "+
				"(a replica started now is refused until %s)",
				ErrKeySchedule, k.key.kid, k.signFrom.UTC().Format(time.RFC3339), maxAge, clockMargin,
				k.signFrom.UTC().Format(time.RFC3339))
		}
	}
	return s, nil
}

// signing returns the key that signs at now, or nil before the first
// SignFrom (a clock moved back since New).
func (s schedule) signing(now time.Time) *scheduled {
	for i := len(s) - 1; i >= 0; i-- {
		if !s[i].signFrom.After(now) {
			return &s[i]
		}
	}
	return nil
}

// published returns the keys in the JWKS at now.
func (s schedule) published(now time.Time) []*Key {
	keys := make([]*Key, 0, len(s))
	for _, k := range s {
		if k.retire.IsZero() || now.Before(k.retire) {
			keys = append(keys, k.key)
		}
	}
	return keys
}
