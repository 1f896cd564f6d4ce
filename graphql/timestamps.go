package graphql

import (
	"encoding/json"
	"time"
)

// Timestamps is a list of Hasura `timestamp` values, the type of the _in
// and _nin operators of [TimestampComparisonExp]. Each element is written
// as [MarshalTimestamp] writes it and read as [UnmarshalTimestamp] reads
// it. Those fields are *Timestamps, so that nil leaves the operator out
// while an empty list is sent as []:
//
//	hgql.TimestampComparisonExp{In: &hgql.Timestamps{t1, t2}}
type Timestamps []time.Time

// MarshalJSON writes ts as a JSON array of Hasura `timestamp` strings.
func (ts Timestamps) MarshalJSON() ([]byte, error) {
	b := []byte{'['}
	for i := range ts {
		if i > 0 {
			b = append(b, ',')
		}
		v, err := MarshalTimestamp(&ts[i])
		if err != nil {
			return nil, err
		}
		b = append(b, v...)
	}
	return append(b, ']'), nil
}

// UnmarshalJSON reads a JSON array of Hasura `timestamp` strings.
func (ts *Timestamps) UnmarshalJSON(b []byte) error {
	var raw []json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	out := make(Timestamps, len(raw))
	for i, r := range raw {
		if err := UnmarshalTimestamp(r, &out[i]); err != nil {
			return err
		}
	}
	*ts = out
	return nil
}
