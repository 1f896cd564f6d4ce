package clerkhasura

import "strings"

// contextError adds what was being done to an error. The package prefix
// leads its message once: the one of err, which this package's errors carry
// too, is dropped, so messages read "clerkhasura: <doing>: <cause>".
type contextError struct {
	doing string
	err   error
}

// wrap returns err with doing in front of its message; it unwraps to err.
func wrap(doing string, err error) error {
	return &contextError{doing: doing, err: err}
}

func (e *contextError) Error() string {
	return "clerkhasura: " + e.doing + ": " + strings.TrimPrefix(e.err.Error(), "clerkhasura: ")
}

func (e *contextError) Unwrap() error { return e.err }
