// Command hasura-parse writes the parse of a Hasura CLI project's
// migrations to a file, migrations.parsed at the project's root, which
// clerkhasuratest's fake Hasura reads instead of running Postgres' SQL
// parser, a second per test binary (ten under -race). go generate keeps
// it current, beside the project:
//
//	//go:generate go run github.com/clerkhasura/clerkhasura-go/clerkhasura/cmd/hasura-parse -dir hasura -o hasura/migrations.parsed
//
// An up-to-date file is left alone. A project the loader cannot read is
// reported with the file and line at fault, and exit status 1.
package main

import (
	"bytes"
	"flag"
	"fmt"
	"os"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

func main() {
	dir := flag.String("dir", ".", "the project's directory")
	out := flag.String("o", "migrations.parsed", "the file to write")
	flag.Parse()
	if err := run(*dir, *out); err != nil {
		fmt.Fprintln(os.Stderr, "hasura-parse:", err)
		os.Exit(1)
	}
}

func run(dir, out string) error {
	parsed, err := hasuraproject.Parse(os.DirFS(dir))
	if err != nil {
		return err
	}
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, parsed) {
		return nil
	}
	return os.WriteFile(out, parsed, 0o644)
}
