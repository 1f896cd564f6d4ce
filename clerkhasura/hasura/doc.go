// Package hasura runs typed operations on Hasura's users table as a Clerk
// user, with the tokens of a [clerkhasura.TokenSource] on every request.
//
// # Quickstart
//
//	minter, err := clerkhasura.NewSessionTokenSource(sessions, sessionID, "hasura", nil)
//	if err != nil { … }
//	src, err := clerkhasura.NewCachedTokenSource(minter, nil)
//	if err != nil { … }
//	defer src.Close()
//	hc, err := hasura.NewClient("https://my-project.hasura.app/v1/graphql", src, nil)
//	if err != nil { … }
//	me, err := hc.Me(ctx) // the caller's own row
//	if errors.Is(err, hasura.ErrNotFound) { … }
//
// [NewClient] puts a [clerkhasura.Transport] under genqlient's client and
// returns a [Client] with the operations [Client.Me], [Client.User],
// [Client.Users], [Client.TouchLastSeen] and [Client.UpsertMe].
// [Client.GraphQL] returns the genqlient client it uses, for the functions
// generated in package graphql of this module and for operations of your
// own (give them an operation name: Hasura refuses an empty one).
//
// # Errors
//
// Hasura's errors are [*Error] values, with each error's code and path
// ([GraphQLError]), matching [ErrAuth], [ErrValidation], [ErrPermission]
// or [ErrConstraint] with [errors.Is]. A row that is absent or hidden gives
// [ErrNotFound]; a token without the user ID claim, a [*ClaimError]
// matching [ErrNoUserID]. Failures to get a token are the token layer's,
// such as [clerkhasura.ErrSessionGone].
//
// A request sent without a Client, through a bare
// [clerkhasura.Transport], gets the same errors from [ErrorFromResponse],
// which reads Hasura's answer (errors come with HTTP 200) and leaves its
// body to decode.
package hasura
