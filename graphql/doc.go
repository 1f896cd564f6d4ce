// Package graphql holds Hasura's GraphQL schema for the users table, the
// typed operations that genqlient generates from it, and the binding of
// Hasura's `timestamp` scalar to [time.Time].
//
// Its name is the same as genqlient's runtime package
// (github.com/Khan/genqlient/graphql), so import one of them under an alias:
//
//	import (
//		"github.com/Khan/genqlient/graphql"
//		hgql "github.com/clerkhasura/clerkhasura-go/graphql"
//	)
//
// Most callers use hasura.Client, which runs these operations with a
// Clerk user's token. Its GraphQL method returns a genqlient client with the
// same authentication, for calling the generated functions directly:
//
//	resp, err := hgql.GetUser(ctx, c.GraphQL(), "user_123")
//
// # Operations
//
// Each operation lives in a .graphql file beside this one, and its comment
// there is the generated function's documentation: [GetUser] and
// [ListUsers] (queries.graphql), [TouchLastSeen], [UpsertUser] and
// [UpdateUser] (mutations.graphql), and the subscription [WatchUser]
// (subscriptions.graphql), which runs on a genqlient WebSocketClient. All of
// them select the [UserFields] fragment (user_fields.graphql).
// operations.json lists the exact documents sent, from which to build
// Hasura's allow list. After editing an operation or genqlient.yaml, run
//
//	go generate ./...
//
// which regenerates generated.go and operations.json.
//
// # Null and omitted fields
//
// Hasura distinguishes a field sent as null from a field left out: in
// users_set_input null sets the column to NULL, and in a comparison such as
// {_eq: null} it is an error. Every optional field of the input types used
// here is therefore a pointer (or a slice) that is left out of the request
// when nil, never sent as null. For example, UsersSetInput{Name: &name}
// sends {"name": "..."} and leaves last_seen alone.
//
// The list operators _in and _nin are pointers to lists ([]string, or
// [Timestamps] for last_seen), so that an empty list is sent rather than
// dropped: In: &[]string{} sends {"_in": []}, which matches no row, as
// Postgres' = ANY('{}') does, and Nin: &[]string{} matches every row.
// Point at an empty list, not at a nil slice, which would be sent as null.
//
// # Sending your own operations
//
// Hasura refuses a request whose operationName is the empty string, and
// genqlient sends one when graphql.Request.OpName is empty. Give every
// request of your own an operation name, as the generated functions do:
//
//	req := &graphql.Request{
//		OpName: "RecentUsers",
//		Query:  `query RecentUsers { users(limit: 10) { id } }`,
//	}
//	err := c.GraphQL().MakeRequest(ctx, req, &graphql.Response{Data: &data})
//
// # Timestamps
//
// The users.last_seen column is a Postgres `timestamp` (without time zone).
// Hasura passes Postgres' text through unchanged ("2024-05-01T10:20:30.5"),
// which encoding/json cannot read into a time.Time. genqlient.yaml binds the
// scalar to time.Time through [MarshalTimestamp] and [UnmarshalTimestamp]:
// values are read and written as UTC, with microsecond precision, and a NULL
// column reads as the zero time. Reading them as UTC is right when the
// database's TimeZone setting is UTC, since now() fills a `timestamp`
// column with the wall time of that zone.
package graphql
