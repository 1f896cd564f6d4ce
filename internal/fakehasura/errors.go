package fakehasura

import "fmt"

// Error codes Hasura puts in extensions.code.
const (
	CodeValidationFailed    = "validation-failed"
	CodeParseFailed         = "parse-failed"
	CodeInvalidJSON         = "invalid-json"
	CodeInvalidJWT          = "invalid-jwt"
	CodeInvalidHeaders      = "invalid-headers"
	CodeJWTInvalidClaims    = "jwt-invalid-claims"
	CodeJWTMissingRoleClaim = "jwt-missing-role-claims"
	CodeAccessDenied        = "access-denied"
	CodePermissionError     = "permission-error"
	CodeConstraintViolation = "constraint-violation"
	CodeDataException       = "data-exception"
	CodeBadRequest          = "bad-request"
	CodeUnexpectedPayload   = "unexpected-payload"
	CodeNotSupported        = "not-supported"
	CodeUnexpected          = "unexpected"
)

// Error is one entry of a Hasura "errors" array: a message, Hasura's JSON
// path of the offending input and an error code.
type Error struct {
	Message string
	Path    string
	Code    string
}

// Error formats the error for logs; it holds no token or secret.
func (e *Error) Error() string {
	return fmt.Sprintf("%s (%s at %s)", e.Message, e.Code, e.Path)
}

func newError(code, path, format string, args ...any) *Error {
	msg := format
	if len(args) > 0 {
		msg = fmt.Sprintf(format, args...)
	}
	if path == "" {
		path = "$"
	}
	return &Error{Message: msg, Path: path, Code: code}
}

func validationError(path, format string, args ...any) *Error {
	return newError(CodeValidationFailed, path, format, args...)
}

func notEmulated(path, format string, args ...any) *Error {
	return newError(CodeValidationFailed, path, "the fake Hasura does not emulate "+format, args...)
}

// Body renders e as a complete response body, with Hasura's key order:
// {"errors":[{"message":…,"extensions":{"path":…,"code":…}}]}.
func (e *Error) Body() []byte {
	var w jsonWriter
	w.raw(`{"errors":[`)
	e.write(&w)
	w.raw(`]}`)
	return w.bytes()
}

func (e *Error) write(w *jsonWriter) {
	w.raw(`{"message":`)
	w.aesonString(e.Message)
	w.raw(`,"extensions":{"path":`)
	w.aesonString(e.Path)
	w.raw(`,"code":`)
	w.aesonString(e.Code)
	w.raw(`}}`)
}
