package hasura

import (
	"time"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// User is a row of Hasura's users table as the caller's role sees it.
type User struct {
	// ID is the primary key, the Clerk user ID ("user_...").
	ID string
	// Name is nil when the column is NULL.
	Name *string
	// LastSeen is when the user was last active. The column is a Postgres
	// `timestamp`, which has no zone; it is read as UTC. That is right
	// only when the database's TimeZone setting is UTC: now(), which fills
	// the column (its default, and [Client.TouchLastSeen]), is stored as
	// the wall time of that zone. Check with SHOW TimeZone, and if need be
	// run ALTER DATABASE … SET timezone TO 'UTC'. It is the zero time when
	// the column is NULL.
	LastSeen time.Time
}

func userFrom(f *hgql.UserFields) User {
	return User{ID: f.Id, Name: f.Name, LastSeen: f.LastSeen}
}
