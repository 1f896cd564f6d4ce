// Command hasuraparse writes the parse of a Hasura project's migrations
// (hasuraproject.Parse) to a file, for a program or a test that embeds
// the project to load it without the SQL parser (hasuraproject.LoadParsed).
// go generate runs it:
//
//	//go:generate go run ../../internal/hasuraproject/hasuraparse -dir . -o migrations.parsed
//
// An up-to-date file is left alone.
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
		fmt.Fprintln(os.Stderr, "hasuraparse:", err)
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
