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
// src is a [clerkhasura.TokenSource], best a cache: each connection asks
// it for a token. A Client implements genqlient's graphql.WebSocketClient,
// so the subscription functions generated in package graphql of this
// module run on it; [Client.WatchUser] and [Client.WatchMe] stream a users
// row as [UserEvent] values. [Client.Stats] counts what it did.
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
