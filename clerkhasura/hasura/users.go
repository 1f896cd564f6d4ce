package hasura

import (
	"context"
	"errors"
	"fmt"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// UsersOptions selects and orders the rows [Client.Users] returns. The
// filters combine with AND. A nil *UsersOptions means every row the caller
// may see, ordered by ID.
type UsersOptions struct {
	// Where filters with a Hasura boolean expression. Its _in and _nin
	// take a pointer to a list: nil leaves the operator out, and an empty
	// list is sent as [], so In: &[]string{} keeps no row, as in SQL.
	// Optional.
	Where *hgql.UsersBoolExp
	// IDs keeps the rows whose ID is one of these. Optional: nil keeps
	// every ID; an empty, non-nil slice keeps none.
	IDs []string
	// NameLike keeps the rows whose name matches this SQL LIKE pattern,
	// case-sensitive, with % and _ as wildcards. Optional.
	NameLike string
	// OrderBy sorts the rows. Optional: by ID, ascending.
	OrderBy []hgql.UsersOrderBy
	// Limit is the most rows to return. Optional: 0 means no limit.
	Limit int
	// Offset is how many rows to skip. Optional.
	Offset int
}

// byID is the default order, so that paging with Limit and Offset is stable.
var byID = []hgql.UsersOrderBy{{Id: hgql.OrderByAsc}}

// where combines the filters of o, or returns nil when there are none.
func (o *UsersOptions) where() *hgql.UsersBoolExp {
	var all []hgql.UsersBoolExp
	if o.Where != nil {
		all = append(all, *o.Where)
	}
	if o.IDs != nil {
		ids := o.IDs
		all = append(all, hgql.UsersBoolExp{Id: &hgql.StringComparisonExp{In: &ids}})
	}
	if o.NameLike != "" {
		like := o.NameLike
		all = append(all, hgql.UsersBoolExp{Name: &hgql.StringComparisonExp{Like: &like}})
	}
	switch len(all) {
	case 0:
		return nil
	case 1:
		return &all[0]
	}
	return &hgql.UsersBoolExp{And: all}
}

// Me returns the caller's own row: the row whose ID is [Client.UserID].
// It returns [ErrNotFound] when there is none, as before [Client.UpsertMe].
func (c *Client) Me(ctx context.Context) (*User, error) {
	id, err := c.UserID(ctx)
	if err != nil {
		return nil, err
	}
	return c.User(ctx, id)
}

// User returns the row with the given ID. It returns [ErrNotFound] when
// there is no such row or the caller's role may not see it.
func (c *Client) User(ctx context.Context, id string) (*User, error) {
	resp, err := hgql.GetUser(ctx, c.gql, id)
	if err != nil {
		return nil, opError("User", err)
	}
	if resp.UsersByPk == nil {
		return nil, fmt.Errorf("%w: user %q", ErrNotFound, id)
	}
	u := userFrom(resp.UsersByPk)
	return &u, nil
}

// Users returns the rows the caller's role may see that match opts, in
// the order opts asks for. A nil opts means all of them, ordered by ID. No
// matching row is an empty slice, not an error.
func (c *Client) Users(ctx context.Context, opts *UsersOptions) ([]User, error) {
	if opts == nil {
		opts = &UsersOptions{}
	}
	if opts.Limit < 0 || opts.Offset < 0 {
		return nil, errors.New("clerkhasura: Users: Limit and Offset must not be negative")
	}
	orderBy := opts.OrderBy
	if len(orderBy) == 0 {
		orderBy = byID
	}
	var limit, offset *int
	if opts.Limit > 0 {
		limit = &opts.Limit
	}
	if opts.Offset > 0 {
		offset = &opts.Offset
	}
	resp, err := hgql.ListUsers(ctx, c.gql, opts.where(), orderBy, limit, offset)
	if err != nil {
		return nil, opError("Users", err)
	}
	users := make([]User, len(resp.Users))
	for i := range resp.Users {
		users[i] = userFrom(&resp.Users[i])
	}
	return users, nil
}
