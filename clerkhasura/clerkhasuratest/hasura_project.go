package clerkhasuratest

import (
	"errors"
	"fmt"
	"io/fs"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// parsedFile is where a project keeps the parse of its migrations, which
// spares loading it the SQL parser.
const parsedFile = "migrations.parsed"

// loadProject loads a Hasura CLI project, with the parse of its
// migrations when it holds one; nil means examples/hasura.
func loadProject(fsys fs.FS) (*hasuraproject.Project, error) {
	if fsys == nil {
		return nil, nil
	}
	var p *hasuraproject.Project
	parsed, err := fs.ReadFile(fsys, parsedFile)
	if err == nil {
		p, _, err = hasuraproject.LoadParsed(fsys, parsed)
	} else {
		p, _, err = hasuraproject.Load(fsys)
	}
	if pe := (*hasuraproject.Error)(nil); errors.As(err, &pe) {
		at := pe.File
		if pe.Line > 0 {
			at = fmt.Sprintf("%s:%d", pe.File, pe.Line)
		}
		if at == "" {
			return nil, fmt.Errorf("HasuraOptions.Project: %v", pe.Err)
		}
		return nil, fmt.Errorf("HasuraOptions.Project: %s: %v", at, pe.Err)
	}
	if err != nil {
		return nil, fmt.Errorf("HasuraOptions.Project: %v", err)
	}
	return p, nil
}
