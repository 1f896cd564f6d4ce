// Package graphql holds Hasura's schema for the users table and the typed
// operations genqlient generates from it.
package graphql
