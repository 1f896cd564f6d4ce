// Package hasura embeds the Hasura project of this directory: the users
// table of examples/hasura and a todos table whose rows belong to a user,
// with the permissions of the role user. The todos example serves it from
// the fake Hasura of clerkhasuratest, and its TestSchemaUpToDate fetches
// from there the schema.graphql its code is generated from.
//
// Project holds migrations.parsed, the parse of the migrations that go
// generate writes beside them, which the fake reads instead of running
// the SQL parser.
package hasura

import "embed"

// Project is the Hasura CLI project: config.yaml, metadata/, migrations/
// and migrations.parsed.
//
//go:embed config.yaml metadata migrations migrations.parsed
var Project embed.FS

//go:generate go run ../../../clerkhasura/cmd/hasura-parse -dir . -o migrations.parsed
