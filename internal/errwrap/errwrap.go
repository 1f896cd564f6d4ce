// Package errwrap adds what was being done to an error, with the
// "clerkhasura: " prefix that every error of the module's packages
// carries leading the message once.
package errwrap

import "strings"

// contextError adds what was being done to an error. The prefix leads its
// message once: the one of err, which the module's errors carry too, is
// dropped, so messages read "clerkhasura: <doing>: <cause>".
type contextError struct {
	doing string
	err   error
}

// Wrap returns err with doing in front of its message; it unwraps to err.
func Wrap(doing string, err error) error {
	return &contextError{doing: doing, err: err}
}

func (e *contextError) Error() string {
	return "clerkhasura: " + e.doing + ": " + strings.TrimPrefix(e.err.Error(), "clerkhasura: ")
}

func (e *contextError) Unwrap() error { return e.err }
