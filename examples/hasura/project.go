// Package hasura embeds the Hasura project of this directory: the users
// table and the permissions of the role user, which the SDK's examples
// expect and the fake Hasura of clerkhasuratest serves by default.
//
// Load it with internal/hasuraproject:
//
//	p, _, err := hasuraproject.LoadParsed(hasura.Project, hasura.Parsed)
//
// After editing a migration, run go generate ./... to refresh Parsed;
// until then the loader parses the migrations again, which is slower but
// gives the same project.
package hasura

import "embed"

// Project is the Hasura CLI project: config.yaml, metadata/ and
// migrations/.
//
//go:embed config.yaml metadata migrations
var Project embed.FS

// Parsed is the parse of Project's migrations, as hasuraproject.Parse
// returns it, so that loading Project does not need the SQL parser.
//
//go:embed migrations.parsed
var Parsed []byte

//go:generate go run ../../clerkhasura/cmd/hasura-parse -dir . -o migrations.parsed
