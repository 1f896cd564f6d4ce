package graphql_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// recorder is a GraphQL endpoint that keeps the variables of the last
// request and answers with a fixed body.
type recorder struct {
	srv       *httptest.Server
	variables chan json.RawMessage
}

func newRecorder(t *testing.T, response string) *recorder {
	t.Helper()
	r := &recorder{variables: make(chan json.RawMessage, 1)}
	r.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		body, err := io.ReadAll(req.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var payload struct {
			Variables json.RawMessage `json:"variables"`
		}
		if err := json.Unmarshal(body, &payload); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		r.variables <- payload.Variables
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, response)
	}))
	t.Cleanup(r.srv.Close)
	return r
}

func (r *recorder) client() graphql.Client {
	return graphql.NewClient(r.srv.URL, r.srv.Client())
}

// sent returns the variables of the last request as generic JSON.
func (r *recorder) sent(t *testing.T) map[string]any {
	t.Helper()
	var v map[string]any
	require.NoError(t, json.Unmarshal(<-r.variables, &v))
	return v
}

const updatedRow = `{"data":{"update_users_by_pk":{"id":"user_1","name":"Ada","last_seen":"2024-05-01T10:20:30.5"}}}`

func TestUpdateUserSendsOnlySetFields(t *testing.T) {
	name := "Ada"
	empty := ""
	seen := time.Date(2024, 5, 1, 10, 20, 30, 500_000_000, time.UTC)
	tests := []struct {
		name string
		set  hgql.UsersSetInput
		want map[string]any
	}{
		{"only name", hgql.UsersSetInput{Name: &name}, map[string]any{"name": "Ada"}},
		{"empty name is a value", hgql.UsersSetInput{Name: &empty}, map[string]any{"name": ""}},
		{"only last_seen", hgql.UsersSetInput{LastSeen: &seen}, map[string]any{"last_seen": "2024-05-01T10:20:30.5"}},
		{"both", hgql.UsersSetInput{Name: &name, LastSeen: &seen},
			map[string]any{"name": "Ada", "last_seen": "2024-05-01T10:20:30.5"}},
		{"neither", hgql.UsersSetInput{}, map[string]any{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, updatedRow)
			resp, err := hgql.UpdateUser(context.Background(), rec.client(), "user_1", tt.set)
			require.NoError(t, err)
			require.NotNil(t, resp.UpdateUsersByPk)
			assert.Equal(t, map[string]any{"id": "user_1", "set": tt.want}, rec.sent(t))
		})
	}
}

func TestUsersSetInputMarshal(t *testing.T) {
	name := "Ada"
	seen := time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC)
	tests := []struct {
		name string
		in   hgql.UsersSetInput
		want string
	}{
		{"only name", hgql.UsersSetInput{Name: &name}, `{"name":"Ada"}`},
		{"only last_seen", hgql.UsersSetInput{LastSeen: &seen}, `{"last_seen":"2024-05-01T10:20:30"}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := json.Marshal(&tt.in)
			require.NoError(t, err)
			assert.JSONEq(t, tt.want, string(got))
		})
	}
}

func TestListUsersSendsOnlySetFields(t *testing.T) {
	like := "A%"
	isNull := false
	after := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	limit, offset := 0, 5
	tests := []struct {
		name    string
		where   *hgql.UsersBoolExp
		orderBy []hgql.UsersOrderBy
		limit   *int
		offset  *int
		want    map[string]any
	}{
		{name: "nothing", want: map[string]any{}},
		{name: "empty filter", where: &hgql.UsersBoolExp{},
			want: map[string]any{"where": map[string]any{}}},
		{name: "name like", where: &hgql.UsersBoolExp{Name: &hgql.StringComparisonExp{Like: &like}},
			want: map[string]any{"where": map[string]any{"name": map[string]any{"_like": "A%"}}}},
		{name: "false and zero are values",
			where: &hgql.UsersBoolExp{Name: &hgql.StringComparisonExp{IsNull: &isNull}},
			limit: &limit,
			want: map[string]any{
				"where": map[string]any{"name": map[string]any{"_is_null": false}},
				"limit": float64(0),
			}},
		{name: "timestamp comparison",
			where: &hgql.UsersBoolExp{LastSeen: &hgql.TimestampComparisonExp{Gt: &after}},
			want:  map[string]any{"where": map[string]any{"last_seen": map[string]any{"_gt": "2024-05-01T00:00:00"}}}},
		{name: "ids and negation",
			where: &hgql.UsersBoolExp{Not: &hgql.UsersBoolExp{Id: &hgql.StringComparisonExp{In: &[]string{"a", "b"}}}},
			want:  map[string]any{"where": map[string]any{"_not": map[string]any{"id": map[string]any{"_in": []any{"a", "b"}}}}}},
		{name: "order and offset",
			orderBy: []hgql.UsersOrderBy{{LastSeen: hgql.OrderByDescNullsLast}, {Id: hgql.OrderByAsc}},
			offset:  &offset,
			want: map[string]any{
				"orderBy": []any{map[string]any{"last_seen": "desc_nulls_last"}, map[string]any{"id": "asc"}},
				"offset":  float64(5),
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, `{"data":{"users":[]}}`)
			resp, err := hgql.ListUsers(context.Background(), rec.client(), tt.where, tt.orderBy, tt.limit, tt.offset)
			require.NoError(t, err)
			assert.Empty(t, resp.Users)
			assert.Equal(t, tt.want, rec.sent(t))
		})
	}
}

func TestUpsertUserSendsOnlySetFields(t *testing.T) {
	id := "user_1"
	rec := newRecorder(t, `{"data":{"insert_users_one":{"id":"user_1","name":null,"last_seen":null}}}`)
	resp, err := hgql.UpsertUser(context.Background(), rec.client(), hgql.UsersInsertInput{Id: &id})
	require.NoError(t, err)
	require.NotNil(t, resp.InsertUsersOne)
	assert.Nil(t, resp.InsertUsersOne.Name)
	assert.True(t, resp.InsertUsersOne.LastSeen.IsZero(), "a NULL last_seen reads as the zero time")
	assert.Equal(t, map[string]any{"object": map[string]any{"id": "user_1"}}, rec.sent(t))
}

func TestResponsesDecodePostgresTimestamps(t *testing.T) {
	rec := newRecorder(t, `{"data":{"users":[
		{"id":"user_1","name":"Ada","last_seen":"2026-11-26T12:25:14.056536"},
		{"id":"user_2","name":"Bob","last_seen":"2024-05-01T10:20:30"},
		{"id":"user_3","name":null,"last_seen":"2024-05-01T10:20:30.5"},
		{"id":"user_4","name":null,"last_seen":null}]}}`)
	resp, err := hgql.ListUsers(context.Background(), rec.client(), nil, nil, nil, nil)
	require.NoError(t, err)
	rec.sent(t)
	want := []time.Time{
		time.Date(2026, 11, 26, 12, 25, 14, 56_536_000, time.UTC),
		time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		time.Date(2024, 5, 1, 10, 20, 30, 500_000_000, time.UTC),
		{},
	}
	require.Len(t, resp.Users, len(want))
	for i, u := range resp.Users {
		assert.True(t, want[i].Equal(u.LastSeen), "%s: got %s, want %s", u.Id, u.LastSeen, want[i])
	}
	assert.Nil(t, resp.Users[2].Name)
	require.NotNil(t, resp.Users[0].Name)
	assert.Equal(t, "Ada", *resp.Users[0].Name)
}
