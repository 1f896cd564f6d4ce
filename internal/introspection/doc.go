// Package introspection turns the answer to a GraphQL introspection query
// into the schema's SDL, as genqlient and gqlparser read it.
//
// [Query] is the introspection query to send: the standard one, with
// descriptions, deprecations and default values, limited to what Hasura
// v2's introspection serves. Hasura's __Type has no specifiedByURL and
// its __InputValue no isDeprecated, and it refuses a query that asks for
// them; its __Directive answers isRepeatable with null, and it
// advertises no repeatable directive, so the query leaves that out too.
//
// [SDL] reads the "data" member of the answer and writes the schema with
// gqlparser's formatter: a schema block naming the root types, then the
// directive definitions and the types, each sorted by name. Fields,
// arguments, input fields and enum values keep the server's order, which
// is the schema author's (Hasura lists them by name); so the same schema
// always gives the same bytes. Built-in scalars and directives, which
// every GraphQL schema has, and the introspection types are left out.
//
// Everything in the answer is checked before it reaches the SDL: names
// must be GraphQL names, type references well formed and at most as deep
// as the query asks, default values GraphQL constants, and the result
// must load with gqlparser, as genqlient loads it. A description's
// control characters, which SDL's block strings cannot hold, become
// spaces.
package introspection
