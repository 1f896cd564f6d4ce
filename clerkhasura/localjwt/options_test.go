package localjwt_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

func TestNewRefusesOptions(t *testing.T) {
	clock := newClock(epoch)
	k1, k2 := mustKey(t), mustKey(t)
	past := epoch.Add(-time.Hour)
	one := []localjwt.ScheduledKey{{Key: k1, SignFrom: past}}
	for _, tt := range []struct {
		name string
		opts *localjwt.Options
		want string
	}{
		{"nil", nil, "Options is nil"},
		{"no issuer", &localjwt.Options{Keys: one}, "Options.Issuer is empty"},
		{"http issuer", &localjwt.Options{Issuer: "http://api.example.test", Keys: one}, "Options.Issuer must be an https URL"},
		{"issuer with a query", &localjwt.Options{Issuer: testIssuer + "?a=b", Keys: one}, "Options.Issuer must be an https URL"},
		{"issuer with user info", &localjwt.Options{Issuer: "https://u:p@api.example.test", Keys: one}, "Options.Issuer must be an https URL"},
		{"Clerk's issuer", &localjwt.Options{Issuer: "https://clerk.example.test", Keys: one}, "looks like a Clerk Frontend API"},
		{"Clerk's accounts issuer", &localjwt.Options{Issuer: "https://happy-cat-1.clerk.accounts.dev", Keys: one}, "looks like a Clerk Frontend API"},
		{"no keys", &localjwt.Options{Issuer: testIssuer}, "Options.Keys is empty"},
		{"nil key", &localjwt.Options{Issuer: testIssuer, Keys: []localjwt.ScheduledKey{{SignFrom: past}}}, "Options.Keys[0].Key is not a key"},
		{"zero key", &localjwt.Options{Issuer: testIssuer, Keys: []localjwt.ScheduledKey{{Key: &localjwt.Key{}, SignFrom: past}}}, "Options.Keys[0].Key is not a key"},
		{"zero SignFrom", &localjwt.Options{Issuer: testIssuer, Keys: []localjwt.ScheduledKey{{Key: k1}}}, "Options.Keys[0].SignFrom is zero"},
		{"key twice", &localjwt.Options{Issuer: testIssuer, Keys: []localjwt.ScheduledKey{{Key: k1, SignFrom: past}, {Key: k1, SignFrom: epoch.Add(-time.Minute)}}}, "Options.Keys[1] repeats key " + k1.KeyID()},
		{"same SignFrom", &localjwt.Options{Issuer: testIssuer, Keys: []localjwt.ScheduledKey{{Key: k1, SignFrom: past}, {Key: k2, SignFrom: past}}}, "two keys with the same SignFrom"},
		{"long lifetime", &localjwt.Options{Issuer: testIssuer, Keys: one, Lifetime: 2 * time.Hour}, "Options.Lifetime must be between 1s and 1h"},
		{"negative lifetime", &localjwt.Options{Issuer: testIssuer, Keys: one, Lifetime: -time.Second}, "Options.Lifetime must be between 1s and 1h"},
		{"negative max-age", &localjwt.Options{Issuer: testIssuer, Keys: one, MaxAge: -time.Second}, "Options.MaxAge must be between 1s and 24h"},
		{"long max-age", &localjwt.Options{Issuer: testIssuer, Keys: one, MaxAge: 25 * time.Hour}, "Options.MaxAge must be between 1s and 24h"},
		{"admin allowed", &localjwt.Options{Issuer: testIssuer, Keys: one, AllowedRoles: []string{"user", "admin"}}, "Options.AllowedRoles names admin"},
		{"Admin allowed", &localjwt.Options{Issuer: testIssuer, Keys: one, AllowedRoles: []string{" Admin"}}, "Options.AllowedRoles names admin"},
		{"empty role", &localjwt.Options{Issuer: testIssuer, Keys: one, AllowedRoles: []string{""}}, "Options.AllowedRoles holds an empty role"},
		{"negative sessions", &localjwt.Options{Issuer: testIssuer, Keys: one, MaxSessions: -1}, "Options.MaxSessions is negative"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			if tt.opts != nil {
				tt.opts.Clock = clock
			}
			s, err := localjwt.New(tt.opts)
			require.ErrorIs(t, err, localjwt.ErrInvalidOptions)
			assert.Nil(t, s)
			assert.Contains(t, err.Error(), tt.want)
			assert.True(t, strings.HasPrefix(err.Error(), "clerkhasura: "), err.Error())
		})
	}
}

// TestKeySchedule is the rotation rule as New checks it: a key must be
// listed at least MaxAge plus a minute before it signs, and a replica can
// only measure that from its own start.
func TestKeySchedule(t *testing.T) {
	k1, k2 := mustKey(t), mustKey(t)
	const maxAge = 5 * time.Minute
	lead := maxAge + time.Minute
	opts := func(clock *clerkhasuratest.Clock, next time.Time) *localjwt.Options {
		return &localjwt.Options{Issuer: testIssuer, MaxAge: maxAge, Clock: clock, Keys: []localjwt.ScheduledKey{
			{Key: k1, SignFrom: epoch.Add(-24 * time.Hour)}, {Key: k2, SignFrom: next},
		}}
	}

	t.Run("listed early enough", func(t *testing.T) {
		_, err := localjwt.New(opts(newClock(epoch), epoch.Add(lead)))
		require.NoError(t, err)
	})
	t.Run("listed too late", func(t *testing.T) {
		_, err := localjwt.New(opts(newClock(epoch), epoch.Add(lead-time.Second)))
		require.ErrorIs(t, err, localjwt.ErrKeySchedule)
		assert.Contains(t, err.Error(), "key "+k2.KeyID()+" signs from 2026-11-26T12:05:59Z")
		assert.Contains(t, err.Error(), "refused until 2026-11-26T12:05:59Z")
	})
	t.Run("the same list on a replica started earlier", func(t *testing.T) {
		_, err := localjwt.New(opts(newClock(epoch.Add(-time.Hour)), epoch.Add(lead-time.Second)))
		require.NoError(t, err)
	})
	t.Run("a replica restarted once the key signs", func(t *testing.T) {
		_, err := localjwt.New(opts(newClock(epoch.Add(lead)), epoch.Add(lead-time.Second)))
		require.NoError(t, err)
	})
	t.Run("no key signs yet", func(t *testing.T) {
		_, err := localjwt.New(&localjwt.Options{Issuer: testIssuer, Clock: newClock(epoch),
			Keys: []localjwt.ScheduledKey{{Key: k1, SignFrom: epoch.Add(time.Hour)}}})
		require.ErrorIs(t, err, localjwt.ErrKeySchedule)
		assert.Contains(t, err.Error(), "no key signs before 2026-11-26T13:00:00Z")
	})
	t.Run("max-age rounded up to seconds", func(t *testing.T) {
		o := opts(newClock(epoch), epoch.Add(lead))
		o.MaxAge = maxAge + time.Millisecond
		_, err := localjwt.New(o)
		require.ErrorIs(t, err, localjwt.ErrKeySchedule)
	})
}
