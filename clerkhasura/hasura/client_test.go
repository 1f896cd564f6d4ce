package hasura_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestNewClientRejectsEndpoint(t *testing.T) {
	src := sources.FromClaims(t, testkit.HasuraClaims("user_1"))
	tests := []struct {
		name     string
		endpoint string
		reason   string
	}{
		{"empty", "", "is empty"},
		{"relative", "/v1/graphql", "scheme is not http or https"},
		{"no scheme", "hasura.test/v1/graphql", "scheme is not http or https"},
		{"websocket", "wss://hasura.test/v1/graphql", "scheme is not http or https"},
		{"no host", "https:///v1/graphql", "has no host"},
		{"unparsable", "https://user:s3cret@hasura.test:port/v1/graphql", "does not parse as a URL"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, err := hasura.NewClient(tt.endpoint, src, nil)
			assert.Nil(t, c)
			require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
			var ie *clerkhasura.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "endpoint", ie.Field)
			assert.Equal(t, tt.reason, ie.Reason)
			assert.NotContains(t, err.Error(), "s3cret")
		})
	}
}

func TestNewClientRejectsNilSource(t *testing.T) {
	_, err := hasura.NewClient("https://hasura.test/v1/graphql", nil, nil)
	require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
}

func TestClientSendsTokenAndRoleThroughCallersBase(t *testing.T) {
	h := newClHasura(t, clAnswer(`{"data":{"users":[]}}`))
	src := sources.FromClaims(t, testkit.HasuraClaims("user_1"))
	base := &testkit.CountingRoundTripper{Base: http.DefaultTransport}
	c, err := hasura.NewClient(h.endpoint(), src, &hasura.ClientOptions{Base: base, Role: "editor", Timeout: 7 * time.Second})
	require.NoError(t, err)

	_, err = c.Users(context.Background(), nil)
	require.NoError(t, err)

	reqs := h.received()
	require.Len(t, reqs, 1)
	assert.Equal(t, "Bearer "+src.Tok.Value, reqs[0].Header.Get("Authorization"))
	assert.Equal(t, "editor", reqs[0].Header.Get("X-Hasura-Role"))
	assert.Equal(t, int32(1), base.Count(), "the caller's transport sends the request")
}

func TestClientTimeoutIsKept(t *testing.T) {
	release := make(chan struct{})
	h := newClHasura(t, func(clRequest) string {
		<-release
		return `{"data":{"users":[]}}`
	})
	// Registered after the server's cleanup, so it runs first and lets the
	// blocked handler finish before the server closes.
	t.Cleanup(func() { close(release) })
	c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, testkit.HasuraClaims("user_1")),
		&hasura.ClientOptions{Timeout: time.Millisecond})
	require.NoError(t, err)
	_, err = c.Users(context.Background(), nil)
	var timeout interface{ Timeout() bool }
	require.ErrorAs(t, err, &timeout)
	assert.True(t, timeout.Timeout())
}

func TestClientUsersRequest(t *testing.T) {
	like := "A%"
	tests := []struct {
		name string
		opts *hasura.UsersOptions
		want map[string]any
	}{
		{"nil options order by id", nil, map[string]any{
			"orderBy": []any{map[string]any{"id": "asc"}},
		}},
		{"ids and name", &hasura.UsersOptions{IDs: []string{"a", "b"}, NameLike: "A%"}, map[string]any{
			"where": map[string]any{"_and": []any{
				map[string]any{"id": map[string]any{"_in": []any{"a", "b"}}},
				map[string]any{"name": map[string]any{"_like": "A%"}},
			}},
			"orderBy": []any{map[string]any{"id": "asc"}},
		}},
		{"where alone is sent as is", &hasura.UsersOptions{
			Where: &hgql.UsersBoolExp{Name: &hgql.StringComparisonExp{Ilike: &like}},
		}, map[string]any{
			"where":   map[string]any{"name": map[string]any{"_ilike": "A%"}},
			"orderBy": []any{map[string]any{"id": "asc"}},
		}},
		{"order, limit and offset", &hasura.UsersOptions{
			OrderBy: []hgql.UsersOrderBy{{LastSeen: hgql.OrderByDescNullsLast}},
			Limit:   10,
			Offset:  20,
		}, map[string]any{
			"orderBy": []any{map[string]any{"last_seen": "desc_nulls_last"}},
			"limit":   float64(10),
			"offset":  float64(20),
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newClHasura(t, clAnswer(`{"data":{"users":[]}}`))
			c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, testkit.HasuraClaims("user_1")), nil)
			require.NoError(t, err)
			users, err := c.Users(context.Background(), tt.opts)
			require.NoError(t, err)
			assert.NotNil(t, users)
			assert.Empty(t, users)
			reqs := h.received()
			require.Len(t, reqs, 1)
			assert.Equal(t, "ListUsers", reqs[0].OperationName)
			assert.Equal(t, tt.want, reqs[0].Variables)
		})
	}
}

// TestClientUsersEmptyIDsMatchNothing checks that an empty IDs list is
// sent as _in: [], which matches no row (see client_lists_test.go for
// the rows a fake Hasura returns).
func TestClientUsersEmptyIDsMatchNothing(t *testing.T) {
	h := newClHasura(t, clAnswer(`{"data":{"users":[]}}`))
	c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, testkit.HasuraClaims("user_1")), nil)
	require.NoError(t, err)
	users, err := c.Users(context.Background(), &hasura.UsersOptions{IDs: []string{}})
	require.NoError(t, err)
	assert.Empty(t, users)
	reqs := h.received()
	require.Len(t, reqs, 1)
	assert.Equal(t, map[string]any{"id": map[string]any{"_in": []any{}}}, reqs[0].Variables["where"])
}

func TestClientUsersRejectsNegativePaging(t *testing.T) {
	c, err := hasura.NewClient("http://hasura.test/v1/graphql", sources.FromClaims(t, testkit.HasuraClaims("user_1")), nil)
	require.NoError(t, err)
	for _, opts := range []*hasura.UsersOptions{{Limit: -1}, {Offset: -1}} {
		_, err := c.Users(context.Background(), opts)
		require.Error(t, err)
	}
}

func TestClientDecodesRows(t *testing.T) {
	h := newClHasura(t, clAnswer(`{"data":{"users":[
		{"id":"user_1","name":"Ada","last_seen":"2026-11-26T12:25:14.056536"},
		{"id":"user_2","name":null,"last_seen":null}]}}`))
	c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, testkit.HasuraClaims("user_1")), nil)
	require.NoError(t, err)
	users, err := c.Users(context.Background(), nil)
	require.NoError(t, err)
	require.Len(t, users, 2)
	assert.Equal(t, "user_1", users[0].ID)
	require.NotNil(t, users[0].Name)
	assert.Equal(t, "Ada", *users[0].Name)
	assert.Equal(t, time.Date(2026, 11, 26, 12, 25, 14, 56_536_000, time.UTC), users[0].LastSeen)
	assert.Nil(t, users[1].Name)
	assert.True(t, users[1].LastSeen.IsZero(), "a NULL last_seen is the zero time")
}

func TestClientMeAndNotFound(t *testing.T) {
	tests := []struct {
		name string
		call func(*hasura.Client) error
		op   string
		body string
	}{
		{"Me", func(c *hasura.Client) error { _, err := c.Me(context.Background()); return err },
			"GetUser", `{"data":{"users_by_pk":null}}`},
		{"User", func(c *hasura.Client) error { _, err := c.User(context.Background(), "user_alice"); return err },
			"GetUser", `{"data":{"users_by_pk":null}}`},
		{"TouchLastSeen", func(c *hasura.Client) error { _, err := c.TouchLastSeen(context.Background()); return err },
			"TouchLastSeen", `{"data":{"update_users_by_pk":null}}`},
		{"UpsertMe", func(c *hasura.Client) error { _, err := c.UpsertMe(context.Background(), "Alice"); return err },
			"UpsertUser", `{"data":{"insert_users_one":null}}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newClHasura(t, clAnswer(tt.body))
			c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, testkit.HasuraClaims("user_alice")), nil)
			require.NoError(t, err)
			err = tt.call(c)
			require.ErrorIs(t, err, hasura.ErrNotFound)
			reqs := h.received()
			require.Len(t, reqs, 1)
			assert.Equal(t, tt.op, reqs[0].OperationName)
			if tt.op == "UpsertUser" {
				assert.Equal(t, map[string]any{"id": "user_alice", "name": "Alice"}, reqs[0].Variables["object"])
			} else {
				assert.Equal(t, "user_alice", reqs[0].Variables["id"])
			}
		})
	}
}

func TestClientMeWithoutUserIDSendsNothing(t *testing.T) {
	h := newClHasura(t, clAnswer(`{"data":{"users_by_pk":null}}`))
	c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, map[string]any{"sub": "user_1"}), nil)
	require.NoError(t, err)
	_, err = c.Me(context.Background())
	require.ErrorIs(t, err, hasura.ErrNoUserID)
	assert.Empty(t, h.received())
}

func TestClientHasuraErrors(t *testing.T) {
	tests := []struct {
		name  string
		body  string
		class error
		code  string
	}{
		{"validation", `{"errors":[{"message":"field 'password' not found in type: 'users'","extensions":{"path":"$.selectionSet.users.selectionSet.password","code":"validation-failed"}}]}`,
			hasura.ErrValidation, "validation-failed"},
		{"permission", `{"errors":[{"message":"check constraint of an insert/update permission has failed","extensions":{"path":"$.selectionSet.insert_users_one.args.object","code":"permission-error"}}]}`,
			hasura.ErrPermission, "permission-error"},
		{"access denied", `{"errors":[{"message":"Your requested role is not in allowed roles","extensions":{"path":"$","code":"access-denied"}}]}`,
			hasura.ErrAuth, "access-denied"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			h := newClHasura(t, clAnswer(tt.body))
			src := sources.FromClaims(t, testkit.HasuraClaims("user_1"))
			c, err := hasura.NewClient(h.endpoint(), src, nil)
			require.NoError(t, err)
			_, err = c.Users(context.Background(), nil)
			var he *hasura.Error
			require.ErrorAs(t, err, &he)
			assert.Equal(t, tt.code, he.Code())
			assert.ErrorIs(t, err, tt.class)
			for _, other := range []error{hasura.ErrAuth, hasura.ErrValidation, hasura.ErrPermission} {
				if other != tt.class {
					assert.NotErrorIs(t, err, other)
				}
			}
			assertNoTokenIn(t, err, src.Tok.Value)
		})
	}
}

func TestClientDecodeErrorIsTyped(t *testing.T) {
	h := newClHasura(t, clAnswer(`{"data":{"users_by_pk":{"id":"user_1","name":null,"last_seen":"yesterday"}}}`))
	c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, testkit.HasuraClaims("user_1")), nil)
	require.NoError(t, err)
	_, err = c.Me(context.Background())
	var te *hgql.TimestampError
	require.ErrorAs(t, err, &te)
	assert.Contains(t, err.Error(), "clerkhasura: User: ")
}

func TestClientContextCanceled(t *testing.T) {
	h := newClHasura(t, clAnswer(`{"data":{"users":[]}}`))
	c, err := hasura.NewClient(h.endpoint(), sources.FromClaims(t, testkit.HasuraClaims("user_1")), nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err = c.Users(ctx, nil)
	require.True(t, errors.Is(err, context.Canceled), "got %v", err)
}
