package hasura_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// TestClientUsersEmptyLists runs _in and _nin with empty and non-empty
// lists against the fake Hasura, which answers as Postgres does: an empty
// _in matches no row, an empty _nin every row.
func TestClientUsersEmptyLists(t *testing.T) {
	w := newClWorld(t)
	seen := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	w.hasura.InsertUser("user_alice", clName("Alice"), seen)
	w.hasura.InsertUser("user_bob", clName("Bob"), seen)
	alice := w.client(t, "user_alice", nil)
	strs := func(s ...string) *[]string { list := append([]string{}, s...); return &list }
	tests := []struct {
		name string
		opts *hasura.UsersOptions
		want int
	}{
		{"no filter", nil, 1},
		{"empty _in", &hasura.UsersOptions{Where: &hgql.UsersBoolExp{Id: &hgql.StringComparisonExp{In: strs()}}}, 0},
		{"_in with the row", &hasura.UsersOptions{Where: &hgql.UsersBoolExp{Id: &hgql.StringComparisonExp{In: strs("user_alice")}}}, 1},
		{"empty _nin", &hasura.UsersOptions{Where: &hgql.UsersBoolExp{Name: &hgql.StringComparisonExp{Nin: strs()}}}, 1},
		{"_nin with the row", &hasura.UsersOptions{Where: &hgql.UsersBoolExp{Name: &hgql.StringComparisonExp{Nin: strs("Alice")}}}, 0},
		{"empty timestamp _in", &hasura.UsersOptions{Where: &hgql.UsersBoolExp{LastSeen: &hgql.TimestampComparisonExp{In: &hgql.Timestamps{}}}}, 0},
		{"timestamp _in with the row", &hasura.UsersOptions{Where: &hgql.UsersBoolExp{LastSeen: &hgql.TimestampComparisonExp{In: &hgql.Timestamps{seen}}}}, 1},
		{"empty timestamp _nin", &hasura.UsersOptions{Where: &hgql.UsersBoolExp{LastSeen: &hgql.TimestampComparisonExp{Nin: &hgql.Timestamps{}}}}, 1},
		{"empty IDs", &hasura.UsersOptions{IDs: []string{}}, 0},
		{"empty IDs and a where", &hasura.UsersOptions{IDs: []string{}, NameLike: "A%"}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			users, err := alice.Users(context.Background(), tt.opts)
			require.NoError(t, err)
			assert.Len(t, users, tt.want)
		})
	}
}
