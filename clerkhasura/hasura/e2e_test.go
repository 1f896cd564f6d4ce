package hasura_test

import (
	"context"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/gqlerror"
	"golang.org/x/sync/errgroup"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

func TestClientSeesOnlyOwnRow(t *testing.T) {
	w := newClWorld(t)
	seen := time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC)
	w.hasura.InsertUser("user_alice", clName("Alice"), seen)
	w.hasura.InsertUser("user_bob", clName("Bob"), seen)
	alice := w.client(t, "user_alice", nil)
	ctx := context.Background()

	me, err := alice.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, hasura.User{ID: "user_alice", Name: clName("Alice"), LastSeen: seen}, *me)

	_, err = alice.User(ctx, "user_bob")
	require.ErrorIs(t, err, hasura.ErrNotFound)

	users, err := alice.Users(ctx, nil)
	require.NoError(t, err)
	require.Len(t, users, 1)
	assert.Equal(t, "user_alice", users[0].ID)

	users, err = alice.Users(ctx, &hasura.UsersOptions{IDs: []string{"user_bob"}})
	require.NoError(t, err)
	assert.Empty(t, users)
}

func TestClientTouchLastSeenMovesForward(t *testing.T) {
	w := newClWorld(t)
	old := w.hasuraClock.Now().Add(-time.Hour)
	w.hasura.InsertUser("user_alice", clName("Alice"), old)
	alice := w.client(t, "user_alice", nil)
	ctx := context.Background()

	first, err := alice.TouchLastSeen(ctx)
	require.NoError(t, err)
	assert.True(t, first.After(old), "last_seen %s is not after %s", first, old)
	assert.Equal(t, w.hasuraClock.Now(), first, "now() on Hasura's clock")

	w.advanceAll(1500 * time.Millisecond)
	second, err := alice.TouchLastSeen(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1500*time.Millisecond, second.Sub(first))

	me, err := alice.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, second, me.LastSeen)
}

func TestClientTouchLastSeenWithoutRow(t *testing.T) {
	w := newClWorld(t)
	_, err := w.client(t, "user_alice", nil).TouchLastSeen(context.Background())
	require.ErrorIs(t, err, hasura.ErrNotFound)
}

func TestClientUpsertMeCreatesThenUpdates(t *testing.T) {
	w := newClWorld(t)
	alice := w.client(t, "user_alice", nil)
	ctx := context.Background()

	_, err := alice.Me(ctx)
	require.ErrorIs(t, err, hasura.ErrNotFound)

	created, err := alice.UpsertMe(ctx, "Alice")
	require.NoError(t, err)
	assert.Equal(t, "user_alice", created.ID)
	require.NotNil(t, created.Name)
	assert.Equal(t, "Alice", *created.Name)
	assert.Equal(t, w.hasuraClock.Now(), created.LastSeen, "the column's default, now()")

	w.advanceAll(time.Second)
	updated, err := alice.UpsertMe(ctx, "Alice Liddell")
	require.NoError(t, err)
	require.NotNil(t, updated.Name)
	assert.Equal(t, "Alice Liddell", *updated.Name)
	assert.Equal(t, created.LastSeen, updated.LastSeen, "an upsert sets only name")

	rows := w.hasura.Rows()
	require.Len(t, rows, 1)
	assert.Equal(t, "Alice Liddell", *rows[0].Name)
}

// TestClientReplacesTokenHasuraCallsExpired plays a token that the local
// cache still holds fresh while Hasura's clock says it has expired: the
// Transport sees invalid-jwt, drops the token, mints one and retries once.
func TestClientReplacesTokenHasuraCallsExpired(t *testing.T) {
	w := newClWorld(t)
	w.hasura.InsertUser("user_alice", clName("Alice"), w.hasuraClock.Now())
	alice := w.client(t, "user_alice", nil)
	ctx := context.Background()

	_, err := alice.Me(ctx)
	require.NoError(t, err)
	minted := w.clerk.Stats().TokensMinted

	// Clerk and Hasura move past the token's 60 s lifetime; the local
	// clock does not, so the cache keeps serving the old token.
	w.clerkClock.Advance(2 * time.Minute)
	w.hasuraClock.Advance(2 * time.Minute)

	me, err := alice.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, "user_alice", me.ID)
	assert.Equal(t, int64(1), w.hasura.Stats().Errors["invalid-jwt"], "Hasura rejected the old token once")
	assert.Equal(t, minted+1, w.clerk.Stats().TokensMinted, "exactly one new token")

	_, err = alice.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, int64(1), w.hasura.Stats().Errors["invalid-jwt"], "the new token is kept")
}

func TestClientPicksUpRotatedKey(t *testing.T) {
	w := newClWorld(t)
	w.hasura.InsertUser("user_alice", clName("Alice"), w.hasuraClock.Now())
	src := w.source(t, "user_alice")
	alice, err := hasura.NewClient(w.hasura.Endpoint(), src, nil)
	require.NoError(t, err)
	ctx := context.Background()

	_, err = alice.Me(ctx)
	require.NoError(t, err)
	fetches := w.hasura.Stats().JWKSFetches

	kid := w.clerk.RotateKey()
	w.advanceAll(2 * time.Minute) // the cached token expires; the next is signed with kid

	me, err := alice.Me(ctx)
	require.NoError(t, err)
	assert.Equal(t, "user_alice", me.ID)
	tok, err := src.Token(ctx)
	require.NoError(t, err)
	claims, err := jwtclaims.Peek(tok.Value)
	require.NoError(t, err)
	assert.Equal(t, kid, claims.KeyID)
	assert.Greater(t, w.hasura.Stats().JWKSFetches, fetches, "Hasura fetched the JWKS for the new key")
	assert.Zero(t, w.hasura.Stats().Errors["invalid-jwt"])
}

func TestClientRoleNotAllowed(t *testing.T) {
	w := newClWorld(t)
	w.hasura.InsertUser("user_alice", clName("Alice"), w.hasuraClock.Now())
	c := w.client(t, "user_alice", &hasura.ClientOptions{Role: "editor"})

	_, err := c.Users(context.Background(), nil)
	require.ErrorIs(t, err, hasura.ErrAuth)
	assert.NotErrorIs(t, err, hasura.ErrPermission)
	var he *hasura.Error
	require.ErrorAs(t, err, &he)
	assert.True(t, he.Has("access-denied"), "got %v", err)
	assert.Equal(t, int64(1), w.hasura.Stats().Errors["access-denied"], "not retried")
}

func TestClientGraphQLMalformedQuery(t *testing.T) {
	w := newClWorld(t)
	c := w.client(t, "user_alice", nil)

	var resp graphql.Response
	err := c.GraphQL().MakeRequest(context.Background(), &graphql.Request{
		OpName: "Secrets",
		Query:  `query Secrets { users { id password } }`,
	}, &resp)
	require.ErrorIs(t, err, hasura.ErrValidation)
	assert.NotErrorIs(t, err, hasura.ErrAuth)
	var he *hasura.Error
	require.ErrorAs(t, err, &he)
	assert.Equal(t, "validation-failed", he.Code())
	assert.Contains(t, he.Errors[0].Path, "password")
	var list gqlerror.List
	require.ErrorAs(t, err, &list, "genqlient's own error is still there")
}

func TestClientDecodesPostgresTimestamps(t *testing.T) {
	tests := []struct {
		text string
		want time.Time
	}{
		{"2024-05-01T10:20:30", time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC)},
		{"2024-05-01T10:20:30.5", time.Date(2024, 5, 1, 10, 20, 30, 500_000_000, time.UTC)},
		{"2024-05-01T10:20:30.123456", time.Date(2024, 5, 1, 10, 20, 30, 123_456_000, time.UTC)},
	}
	w := newClWorld(t)
	alice := w.client(t, "user_alice", nil)
	for _, tt := range tests {
		t.Run(tt.text, func(t *testing.T) {
			w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_alice", LastSeenText: tt.text})
			me, err := alice.Me(context.Background())
			require.NoError(t, err)
			assert.Equal(t, tt.want, me.LastSeen)
			users, err := alice.Users(context.Background(), nil)
			require.NoError(t, err)
			require.Len(t, users, 1)
			assert.Equal(t, tt.want, users[0].LastSeen)
		})
	}
	t.Run("NULL", func(t *testing.T) {
		w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_alice"})
		me, err := alice.Me(context.Background())
		require.NoError(t, err)
		assert.True(t, me.LastSeen.IsZero())
		assert.Nil(t, me.Name)
	})
}

func TestClientPermissionError(t *testing.T) {
	w := newClWorld(t)
	c := w.client(t, "user_alice", nil)
	bob := "user_bob"

	// Inserting a row for someone else fails the insert permission's check.
	_, err := hgql.UpsertUser(context.Background(), c.GraphQL(), hgql.UsersInsertInput{Id: &bob, Name: clName("Mallory")})
	require.ErrorIs(t, err, hasura.ErrPermission)
	assert.NotErrorIs(t, err, hasura.ErrAuth)
	assert.NotErrorIs(t, err, hasura.ErrValidation)
	var he *hasura.Error
	require.ErrorAs(t, err, &he)
	assert.Equal(t, "permission-error", he.Code())
	assert.Empty(t, w.hasura.Rows())
}

func TestClientConcurrentUse(t *testing.T) {
	w := newClWorld(t)
	w.hasura.InsertUser("user_alice", clName("Alice"), w.hasuraClock.Now())
	alice := w.client(t, "user_alice", nil)
	ctx := context.Background()

	var g errgroup.Group
	for i := range 16 {
		g.Go(func() error {
			switch i % 4 {
			case 0:
				_, err := alice.Me(ctx)
				return err
			case 1:
				_, err := alice.Users(ctx, &hasura.UsersOptions{NameLike: "A%"})
				return err
			case 2:
				_, err := alice.TouchLastSeen(ctx)
				return err
			default:
				_, err := alice.UpsertMe(ctx, "Alice")
				return err
			}
		})
	}
	require.NoError(t, g.Wait())
	assert.Equal(t, int64(1), w.clerk.Stats().TokensMinted, "the callers share one token")
}
