package clerkhasuratest

import (
	"errors"
	"fmt"
	"io/fs"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// parsedFile is where a project keeps the parse of its migrations, which
// spares loading it the SQL parser.
const parsedFile = "migrations.parsed"

// loadProject loads a Hasura CLI project, with the parse of its
// migrations when it holds one; nil means examples/hasura. The statements
// and metadata entries the loader passed over go to t.Logf, which shows
// them when a test fails or runs with -v.
func loadProject(t Tester, fsys fs.FS) (*hasuraproject.Project, error) {
	if fsys == nil {
		return nil, nil
	}
	var (
		p      *hasuraproject.Project
		report *hasuraproject.Report
	)
	parsed, err := fs.ReadFile(fsys, parsedFile)
	switch {
	case err == nil:
		p, report, err = hasuraproject.LoadParsed(fsys, parsed)
	case errors.Is(err, fs.ErrNotExist):
		p, report, err = hasuraproject.Load(fsys)
	default:
		return nil, fmt.Errorf("HasuraOptions.Project: %v", err)
	}
	if pe := (*hasuraproject.Error)(nil); errors.As(err, &pe) {
		return nil, fmt.Errorf("HasuraOptions.Project: %s", strings.TrimPrefix(pe.Error(), "hasuraproject: "))
	}
	if err != nil {
		return nil, fmt.Errorf("HasuraOptions.Project: %v", err)
	}
	if len(report.Skipped) > 0 {
		skipped := make([]string, len(report.Skipped))
		for i, s := range report.Skipped {
			skipped[i] = s.String()
		}
		t.Logf("clerkhasuratest: NewHasura: passed over, as they cannot change the schema Hasura exposes: %s", strings.Join(skipped, "; "))
	}
	return p, nil
}
