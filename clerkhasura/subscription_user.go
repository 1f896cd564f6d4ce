package clerkhasura

import (
	"context"
	"errors"

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
//
// A reader that falls behind skips states: while it has not received an
// event, a newer state of the row replaces the one waiting, so it
// receives the newest (see [SubscriptionStats].Coalesced), and the event
// with Err comes after it.
func (c *SubscriptionClient) WatchUser(ctx context.Context, id string) (<-chan UserEvent, error) {
	return c.watch(ctx, "WatchUser", id, nil)
}

// watch is WatchUser for the method named in its errors; ended, when not
// nil, runs once the subscription has ended, before the channel closes.
func (c *SubscriptionClient) watch(ctx context.Context, method, id string, ended func()) (<-chan UserEvent, error) {
	in, _, err := hgql.WatchUser(ctx, c.WithContext(ctx), id)
	if err != nil {
		return nil, wrap(method, err)
	}
	out := make(chan UserEvent)
	go func() {
		// in closes once the subscription ended, so that out closing
		// means so too; events after ctx or the client ended are dropped.
		defer close(out)
		if ended != nil {
			defer ended()
		}
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
// whose ID is the user ID claim of the client's tokens (see
// [SubscriptionOptions.UserIDClaim]), skipping states as WatchUser does
// for a reader that falls behind. The ID is read once, from the token of
// the client's connection, or, before there is one, from a token the
// source gives. A token without it gives a [*ClaimError].
func (c *SubscriptionClient) WatchMe(ctx context.Context) (<-chan UserEvent, error) {
	id, err := c.meID(ctx)
	if err != nil {
		return nil, err
	}
	return c.watch(ctx, "WatchMe", id, nil)
}

// meID returns the user ID of the client's tokens. It asks the source
// for a token only when it has not read the ID yet and no connection has
// a token to read it from, as each call of an uncached source mints one.
func (c *SubscriptionClient) meID(ctx context.Context) (string, error) {
	c.mu.Lock()
	id, tok := c.userID, c.connTok
	c.mu.Unlock()
	if id != "" {
		return id, nil
	}
	if tok == nil {
		if c.src == nil {
			return "", errors.New("clerkhasura: WatchMe: nil TokenSource")
		}
		var err error
		if tok, err = c.src.Token(ctx); err != nil {
			return "", wrap("WatchMe: getting a token to read the user ID", err)
		}
		if tok == nil {
			return "", errors.New("clerkhasura: WatchMe: TokenSource returned a nil token")
		}
	}
	id, err := userIDFromToken(tok.Value, c.opts.namespace(), c.opts.userIDClaim())
	if err != nil {
		return "", err
	}
	c.mu.Lock()
	c.userID = id
	c.mu.Unlock()
	return id, nil
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

// NewSubscriptionClient returns a new [SubscriptionClient] for the Client's
// endpoint and [TokenSource], running as the Client's role
// ([ClientOptions.Role]) and reading the user ID from the same claims
// ([ClientOptions.ClaimsNamespace], [ClientOptions.UserIDClaim]). Its
// websocket handshakes go through [ClientOptions.HTTPClient], following
// no redirect, without the [Transport] that adds tokens to requests: the
// token travels in connection_init. That client's Transport must give writable
// response bodies, as http.Transport does; if it does not, set
// opts.HTTPClient.
//
// Role, HTTPClient, ClaimsNamespace and UserIDClaim left zero in opts take
// the Client's values; the other fields, as in [NewSubscriptionClient],
// their defaults. A nil opts means the Client's values and the defaults
// for all of them. opts is not modified.
//
// The caller owns the returned client: it connects on
// [SubscriptionClient.Start], and the caller closes it. Each call returns
// a new client, with connections of its own.
func (c *Client) NewSubscriptionClient(opts *SubscriptionOptions) *SubscriptionClient {
	var o SubscriptionOptions
	if opts != nil {
		o = *opts
	}
	if o.Role == "" {
		o.Role = c.role
	}
	if o.HTTPClient == nil {
		o.HTTPClient = c.base
	}
	if o.ClaimsNamespace == "" {
		o.ClaimsNamespace = c.namespace
	}
	if o.UserIDClaim == "" {
		o.UserIDClaim = c.userIDClaim
	}
	return NewSubscriptionClient(c.endpoint, c.src, &o)
}

// WatchMe streams the caller's own row (see [Client.UserID]) over a
// websocket, as [SubscriptionClient.WatchMe] does: its state when the
// watch starts, then its state after every change, whoever made it. It
// starts a [SubscriptionClient] of its own, made by
// [Client.NewSubscriptionClient] with nil options, which keeps the watch going across token expiries and
// reconnects, and returns once Hasura accepted the connection; ctx also
// bounds that.
//
// The watch ends when ctx is done, or after an event with Err, such as one
// matching [ErrSessionGone] once the Clerk session ended. The
// subscription client is then closed, and the channel is closed after
// it, so once the channel is closed no goroutine of the watch remains.
// Cancel ctx, or read the channel until it is closed: a watch nobody
// reads holds its connection open.
//
// WatchMe starts nothing and returns an error when the token has no user
// ID (a [*ClaimError]) or the first connection fails. To watch several
// rows over one connection, use [Client.NewSubscriptionClient] and
// [SubscriptionClient.WatchUser]. A watch that falls behind skips states,
// as [SubscriptionClient.WatchUser] describes.
func (c *Client) WatchMe(ctx context.Context) (<-chan UserEvent, error) {
	id, err := c.UserID(ctx)
	if err != nil {
		return nil, err
	}
	subs := c.NewSubscriptionClient(nil)
	if _, err := subs.Start(ctx); err != nil {
		subs.Close()
		return nil, err
	}
	ch, err := subs.watch(ctx, "WatchMe", id, func() { subs.Close() })
	if err != nil {
		subs.Close()
		return nil, err
	}
	return ch, nil
}
