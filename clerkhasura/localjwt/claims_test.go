package localjwt_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// TestClaimsHookAskingForAdmin: a hook, or a tool, asking for admin or a
// role outside the allow-list gets no token, whatever the allow-list.
func TestClaimsHookAskingForAdmin(t *testing.T) {
	clock := newClock(epoch)
	session := claimsFor("sess_1", "user_alice", epoch.Add(time.Minute))
	for _, tt := range []struct {
		name   string
		claims localjwt.HasuraClaims
	}{
		{"admin by default", localjwt.HasuraClaims{UserID: "user_alice", DefaultRole: "admin"}},
		{"admin among the roles", localjwt.HasuraClaims{UserID: "user_alice", DefaultRole: "user", AllowedRoles: []string{"user", "admin"}}},
		{"Admin", localjwt.HasuraClaims{UserID: "user_alice", AllowedRoles: []string{"Admin"}}},
		{"a role outside the allow-list", localjwt.HasuraClaims{UserID: "user_alice", DefaultRole: "editor"}},
	} {
		t.Run(tt.name, func(t *testing.T) {
			calls := 0
			s := newSigner(t, clock, localjwt.Options{
				AllowedRoles: []string{"user", "member"},
				Claims: func(*clerk.SessionClaims) (localjwt.HasuraClaims, error) {
					calls++
					return tt.claims, nil
				},
			})
			src, err := s.Source(session)
			require.ErrorIs(t, err, localjwt.ErrRoleNotAllowed)
			assert.Nil(t, src)
			assert.Equal(t, 1, calls)

			src, err = s.Impersonate(tt.claims)
			require.ErrorIs(t, err, localjwt.ErrRoleNotAllowed)
			assert.Nil(t, src)
		})
	}
}

func TestDefaultClaims(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{})
	session := claimsFor("sess_1", "user_alice", epoch.Add(time.Minute))
	// What a user can write, were it verified into the claims: the
	// default reads none of it.
	session.Custom = map[string]any{"unsafe_metadata": map[string]any{"role": "admin"}, "x-hasura-default-role": "admin"}
	session.ActiveOrganizationID, session.ActiveOrganizationRole = "org_1", "org:admin"
	assert.Equal(t, map[string]any{
		"x-hasura-user-id":       "user_alice",
		"x-hasura-default-role":  "user",
		"x-hasura-allowed-roles": []any{"user"},
	}, hasuraClaims(t, sourceToken(t, s, session).Value))

	s = newSigner(t, clock, localjwt.Options{AllowedRoles: []string{"member", "viewer"}})
	assert.Equal(t, "member", hasuraClaims(t, sourceToken(t, s, session).Value)["x-hasura-default-role"])
}

func TestClaimsVariables(t *testing.T) {
	clock := newClock(epoch)
	session := claimsFor("sess_1", "user_alice", epoch.Add(time.Minute))
	s := newSigner(t, clock, localjwt.Options{
		AllowedRoles: []string{"user", "member"},
		Claims: func(c *clerk.SessionClaims) (localjwt.HasuraClaims, error) {
			return localjwt.HasuraClaims{UserID: c.Subject, DefaultRole: "member", AllowedRoles: []string{"user", "member"},
				Variables: map[string]string{"X-Hasura-Org-Id": c.ActiveOrganizationID}}, nil
		},
	})
	session.ActiveOrganizationID = "org_1"
	assert.Equal(t, map[string]any{
		"x-hasura-user-id":       "user_alice",
		"x-hasura-default-role":  "member",
		"x-hasura-allowed-roles": []any{"user", "member"},
		"x-hasura-org-id":        "org_1",
	}, hasuraClaims(t, sourceToken(t, s, session).Value))
}

func TestClaimsRefused(t *testing.T) {
	clock := newClock(epoch)
	good := func() *clerk.SessionClaims { return claimsFor("sess_1", "user_alice", epoch.Add(time.Minute)) }
	hookErr := errors.New("no such organization")
	for _, tt := range []struct {
		name    string
		session func() *clerk.SessionClaims
		claims  *localjwt.HasuraClaims
		hookErr error
		want    error
		text    string
	}{
		{name: "nil claims", session: func() *clerk.SessionClaims { return nil }, want: localjwt.ErrInvalidClaims, text: "session claims are nil"},
		{name: "a template token", session: func() *clerk.SessionClaims { c := good(); c.SessionID = ""; return c }, want: localjwt.ErrInvalidClaims, text: "no sid"},
		{name: "the signer's own token", session: func() *clerk.SessionClaims { c := good(); c.Issuer = testIssuer; return c }, want: localjwt.ErrInvalidClaims, text: "signer's own issuer"},
		{name: "no sub", session: func() *clerk.SessionClaims { c := good(); c.Subject = ""; return c }, want: localjwt.ErrInvalidClaims, text: "no sub"},
		{name: "no exp", session: func() *clerk.SessionClaims { c := good(); c.Expiry = nil; return c }, want: localjwt.ErrInvalidClaims, text: "no exp"},
		{name: "expired", session: func() *clerk.SessionClaims { return claimsFor("sess_1", "user_alice", epoch) }, want: localjwt.ErrSessionExpired},
		{name: "hook error", hookErr: hookErr, want: hookErr, text: "clerkhasura: claims hook: no such organization"},
		{name: "no user ID", claims: &localjwt.HasuraClaims{}, want: localjwt.ErrInvalidClaims, text: "UserID is empty"},
		{name: "default role not allowed by the claims", claims: &localjwt.HasuraClaims{UserID: "u", DefaultRole: "user", AllowedRoles: []string{"member"}}, want: localjwt.ErrInvalidClaims, text: `DefaultRole "user" is not among AllowedRoles`},
		{name: "variable outside x-hasura-", claims: &localjwt.HasuraClaims{UserID: "u", Variables: map[string]string{"org": "1"}}, want: localjwt.ErrInvalidClaims, text: `variable "org" is not named x-hasura-`},
		{name: "bare prefix", claims: &localjwt.HasuraClaims{UserID: "u", Variables: map[string]string{"x-hasura-": "1"}}, want: localjwt.ErrInvalidClaims, text: "is not named"},
		{name: "user ID as a variable", claims: &localjwt.HasuraClaims{UserID: "u", Variables: map[string]string{"X-Hasura-User-Id": "v"}}, want: localjwt.ErrInvalidClaims, text: "set by a field"},
		{name: "role as a variable", claims: &localjwt.HasuraClaims{UserID: "u", Variables: map[string]string{"x-hasura-role": "admin"}}, want: localjwt.ErrInvalidClaims, text: "set by a field"},
		{name: "a variable twice", claims: &localjwt.HasuraClaims{UserID: "u", Variables: map[string]string{"x-hasura-a": "1", "X-Hasura-A": "2"}}, want: localjwt.ErrInvalidClaims, text: `variable "x-hasura-a" is set twice`},
		{name: "too many variables", claims: &localjwt.HasuraClaims{UserID: "u", Variables: manyVariables(33)}, want: localjwt.ErrInvalidClaims, text: "more than 32 Variables"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			opts := localjwt.Options{AllowedRoles: []string{"user", "member"}}
			if tt.claims != nil || tt.hookErr != nil {
				opts.Claims = func(*clerk.SessionClaims) (localjwt.HasuraClaims, error) {
					if tt.hookErr != nil {
						return localjwt.HasuraClaims{}, tt.hookErr
					}
					return *tt.claims, nil
				}
			}
			s := newSigner(t, clock, opts)
			session := good
			if tt.session != nil {
				session = tt.session
			}
			src, err := s.Source(session())
			require.ErrorIs(t, err, tt.want)
			assert.Nil(t, src)
			assert.Contains(t, err.Error(), tt.text)
		})
	}
}

func manyVariables(n int) map[string]string {
	m := map[string]string{}
	for i := range n {
		m["x-hasura-v"+string(rune('a'+i%26))+string(rune('a'+i/26))] = "1"
	}
	return m
}

func TestImpersonate(t *testing.T) {
	clock := newClock(epoch)
	s := newSigner(t, clock, localjwt.Options{Lifetime: 2 * time.Minute})
	src, err := s.Impersonate(localjwt.HasuraClaims{UserID: "user_bob"})
	require.NoError(t, err)
	first := token(t, src)
	_, p := parts(t, first.Value)
	assert.Equal(t, "user_bob", p["sub"])
	assert.Equal(t, "user_bob", hasuraClaims(t, first.Value)["x-hasura-user-id"])
	assert.Equal(t, epoch.Add(2*time.Minute), first.Expiry)
	assert.EqualValues(t, epoch.Add(2*time.Minute).Unix(), p["exp"])

	clock.Advance(90 * time.Second) // a quarter of the life remains: kept
	assert.Same(t, first, token(t, src))
	clock.Advance(time.Second)
	second := token(t, src)
	assert.NotSame(t, first, second)
	assert.Equal(t, clock.Now().Add(2*time.Minute), second.Expiry)

	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = src.Token(ctx)
	require.ErrorIs(t, err, context.Canceled)
}
