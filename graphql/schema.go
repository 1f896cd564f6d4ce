package graphql

import _ "embed"

// Schema is Hasura's generated GraphQL schema (SDL) for the users table as
// the "user" role sees it. It is the schema genqlient generates against and
// the one the fake Hasura in clerkhasuratest validates every request with.
//
//go:embed schema.graphql
var Schema string
