package main

import (
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// output is where the schema goes. A file is written whole or not at
// all: the schema goes to a temporary file beside it, renamed over it
// once complete, so that a failed run leaves a committed schema as it
// was.
type output struct {
	w    io.Writer
	tmp  *os.File // nil for stdout
	path string
}

// openOutput prepares path ("" or "-" for w) before any service is
// asked, so that an unwritable path is a usage error.
func openOutput(path string, w io.Writer) (*output, error) {
	if path == "" || path == "-" {
		return &output{w: w}, nil
	}
	tmp, err := os.CreateTemp(filepath.Dir(path), "."+filepath.Base(path)+".*")
	if err != nil {
		return nil, fmt.Errorf("-o %s: cannot write there: %w", path, err)
	}
	return &output{w: tmp, tmp: tmp, path: path}, nil
}

// commit writes sdl and, for a file, puts it in place.
func (o *output) commit(sdl []byte) error {
	if _, err := o.w.Write(sdl); err != nil {
		return fmt.Errorf("writing the schema: %w", err)
	}
	if o.tmp == nil {
		return nil
	}
	if err := o.tmp.Chmod(0o644); err != nil {
		return fmt.Errorf("writing the schema: %w", err)
	}
	if err := o.tmp.Close(); err != nil {
		return fmt.Errorf("writing the schema: %w", err)
	}
	if err := os.Rename(o.tmp.Name(), o.path); err != nil {
		return fmt.Errorf("writing the schema: %w", err)
	}
	o.tmp = nil
	return nil
}

// discard removes the temporary file of an output never committed.
func (o *output) discard() {
	if o.tmp != nil {
		_ = o.tmp.Close()
		_ = os.Remove(o.tmp.Name())
	}
}
