package clerkhasuratest

import (
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// UserRow is a row of the fake [Hasura]'s users table: id text primary
// key, name text, last_seen timestamp (no time zone) default now().
type UserRow struct {
	ID   string
	Name *string // NULL when nil
	// LastSeen is the timestamp's wall clock in UTC, to the microsecond;
	// nil when NULL or ±infinity.
	LastSeen *time.Time
	// LastSeenText is last_seen as PostgreSQL prints it in JSON, such as
	// "2024-05-01T10:20:30.5" or "infinity". When seeding, it is read as
	// PostgreSQL reads timestamp input ("now()" on the fake's clock) and
	// wins over LastSeen.
	LastSeenText string
}

// Seed inserts rows into the users table (in a [HasuraOptions.Project],
// public.users with these columns), or replaces those with the same id,
// bypassing permissions; live queries see the change. It calls t.Fatalf for a row
// without an id, or text that PostgreSQL would refuse.
func (h *Hasura) Seed(rows ...UserRow) {
	h.t.Helper()
	eng := make([]fakehasura.Row, len(rows))
	for i, r := range rows {
		er := fakehasura.Row{ID: r.ID, Name: r.Name}
		switch {
		case r.LastSeenText != "":
			ts, err := h.eng.ParseTimestamp(r.LastSeenText)
			if err != nil {
				h.t.Fatalf("clerkhasuratest: Seed: row %q: %v", r.ID, err)
				return
			}
			er.LastSeen = &ts
		case r.LastSeen != nil:
			ts := fakehasura.TimestampOf(*r.LastSeen)
			er.LastSeen = &ts
		}
		eng[i] = er
	}
	if err := h.eng.Put(eng...); err != nil {
		h.t.Fatalf("clerkhasuratest: Seed: %v", err)
	}
}

// InsertUser seeds one row; see [Hasura.Seed].
func (h *Hasura) InsertUser(id string, name *string, lastSeen time.Time) {
	h.t.Helper()
	h.Seed(UserRow{ID: id, Name: name, LastSeen: &lastSeen})
}

// Row returns the row with the given id.
func (h *Hasura) Row(id string) (UserRow, bool) {
	for _, r := range h.eng.Rows() {
		if r.ID == id {
			return publicRow(r), true
		}
	}
	return UserRow{}, false
}

// Rows returns every row, in insertion order.
func (h *Hasura) Rows() []UserRow {
	rows := h.eng.Rows()
	out := make([]UserRow, len(rows))
	for i, r := range rows {
		out[i] = publicRow(r)
	}
	return out
}

func publicRow(r fakehasura.Row) UserRow {
	u := UserRow{ID: r.ID, Name: r.Name}
	if r.LastSeen != nil {
		u.LastSeenText = r.LastSeen.String()
		if t, ok := r.LastSeen.Time(); ok {
			u.LastSeen = &t
		}
	}
	return u
}
