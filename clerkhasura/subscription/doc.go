// Package subscription runs GraphQL subscriptions on Hasura over a
// websocket as a Clerk user, across the expiries of the user's tokens.
//
// Hasura reads a connection's token once, at connection_init, and drops
// the connection when the token expires. A [Client] therefore opens a new
// connection with a fresh token before the old token expires and moves
// every subscription to it without a gap, and it reconnects after a
// connection is lost.
//
// # Quickstart
//
//	subs, err := subscription.New("https://my-project.hasura.app/v1/graphql", src, nil)
//	if err != nil { … }
//	defer subs.Close()
//	if _, err := subs.Start(ctx); err != nil { … }
//	events, err := subs.WatchMe(ctx) // the caller's own users row
//	if err != nil { … }
//	for ev := range events {
//		if ev.Err != nil { … } // the watch ended
//		fmt.Println(ev.User)
//	}
//
// A Client implements genqlient's graphql.WebSocketClient, so the
// subscription functions generated in package graphql of this module run
// on it; [Client.WatchUser] and [Client.WatchMe] stream a users row as
// [UserEvent] values. [Client.Stats] counts what it did.
//
// # Which token source
//
// Give a Client a cache: a [clerkhasura.CachedTokenSource] around
// [clerkhasura.NewSessionTokenSource], or, in a service, the source
// [clerkhasura.SessionTokens.Source] returns. Each connection asks its
// source for a token, and with a cache a reconnect after a lost
// connection or a Hasura restart takes the token still valid and mints
// nothing (so that a restart under many clients is no burst of calls
// to Clerk's rate-limited Backend API), a switch-over before expiry takes
// the token the cache refreshed, and a token Hasura refuses is dropped
// from the cache. An uncached source mints through Clerk for every
// connection; its one gain is that a connection after a session ended
// fails at once, where a cache serves the token it holds until it
// expires. Either way a source that fails for good ends the
// subscriptions with its error. Put the cache and the Client on one
// clock ([Options.Clock]), the system's unless a test says otherwise.
//
// # Errors
//
// A websocket connection's end is a [*CloseError], matching
// [ErrConnectionRejected] when Hasura refused its token; a handshake
// answered with a redirect, which is never followed, gives a
// [*WebsocketRedirectError] matching [ErrWebsocketRedirect]. A token
// source that fails for good, such as with [clerkhasura.ErrSessionGone],
// ends every subscription with its error. A closed Client gives
// [clerkhasura.ErrClosed].
package subscription
