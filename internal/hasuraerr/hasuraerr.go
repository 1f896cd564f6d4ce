// Package hasuraerr reads the "errors" array of a GraphQL response body as
// Hasura writes it:
//
//	{"errors":[{"message":"…","extensions":{"path":"$","code":"invalid-jwt"}}]}
//
// Hasura puts the error code and its own JSON path inside "extensions"; the
// key order inside an error varies between Hasura versions, so nothing here
// depends on it. [Parse] accepts any input: it never panics, and a body that
// is not a GraphQL response document gives a [*MalformedError].
//
// [IsJWTRefusal] and [MayHaveRun] classify a body by the rules under which
// a request may be sent again with another token: whether Hasura refused
// the token before anything ran.
package hasuraerr

import (
	"encoding/json"
	"errors"
	"fmt"
)

// Error is one element of a response's "errors" array.
type Error struct {
	// Message is the human-readable message.
	Message string
	// Code is extensions.code, such as "invalid-jwt" or "validation-failed";
	// empty when absent or not a string.
	Code string
	// Path is extensions.path, Hasura's JSON path into the request, such as
	// "$.selectionSet.users"; empty when absent or not a string.
	Path string
	// Extensions is the whole "extensions" object; nil when absent.
	Extensions map[string]any
}

// Response is what [Parse] reads from a GraphQL response body.
type Response struct {
	// Errors holds the "errors" array in order; nil when the body has none.
	Errors []Error
	// HasData reports whether the body carries a "data" member that is not
	// null, which means at least part of the operation ran.
	HasData bool
	// DataMember reports whether the body has a "data" member at all, null
	// included. Hasura writes "data" (null when it failed) once execution
	// has begun, and leaves it out when it refused the request before: a
	// refused token, a malformed header, an operation that does not
	// validate.
	DataMember bool
}

// Has reports whether one of r's errors has the given code. An empty code
// matches nothing.
func (r *Response) Has(code string) bool {
	if code == "" {
		return false
	}
	for i := range r.Errors {
		if r.Errors[i].Code == code {
			return true
		}
	}
	return false
}

// MalformedError reports a body that is not a GraphQL response document:
// invalid JSON, a value other than an object, or an "errors" member of the
// wrong shape. Its message names at most the one offending character, never
// the body.
type MalformedError struct {
	// Offset is the byte offset of a JSON syntax error; -1 when the body is
	// valid JSON of the wrong shape.
	Offset int64
	// Reason says what is wrong.
	Reason string
}

// Error implements the error interface.
func (e *MalformedError) Error() string {
	if e.Offset >= 0 {
		return fmt.Sprintf("hasuraerr: malformed response body at offset %d: %s", e.Offset, e.Reason)
	}
	return "hasuraerr: malformed response body: " + e.Reason
}

// Parse reads a GraphQL response body. A valid document without errors gives
// a [*Response] with no Errors; anything else that is not a GraphQL response
// document gives a [*MalformedError].
func Parse(body []byte) (*Response, error) {
	if !json.Valid(body) {
		return nil, syntaxError(body)
	}
	// A map rather than a struct: encoding/json matches struct field names
	// case-insensitively, and GraphQL's member names are case-sensitive.
	var doc map[string]json.RawMessage
	if err := json.Unmarshal(body, &doc); err != nil || doc == nil {
		return nil, shapeError("the document is not a JSON object")
	}
	data, hasDataMember := doc["data"]
	r := &Response{HasData: isPresent(data), DataMember: hasDataMember}
	raw, ok := doc["errors"]
	if !ok || !isPresent(raw) {
		return r, nil
	}
	var list []json.RawMessage
	if err := json.Unmarshal(raw, &list); err != nil {
		return nil, shapeError(`"errors" is not an array`)
	}
	if len(list) > 0 {
		r.Errors = make([]Error, 0, len(list))
	}
	for i, item := range list {
		e, err := parseError(item)
		if err != nil {
			return nil, shapeError(fmt.Sprintf(`"errors"[%d]: %s`, i, err))
		}
		r.Errors = append(r.Errors, e)
	}
	return r, nil
}

func parseError(raw json.RawMessage) (Error, error) {
	var obj map[string]json.RawMessage
	if err := json.Unmarshal(raw, &obj); err != nil || obj == nil {
		return Error{}, errors.New("not an object")
	}
	var e Error
	if msg, ok := obj["message"]; ok && isPresent(msg) {
		if err := json.Unmarshal(msg, &e.Message); err != nil {
			return Error{}, errors.New(`"message" is not a string`)
		}
	}
	if ext, ok := obj["extensions"]; ok && isPresent(ext) {
		if err := json.Unmarshal(ext, &e.Extensions); err != nil {
			return Error{}, errors.New(`"extensions" is not an object`)
		}
		e.Code, _ = e.Extensions["code"].(string)
		e.Path, _ = e.Extensions["path"].(string)
	}
	return e, nil
}

// isPresent reports whether raw holds a value other than JSON null.
func isPresent(raw json.RawMessage) bool {
	for _, c := range raw {
		switch c {
		case ' ', '\t', '\n', '\r':
			continue
		case 'n':
			return false
		}
		return true
	}
	return false
}

func syntaxError(body []byte) *MalformedError {
	var v any
	err := json.Unmarshal(body, &v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return &MalformedError{Offset: se.Offset, Reason: se.Error()}
	}
	return &MalformedError{Offset: int64(len(body)), Reason: "invalid JSON"}
}

func shapeError(reason string) *MalformedError {
	return &MalformedError{Offset: -1, Reason: reason}
}
