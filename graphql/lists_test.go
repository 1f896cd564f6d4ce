package graphql_test

import (
	"context"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

func TestListUsersSendsEmptyListsAsEmpty(t *testing.T) {
	seen := time.Date(2024, 5, 1, 10, 20, 30, 500_000_000, time.FixedZone("CEST", 2*3600))
	tests := []struct {
		name  string
		where hgql.UsersBoolExp
		want  map[string]any
	}{
		{"nil lists are left out", hgql.UsersBoolExp{Id: &hgql.StringComparisonExp{}, LastSeen: &hgql.TimestampComparisonExp{}},
			map[string]any{"id": map[string]any{}, "last_seen": map[string]any{}}},
		{"empty _in", hgql.UsersBoolExp{Id: &hgql.StringComparisonExp{In: &[]string{}}},
			map[string]any{"id": map[string]any{"_in": []any{}}}},
		{"empty _nin", hgql.UsersBoolExp{Name: &hgql.StringComparisonExp{Nin: &[]string{}}},
			map[string]any{"name": map[string]any{"_nin": []any{}}}},
		{"empty timestamp _in", hgql.UsersBoolExp{LastSeen: &hgql.TimestampComparisonExp{In: &hgql.Timestamps{}}},
			map[string]any{"last_seen": map[string]any{"_in": []any{}}}},
		{"timestamps in UTC", hgql.UsersBoolExp{LastSeen: &hgql.TimestampComparisonExp{Nin: &hgql.Timestamps{seen, seen.Add(time.Hour)}}},
			map[string]any{"last_seen": map[string]any{"_nin": []any{"2024-05-01T08:20:30.5", "2024-05-01T09:20:30.5"}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := newRecorder(t, `{"data":{"users":[]}}`)
			_, err := hgql.ListUsers(context.Background(), rec.client(), &tt.where, nil, nil, nil)
			require.NoError(t, err)
			assert.Equal(t, map[string]any{"where": tt.want}, rec.sent(t))
		})
	}
}

func TestTimestampsJSON(t *testing.T) {
	in := hgql.Timestamps{
		time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		time.Date(2026, 11, 26, 12, 25, 14, 56_536_000, time.UTC),
	}
	b, err := json.Marshal(in)
	require.NoError(t, err)
	assert.JSONEq(t, `["2024-05-01T10:20:30","2026-11-26T12:25:14.056536"]`, string(b))

	var out hgql.Timestamps
	require.NoError(t, json.Unmarshal(b, &out))
	assert.Equal(t, in, out)

	empty, err := json.Marshal(hgql.Timestamps{})
	require.NoError(t, err)
	assert.Equal(t, `[]`, string(empty))

	_, err = json.Marshal(hgql.Timestamps{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
	var te *hgql.TimestampError
	require.ErrorAs(t, err, &te)
	require.ErrorAs(t, json.Unmarshal([]byte(`["yesterday"]`), &out), &te)
	assert.Equal(t, in, out, "a failed read leaves the list as it was")
}
