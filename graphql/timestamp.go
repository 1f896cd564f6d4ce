package graphql

import (
	"encoding/json"
	"fmt"
	"time"
)

// timestampLayout is how Postgres reads a `timestamp`: no zone (Postgres
// would drop one anyway), and at most six fractional digits, trailing zeros
// removed, which is also how Postgres prints it.
const timestampLayout = "2006-01-02T15:04:05.999999"

// maxErrorValue bounds how much of a rejected value a [TimestampError] keeps,
// so that a huge or hostile response cannot make error messages huge.
const maxErrorValue = 64

// TimestampError reports a value that is not a Hasura `timestamp`: either
// JSON that is not a timestamp string (UnmarshalTimestamp), or a time.Time
// that Postgres cannot store (MarshalTimestamp).
type TimestampError struct {
	// Value is the rejected input, cut to 64 bytes.
	Value string
	// Reason says what is wrong with it.
	Reason string
}

// Error implements error.
func (e *TimestampError) Error() string {
	return fmt.Sprintf("graphql: invalid timestamp %q: %s", e.Value, e.Reason)
}

func newTimestampError(value []byte, reason string) *TimestampError {
	if len(value) > maxErrorValue {
		value = value[:maxErrorValue]
	}
	return &TimestampError{Value: string(value), Reason: reason}
}

// MarshalTimestamp writes t as a Hasura `timestamp` JSON string in UTC, the
// way Postgres reads it: "2024-05-01T10:20:30.123456", with nanoseconds
// truncated to microseconds and trailing zeros dropped. A zero t is written
// as null, because genqlient ignores omitempty for bound scalars; use a
// pointer field with omitempty to leave a column out instead of setting it
// to NULL.
//
// Times whose UTC year is outside 1..9999 give a [*TimestampError]: Postgres
// has no year 0, and the text form has four year digits.
//
// MarshalTimestamp is the marshaler genqlient.yaml binds to `timestamp`.
func MarshalTimestamp(t *time.Time) ([]byte, error) {
	if t == nil || t.IsZero() {
		return []byte("null"), nil
	}
	u := t.UTC()
	if y := u.Year(); y < 1 || y > 9999 {
		return nil, &TimestampError{
			Value:  t.String(),
			Reason: "year outside 1..9999 cannot be stored in a Postgres timestamp",
		}
	}
	b := make([]byte, 0, len(timestampLayout)+2)
	b = append(b, '"')
	b = u.AppendFormat(b, timestampLayout)
	return append(b, '"'), nil
}

// UnmarshalTimestamp reads a Hasura `timestamp` JSON string into t as a UTC
// time. It accepts what Postgres prints for `timestamp`, which has no zone
// and is read as UTC ("2024-05-01T10:20:30", "…30.5", "…30.123456"), and
// also strings with "Z" or a numeric offset ("…30+00:00", "…30+05:30",
// "…30+00:53:28"), as `timestamptz` columns and other tools print them;
// those are converted to UTC. A space instead of "T" is accepted too, and
// digits beyond nanoseconds are dropped.
//
// JSON null sets t to the zero time (genqlient never calls the unmarshaler
// for null; direct callers get the same meaning). Anything else, including
// Postgres' "infinity", gives a [*TimestampError] and leaves t unchanged.
//
// UnmarshalTimestamp is the unmarshaler genqlient.yaml binds to `timestamp`.
func UnmarshalTimestamp(b []byte, t *time.Time) error {
	if string(b) == "null" {
		*t = time.Time{}
		return nil
	}
	s, err := jsonString(b)
	if err != nil {
		return err
	}
	v, err := ParseTimestamp(s)
	if err != nil {
		return err
	}
	*t = v
	return nil
}

// jsonString returns the content of the JSON string b, without allocating
// a decoder for the common case of a string without escapes.
func jsonString(b []byte) (string, error) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", newTimestampError(b, "not a JSON string")
	}
	inner := b[1 : len(b)-1]
	for _, c := range inner {
		if c == '\\' || c == '"' || c < 0x20 {
			var s string
			if err := json.Unmarshal(b, &s); err != nil {
				return "", newTimestampError(b, "not a JSON string")
			}
			return s, nil
		}
	}
	return string(inner), nil
}

// ParseTimestamp parses the text of a Hasura `timestamp` (no JSON quotes)
// as [UnmarshalTimestamp] does and returns it in UTC.
func ParseTimestamp(s string) (time.Time, error) {
	const base = "2006-01-02T15:04:05"
	bad := func() (time.Time, error) {
		return time.Time{}, newTimestampError([]byte(s), "want YYYY-MM-DDTHH:MM:SS[.ffffff][Z|±hh:mm]")
	}
	if len(s) < len(base) {
		return bad()
	}
	in := s
	if in[10] == ' ' {
		in = in[:10] + "T" + in[11:]
	}
	end := len(base)
	if end < len(in) && in[end] == '.' {
		end++
		for end < len(in) && in[end] >= '0' && in[end] <= '9' {
			end++
		}
	}
	var (
		v   time.Time
		err error
	)
	switch zone := in[end:]; len(zone) {
	case 0:
		v, err = time.ParseInLocation(base, in, time.UTC)
	case len("+07"):
		v, err = time.Parse(base+"Z07", in)
	case len("+0700"):
		v, err = time.Parse(base+"Z0700", in)
	case len("+07:00:00"):
		v, err = time.Parse(base+"Z07:00:00", in)
	default:
		v, err = time.Parse(base+"Z07:00", in)
	}
	if err != nil {
		return bad()
	}
	return v.UTC(), nil
}
