package hasura

import (
	"context"
	"fmt"
	"time"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// TouchLastSeen sets the caller's last_seen to the database's now() and
// returns the new value, read as UTC (see [User.LastSeen] for why the
// database's TimeZone must be UTC). It returns [ErrNotFound] when the
// caller has no row, or the role may not update it.
func (c *Client) TouchLastSeen(ctx context.Context) (time.Time, error) {
	id, err := c.UserID(ctx)
	if err != nil {
		return time.Time{}, err
	}
	resp, err := hgql.TouchLastSeen(ctx, c.gql, id)
	if err != nil {
		return time.Time{}, opError("TouchLastSeen", err)
	}
	if resp.UpdateUsersByPk == nil {
		return time.Time{}, fmt.Errorf("%w: user %q", ErrNotFound, id)
	}
	return resp.UpdateUsersByPk.LastSeen, nil
}

// UpsertMe creates the caller's row with the given name or, when it
// exists, sets its name, and returns the row. An insert or update that the
// role's permissions refuse gives an error matching [ErrPermission].
func (c *Client) UpsertMe(ctx context.Context, name string) (*User, error) {
	id, err := c.UserID(ctx)
	if err != nil {
		return nil, err
	}
	resp, err := hgql.UpsertUser(ctx, c.gql, hgql.UsersInsertInput{Id: &id, Name: &name})
	if err != nil {
		return nil, opError("UpsertMe", err)
	}
	if resp.InsertUsersOne == nil {
		return nil, fmt.Errorf("%w: user %q", ErrNotFound, id)
	}
	u := userFrom(resp.InsertUsersOne)
	return &u, nil
}
