package subscription

import (
	"context"
	"errors"
	"net/http"

	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/errwrap"
	"github.com/clerkhasura/clerkhasura-go/internal/gqlerrs"
	"github.com/clerkhasura/clerkhasura-go/internal/jwtclaims"
)

// UserEvent is one state of a watched users row, or the error that ended
// the watch.
type UserEvent struct {
	// User is the row; nil when it does not exist or the caller's role
	// may not see it.
	User *hasura.User
	// Err is set on the last event of a watch that failed: a
	// [*hasura.Error] for Hasura's errors, or the client's own error, such
	// as one matching [clerkhasura.ErrSessionGone] once the Clerk session
	// ended.
	Err error
}

// WatchUser streams the users row id: its state when the subscription
// starts, then its state after every change. The channel is closed when
// ctx is done, when the client is closed, or after an event with Err.
// Token expiry and reconnects do not show: an event comes only when the
// row changed. Events flow once the client has been started.
//
// A reader that falls behind skips states: while it has not received an
// event, a newer state of the row replaces the one waiting, so it
// receives the newest (see [Stats].Coalesced), and the event
// with Err comes after it.
func (c *Client) WatchUser(ctx context.Context, id string) (<-chan UserEvent, error) {
	return c.watch(ctx, "WatchUser", id)
}

// watch is WatchUser for the method named in its errors.
func (c *Client) watch(ctx context.Context, method, id string) (<-chan UserEvent, error) {
	in, _, err := hgql.WatchUser(ctx, c.WithContext(ctx), id)
	if err != nil {
		return nil, errwrap.Wrap(method, err)
	}
	out := make(chan UserEvent)
	go func() {
		// in closes once the subscription ended, so that out closing
		// means so too; events after ctx or the client ended are dropped.
		defer close(out)
		for resp := range in {
			select {
			case out <- userEvent(resp):
			case <-ctx.Done():
			case <-c.done:
			}
		}
	}()
	return out, nil
}

// WatchMe is [Client.WatchUser] for the caller's own row, whose ID is the
// user ID claim of the client's tokens (see [Options.UserIDClaim]), as
// [hasura.Client.Me] reads it: its state when the watch starts, then its
// state after every change, whoever made it, skipping states as
// WatchUser does for a reader that falls behind. The ID is read once,
// from the token of the client's connection, or, before there is one,
// from a token the source gives. A token without it gives a
// [*hasura.ClaimError].
func (c *Client) WatchMe(ctx context.Context) (<-chan UserEvent, error) {
	id, err := c.meID(ctx)
	if err != nil {
		return nil, err
	}
	return c.watch(ctx, "WatchMe", id)
}

// meID returns the user ID of the client's tokens. It asks the source
// for a token only when it has not read the ID yet and no connection has
// a token to read it from, as each call of an uncached source mints one.
func (c *Client) meID(ctx context.Context) (string, error) {
	c.mu.Lock()
	id, tok := c.userID, c.connTok
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	if tok == nil {
		var err error
		if tok, err = c.src.Token(ctx); err != nil {
			return "", errwrap.Wrap("WatchMe: getting a token to read the user ID", err)
		}
		if tok == nil {
			return "", errors.New("clerkhasura: WatchMe: TokenSource returned a nil token")
		}
	}
	id, failure := jwtclaims.SessionVariable(tok.Value, c.opts.ClaimsNamespace, c.opts.UserIDClaim)
	if failure != "" {
		return "", &hasura.ClaimError{Namespace: c.opts.ClaimsNamespace, Claim: c.opts.UserIDClaim, Reason: failure}
	}
	c.mu.Lock()
	c.userID = id
	c.mu.Unlock()
	return id, nil
}

// hasuraError is the [*hasura.Error] of the GraphQL errors of a result,
// which Hasura sends in a websocket message of its own, with no status.
func hasuraError(list gqlerror.List) error {
	errs := gqlerrs.Read(list)
	if len(errs) == 0 {
		return list
	}
	herr := &hasura.Error{StatusCode: http.StatusOK, Errors: make([]hasura.GraphQLError, len(errs))}
	for i, e := range errs {
		herr.Errors[i] = hasura.GraphQLError(e)
	}
	return herr
}

func userEvent(resp hgql.WatchUserWsResponse) UserEvent {
	if len(resp.Errors) > 0 {
		for _, e := range resp.Errors {
			if e != nil && e.Err != nil {
				return UserEvent{Err: e.Err}
			}
		}
		return UserEvent{Err: hasuraError(resp.Errors)}
	}
	if resp.Data == nil || resp.Data.UsersByPk == nil {
		return UserEvent{}
	}
	f := resp.Data.UsersByPk
	return UserEvent{User: &hasura.User{ID: f.Id, Name: f.Name, LastSeen: f.LastSeen}}
}
