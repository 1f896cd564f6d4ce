package graphql_test

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

func TestUnmarshalTimestamp(t *testing.T) {
	utc := func(y int, mo time.Month, d, h, mi, s, ns int) time.Time {
		return time.Date(y, mo, d, h, mi, s, ns, time.UTC)
	}
	tests := []struct {
		name string
		in   string
		want time.Time
	}{
		// What Postgres prints for `timestamp`: no zone, 0 to 6 digits.
		{"no fraction", `"2024-05-01T10:20:30"`, utc(2024, 5, 1, 10, 20, 30, 0)},
		{"one digit", `"2024-05-01T10:20:30.5"`, utc(2024, 5, 1, 10, 20, 30, 500_000_000)},
		{"three digits", `"2024-05-01T10:20:30.123"`, utc(2024, 5, 1, 10, 20, 30, 123_000_000)},
		{"six digits", `"2026-11-26T12:25:14.056536"`, utc(2026, 11, 26, 12, 25, 14, 56_536_000)},
		{"first year", `"0001-01-01T00:00:01"`, utc(1, 1, 1, 0, 0, 1, 0)},
		{"last year", `"9999-12-31T23:59:59.999999"`, utc(9999, 12, 31, 23, 59, 59, 999_999_000)},
		{"leap day", `"2024-02-29T00:00:00"`, utc(2024, 2, 29, 0, 0, 0, 0)},
		{"space separator", `"2024-05-01 10:20:30.5"`, utc(2024, 5, 1, 10, 20, 30, 500_000_000)},
		// What `timestamptz` columns and other tools print: converted to UTC.
		{"Z", `"2024-05-01T10:20:30Z"`, utc(2024, 5, 1, 10, 20, 30, 0)},
		{"Z with fraction", `"2024-05-01T10:20:30.25Z"`, utc(2024, 5, 1, 10, 20, 30, 250_000_000)},
		{"+00:00", `"2026-11-26T12:25:14.056536+00:00"`, utc(2026, 11, 26, 12, 25, 14, 56_536_000)},
		{"+01:00", `"2026-11-26T13:25:14.056536+01:00"`, utc(2026, 11, 26, 12, 25, 14, 56_536_000)},
		{"-05:30", `"2024-05-01T04:50:30-05:30"`, utc(2024, 5, 1, 10, 20, 30, 0)},
		{"hour-only offset", `"2024-05-01T12:20:30+02"`, utc(2024, 5, 1, 10, 20, 30, 0)},
		{"basic offset", `"2024-05-01T12:20:30+0200"`, utc(2024, 5, 1, 10, 20, 30, 0)},
		{"offset with seconds", `"1890-01-01T00:53:28+00:53:28"`, utc(1890, 1, 1, 0, 0, 0, 0)},
		{"nanoseconds", `"2024-05-01T10:20:30.123456789"`, utc(2024, 5, 1, 10, 20, 30, 123_456_789)},
		{"escaped JSON", `"2024-05-01T10:20:30\u002e5"`, utc(2024, 5, 1, 10, 20, 30, 500_000_000)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got time.Time
			require.NoError(t, hgql.UnmarshalTimestamp([]byte(tt.in), &got))
			assert.True(t, tt.want.Equal(got), "got %s, want %s", got, tt.want)
			assert.Equal(t, time.UTC, got.Location())
		})
	}
}

func TestUnmarshalTimestampNull(t *testing.T) {
	got := time.Date(2024, 5, 1, 0, 0, 0, 0, time.UTC)
	require.NoError(t, hgql.UnmarshalTimestamp([]byte("null"), &got))
	assert.True(t, got.IsZero())
}

func TestUnmarshalTimestampRejects(t *testing.T) {
	tests := []struct {
		name string
		in   string
	}{
		{"empty", ``},
		{"empty string", `""`},
		{"number", `1714558830`},
		{"unquoted", `2024-05-01T10:20:30`},
		{"unterminated", `"2024-05-01T10:20:30`},
		{"date only", `"2024-05-01"`},
		{"no seconds", `"2024-05-01T10:20"`},
		{"month 13", `"2024-13-01T10:20:30"`},
		{"February 30", `"2024-02-30T10:20:30"`},
		{"hour 24", `"2024-05-01T24:00:00"`},
		{"trailing text", `"2024-05-01T10:20:30 UTC"`},
		{"bad zone", `"2024-05-01T10:20:30+5"`},
		{"dot without digits and zone", `"2024-05-01T10:20:30.Z"`},
		{"infinity", `"infinity"`},
		{"BC", `"0044-03-15T00:00:00 BC"`},
		{"five-digit year", `"10000-01-01T00:00:00"`},
		{"garbage", `"not a time at all, really"`},
		{"bad escape", `"2024-05-01T10:20:30\x"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
			got := before
			err := hgql.UnmarshalTimestamp([]byte(tt.in), &got)
			var te *hgql.TimestampError
			require.ErrorAs(t, err, &te)
			assert.True(t, strings.HasPrefix(err.Error(), "graphql: invalid timestamp "), err.Error())
			assert.Equal(t, before, got, "a failed unmarshal must leave the value alone")
		})
	}
}

func TestTimestampErrorIsBounded(t *testing.T) {
	in := `"` + strings.Repeat("9", 10_000) + `"`
	var got time.Time
	err := hgql.UnmarshalTimestamp([]byte(in), &got)
	var te *hgql.TimestampError
	require.ErrorAs(t, err, &te)
	assert.LessOrEqual(t, len(te.Value), 64)
	assert.Less(t, len(err.Error()), 200)
}

func TestMarshalTimestamp(t *testing.T) {
	berlin := time.FixedZone("CET", 3600)
	tests := []struct {
		name string
		in   time.Time
		want string
	}{
		{"zero is null", time.Time{}, `null`},
		{"whole second", time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC), `"2024-05-01T10:20:30"`},
		{"one digit", time.Date(2024, 5, 1, 10, 20, 30, 500_000_000, time.UTC), `"2024-05-01T10:20:30.5"`},
		{"six digits", time.Date(2024, 5, 1, 10, 20, 30, 123_456_000, time.UTC), `"2024-05-01T10:20:30.123456"`},
		{"nanoseconds truncated", time.Date(2024, 5, 1, 10, 20, 30, 123_456_999, time.UTC), `"2024-05-01T10:20:30.123456"`},
		{"converted to UTC", time.Date(2024, 5, 1, 11, 20, 30, 0, berlin), `"2024-05-01T10:20:30"`},
		{"first year", time.Date(1, 1, 1, 0, 0, 1, 0, time.UTC), `"0001-01-01T00:00:01"`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := hgql.MarshalTimestamp(&tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, string(got))
		})
	}
}

func TestMarshalTimestampNilIsNull(t *testing.T) {
	got, err := hgql.MarshalTimestamp(nil)
	require.NoError(t, err)
	assert.Equal(t, "null", string(got))
}

func TestMarshalTimestampOutOfRange(t *testing.T) {
	for _, in := range []time.Time{
		time.Date(0, 6, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-44, 3, 15, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		// Year 9999 locally, year 10000 in UTC.
		time.Date(9999, 12, 31, 23, 30, 0, 0, time.FixedZone("west", -3600)),
	} {
		t.Run(in.String(), func(t *testing.T) {
			_, err := hgql.MarshalTimestamp(&in)
			var te *hgql.TimestampError
			require.ErrorAs(t, err, &te)
		})
	}
}

func TestTimestampErrorThroughGeneratedCode(t *testing.T) {
	var u hgql.UserFields
	err := u.UnmarshalJSON([]byte(`{"id":"user_1","name":null,"last_seen":"yesterday"}`))
	var te *hgql.TimestampError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, "yesterday", te.Value)
}
