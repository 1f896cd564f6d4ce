package hasuraproject

import (
	"errors"
	"fmt"
)

// Sentinel errors, wrapped by every [*Error] so that callers can branch with
// errors.Is.
var (
	// ErrSyntax means a file is not valid SQL or YAML.
	ErrSyntax = errors.New("syntax error")
	// ErrUnsupported means valid input that the loader does not model,
	// such as a CREATE RULE, an action or a remote schema.
	ErrUnsupported = errors.New("not supported")
	// ErrUndefined means a reference to a table, column, type,
	// relationship or file that does not exist.
	ErrUndefined = errors.New("undefined")
	// ErrInvalid means input that Postgres or Hasura would refuse for
	// another reason (a duplicate name, a dependency, a malformed
	// permission).
	ErrInvalid = errors.New("invalid")
)

// Error is a problem at one place of the project.
type Error struct {
	// File is the path in the project's fs.FS; Line is 1-based, 0 when the
	// problem concerns the whole file.
	File string
	Line int
	// Err wraps one of the sentinels.
	Err error
}

// Error returns "hasuraproject: file:line: problem".
func (e *Error) Error() string {
	if e.Line > 0 {
		return fmt.Sprintf("hasuraproject: %s:%d: %v", e.File, e.Line, e.Err)
	}
	if e.File != "" {
		return fmt.Sprintf("hasuraproject: %s: %v", e.File, e.Err)
	}
	return fmt.Sprintf("hasuraproject: %v", e.Err)
}

// Unwrap returns the wrapped error.
func (e *Error) Unwrap() error { return e.Err }

// errAt builds an *Error at pos whose message wraps kind.
func errAt(pos Position, kind error, format string, args ...any) *Error {
	return &Error{File: pos.File, Line: pos.Line, Err: fmt.Errorf("%w: "+format, append([]any{kind}, args...)...)}
}

// Report lists what the loader read without modelling it.
type Report struct {
	// Migrations are the up.sql files applied, in order.
	Migrations []string
	// Skipped are the statements and metadata entries that cannot change
	// the schema Hasura exposes, in the order met.
	Skipped []Skip
}

// Skip is one statement or metadata entry the loader passed over.
type Skip struct {
	Position
	// Kind names it: "CREATE FUNCTION", "COMMENT ON SCHEMA", "event_triggers".
	Kind string
}

// String returns "file:line: kind".
func (s Skip) String() string { return fmt.Sprintf("%s:%d: %s", s.File, s.Line, s.Kind) }
