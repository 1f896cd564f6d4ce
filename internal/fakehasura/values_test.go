package fakehasura

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestTimestampInputAndOutput(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 25, 14, 56536789, time.FixedZone("CET", 3600))
	tests := []struct {
		in   string
		want string
	}{
		{"2024-05-01T10:20:30.123456", "2024-05-01T10:20:30.123456"},
		{"2024-05-01 10:20:30", "2024-05-01T10:20:30"},
		{"2024-05-01T10:20:30.5", "2024-05-01T10:20:30.5"},
		{"2024-05-01T10:20:30.500000", "2024-05-01T10:20:30.5"},
		{"2024-05-01T10:20:30.000000", "2024-05-01T10:20:30"},
		{"2024-05-01T10:20:30.1200", "2024-05-01T10:20:30.12"},
		{"2024-05-01T10:20:30.1234564", "2024-05-01T10:20:30.123456"},
		{"2024-05-01T10:20:30.1234566", "2024-05-01T10:20:30.123457"},
		{"2024-05-01T10:20:30.1234565", "2024-05-01T10:20:30.123456"},
		{"2024-05-01T10:20:30.1234575", "2024-05-01T10:20:30.123458"},
		{"2024-05-01T23:59:59.9999999", "2024-05-02T00:00:00"},
		{"2024-05-01T10:20:30Z", "2024-05-01T10:20:30"},
		{"2024-05-01T10:20:30+02:00", "2024-05-01T10:20:30"},
		{"2024-05-01T10:20:30.25-0530", "2024-05-01T10:20:30.25"},
		{"2024-05-01 10:20:30 +02", "2024-05-01T10:20:30"},
		{"2024-05-01 10:20:30 UTC", "2024-05-01T10:20:30"},
		{"2024-05-01", "2024-05-01T00:00:00"},
		{"2024-5-1 9:05", "2024-05-01T09:05:00"},
		{"2024-05-01 24:00:00", "2024-05-02T00:00:00"},
		{"2024-02-29", "2024-02-29T00:00:00"},
		{"0099-01-01", "0099-01-01T00:00:00"},
		{"now()", "2026-11-26T11:25:14.056536"},
		{" NOW ", "2026-11-26T11:25:14.056536"},
		{"today", "2026-11-26T00:00:00"},
		{"tomorrow", "2026-11-27T00:00:00"},
		{"yesterday", "2026-11-25T00:00:00"},
		{"epoch", "1970-01-01T00:00:00"},
		{"infinity", "infinity"},
		{"-infinity", "-infinity"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			ts, err := parseTimestamp(tt.in, now)
			require.Nil(t, err)
			assert.Equal(t, tt.want, ts.String())
		})
	}
}

func TestTimestampInvalid(t *testing.T) {
	for _, tt := range []struct {
		in, msg     string
		notEmulated bool
	}{
		{"xyz", `invalid input syntax for type timestamp: "xyz"`, false},
		{"", `invalid input syntax for type timestamp: ""`, false},
		{"2024-05-01T", `invalid input syntax for type timestamp: "2024-05-01T"`, false},
		{"2024-05-01 10", `invalid input syntax for type timestamp: "2024-05-01 10"`, false},
		{"2024-05-01 10:20:30 garbage", `invalid input syntax for type timestamp: "2024-05-01 10:20:30 garbage"`, false},
		{"2024-13-01", `date/time field value out of range: "2024-13-01"`, false},
		{"2023-02-29", `date/time field value out of range: "2023-02-29"`, false},
		{"2024-05-01 25:00", `date/time field value out of range: "2024-05-01 25:00"`, false},
		{"0000-01-01", `date/time field value out of range: "0000-01-01"`, false},
		{"10000-01-01", "timestamps outside the years 1 to 9999: 10000-01-01", true},
		{"2024-05-01 BC", "timestamps outside the years 1 to 9999: 2024-05-01 BC", true},
	} {
		t.Run(tt.in, func(t *testing.T) {
			_, err := parseTimestamp(tt.in, epoch)
			require.NotNil(t, err)
			assert.Equal(t, tt.msg, err.msg)
			assert.Equal(t, tt.notEmulated, err.notEmulated)
		})
	}
}

func TestTimestampOrderWithInfinity(t *testing.T) {
	f := newFixture(t)
	require.NoError(t, f.eng.Put(
		Row{ID: "a", LastSeen: tsp(t, "infinity")},
		Row{ID: "b", LastSeen: tsp(t, "2024-01-01")},
		Row{ID: "c", LastSeen: tsp(t, "-infinity")},
	))
	assert.Equal(t, `{"data":{"users":[{"id":"c","last_seen":"-infinity"}, {"id":"b","last_seen":"2024-01-01T00:00:00"}, {"id":"a","last_seen":"infinity"}]}}`,
		f.admin(`{ users(order_by: {last_seen: asc}) { id last_seen } }`, nil))
	assert.Equal(t, []string{"a"}, ids(t, f, `(where: {last_seen: {_gt: "9999-12-31"}})`))
}

func TestHsScientific(t *testing.T) {
	for in, want := range map[string]string{
		"3000000000": "3.0e9", "1.5": "1.5", "10": "10.0", "0.05": "5.0e-2", "0.5": "0.5",
		"1e3": "1000.0", "-2.25": "-2.25", "0": "0.0", "12345678": "1.2345678e7", "1234567": "1234567.0",
	} {
		assert.Equal(t, want, hsScientific(in), in)
	}
}

func TestDecimalBounds(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int64
		isOK bool
	}{
		{"12", 12, true}, {"1.2e1", 12, true}, {"120e-1", 12, true}, {"0e999999999", 0, true},
		{"1e999999999", 0, false}, {"1e-999999999", 0, false}, {"1.5", 0, false},
		{"-9223372036854775808", -9223372036854775808, true}, {"9223372036854775808", 0, false},
	} {
		n, ok := parseDecimal(tt.in).int64()
		assert.Equal(t, tt.isOK, ok, tt.in)
		assert.Equal(t, tt.n, n, tt.in)
	}
	assert.Equal(t, "1.0e999999999", hsScientific("1e999999999"))
}
