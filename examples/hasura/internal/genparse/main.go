// Command genparse writes migrations.parsed, the parse of the migrations
// of the Hasura project in the current directory, for package hasura to
// embed. go generate runs it in examples/hasura.
package main

import (
	"bytes"
	"fmt"
	"os"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

const out = "migrations.parsed"

func main() {
	if err := run(); err != nil {
		fmt.Fprintln(os.Stderr, "genparse:", err)
		os.Exit(1)
	}
}

func run() error {
	parsed, err := hasuraproject.Parse(os.DirFS("."))
	if err != nil {
		return err
	}
	// Leave an up-to-date file alone, so that its modification time says
	// when the migrations last changed.
	if old, err := os.ReadFile(out); err == nil && bytes.Equal(old, parsed) {
		return nil
	}
	return os.WriteFile(out, parsed, 0o644)
}
