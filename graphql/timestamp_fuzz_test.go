package graphql_test

import (
	"errors"
	"testing"
	"time"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// FuzzTimestampRoundTrip checks that for any instant Postgres can store,
// UnmarshalTimestamp(MarshalTimestamp(t)) is t truncated to microseconds,
// and that every other instant is refused with a *TimestampError.
func FuzzTimestampRoundTrip(f *testing.F) {
	for _, t := range []time.Time{
		time.Date(2024, 5, 1, 10, 20, 30, 0, time.UTC),
		time.Date(2024, 5, 1, 10, 20, 30, 500_000_000, time.UTC),
		time.Date(2026, 11, 26, 12, 25, 14, 56_536_789, time.UTC),
		time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC),
		time.Date(9999, 12, 31, 23, 59, 59, 999_999_999, time.UTC),
		time.Date(0, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
	} {
		f.Add(t.Unix(), int64(t.Nanosecond()), 0)
	}
	f.Add(int64(1714558830), int64(999_999_999), 5*3600+30*60)
	f.Add(int64(-62135596800), int64(0), -3600)

	f.Fuzz(func(t *testing.T, sec, nsec int64, offset int) {
		in := time.Unix(sec, nsec%1_000_000_000).In(time.FixedZone("fuzz", offset%(18*3600)))
		b, err := hgql.MarshalTimestamp(&in)
		if y := in.UTC().Year(); y < 1 || y > 9999 {
			var te *hgql.TimestampError
			if !errors.As(err, &te) {
				t.Fatalf("MarshalTimestamp(%s) = %q, %v; want a *TimestampError", in, b, err)
			}
			return
		}
		if err != nil {
			t.Fatalf("MarshalTimestamp(%s): %v", in, err)
		}
		var out time.Time
		if err := hgql.UnmarshalTimestamp(b, &out); err != nil {
			t.Fatalf("UnmarshalTimestamp(%s) from %s: %v", b, in, err)
		}
		want := in.Truncate(time.Microsecond)
		if in.IsZero() {
			want = time.Time{}
		}
		if !out.Equal(want) || out.Location() != time.UTC {
			t.Fatalf("round trip of %s through %s gave %s, want %s in UTC", in, b, out, want)
		}
	})
}

// FuzzUnmarshalTimestamp checks that no input makes UnmarshalTimestamp
// panic, that it either succeeds with a UTC time or fails with a
// *TimestampError, and that whatever it accepts survives a round trip.
func FuzzUnmarshalTimestamp(f *testing.F) {
	for _, s := range []string{
		`"2024-05-01T10:20:30"`,
		`"2024-05-01T10:20:30.5"`,
		`"2024-05-01T10:20:30.123456"`,
		`"2024-05-01T10:20:30.123456+00:00"`,
		`"2024-05-01T10:20:30Z"`,
		`"2024-05-01T10:20:30+02"`,
		`"1890-01-01T00:53:28+00:53:28"`,
		`"2024-05-01 10:20:30"`,
		`"2024-05-01T10:20:30\u002e5"`,
		`null`,
		`"infinity"`,
		`"0000-01-01T00:00:00"`,
		`""`,
		`"`,
		``,
		`"2024-05-01T10:20:30.`,
		"\"2024-05-01T10:20:30\xff\"",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		var got time.Time
		err := hgql.UnmarshalTimestamp(b, &got)
		if err != nil {
			var te *hgql.TimestampError
			if !errors.As(err, &te) {
				t.Fatalf("UnmarshalTimestamp(%q) error %v is not a *TimestampError", b, err)
			}
			return
		}
		if got.IsZero() {
			return
		}
		if got.Location() != time.UTC {
			t.Fatalf("UnmarshalTimestamp(%q) = %s, not in UTC", b, got)
		}
		out, err := hgql.MarshalTimestamp(&got)
		if err != nil {
			// Offsets can move an accepted year-9999 or year-1 time out of range.
			return
		}
		var again time.Time
		if err := hgql.UnmarshalTimestamp(out, &again); err != nil {
			t.Fatalf("re-reading %s (from %q): %v", out, b, err)
		}
		if !again.Equal(got.Truncate(time.Microsecond)) {
			t.Fatalf("re-reading %s (from %q) gave %s, want %s", out, b, again, got.Truncate(time.Microsecond))
		}
	})
}
