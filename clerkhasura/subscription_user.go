package clerkhasura

import (
	"context"
	"fmt"

	"github.com/vektah/gqlparser/v2/gqlerror"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// UserEvent is one state of a watched users row, or the error that ended
// the watch.
type UserEvent struct {
	// User is the row; nil when it does not exist or the caller's role
	// may not see it.
	User *User
	// Err is set on the last event of a watch that failed: a
	// [*HasuraError] for Hasura's errors, or the client's own error, such
	// as one matching [ErrSessionGone] once the Clerk session ended.
	Err error
}

// WatchUser streams the users row id: its state when the subscription
// starts, then its state after every change. The channel is closed when
// ctx is done, when the client is closed, or after an event with Err.
// Token expiry and reconnects do not show: an event comes only when the
// row changed. Events flow once the client has been started.
func (c *SubscriptionClient) WatchUser(ctx context.Context, id string) (<-chan UserEvent, error) {
	in, _, err := hgql.WatchUser(ctx, c.WithContext(ctx), id)
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: WatchUser: %w", err)
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

// WatchMe is [SubscriptionClient.WatchUser] for the caller's own row,
// whose ID is the user ID claim of a token from the client's source (see
// [SubscriptionOptions.UserIDClaim]). A token without it gives a
// [*ClaimError].
func (c *SubscriptionClient) WatchMe(ctx context.Context) (<-chan UserEvent, error) {
	if c.src == nil {
		return nil, fmt.Errorf("clerkhasura: WatchMe: nil TokenSource")
	}
	tok, err := c.src.Token(ctx)
	if err != nil {
		return nil, fmt.Errorf("clerkhasura: WatchMe: getting a token to read the user ID: %w", err)
	}
	id, err := userIDFromToken(tok.Value, c.opts.namespace(), c.opts.userIDClaim())
	if err != nil {
		return nil, err
	}
	return c.WatchUser(ctx, id)
}

func userEvent(resp hgql.WatchUserWsResponse) UserEvent {
	if len(resp.Errors) > 0 {
		for _, e := range resp.Errors {
			if e != nil && e.Err != nil {
				return UserEvent{Err: e.Err}
			}
		}
		return UserEvent{Err: wrapGraphQLError(gqlerror.List(resp.Errors))}
	}
	if resp.Data == nil || resp.Data.UsersByPk == nil {
		return UserEvent{}
	}
	u := userFrom(resp.Data.UsersByPk)
	return UserEvent{User: &u}
}
