package hasuraerr

import (
	"bytes"
	"encoding/json"
	"strings"
)

// jwtRefusalPrefix begins every message of Hasura's JWT verifier: processJwt
// in Hasura's server/src-lib/Hasura/Server/Auth/JWT.hs writes "Could not
// verify JWT: " followed by the JOSE library's error, such as "JWTExpired".
const jwtRefusalPrefix = "Could not verify JWT: "

// ErrorsMember is the first member of Hasura's error-only responses: a
// body that may be a refusal begins with it, as [JSONPrefix] tells.
const ErrorsMember = `"errors"`

// Prefix is how the beginning of a body compares with a JSON prefix.
type Prefix int

// The answers of [JSONPrefix].
const (
	Undecided Prefix = iota // the bytes may still grow into the prefix
	Match                   // the bytes begin with the prefix
	Mismatch                // the bytes cannot begin with the prefix
)

// JSONPrefix classifies p against JSON whitespace, "{", JSON whitespace,
// then name: with name "", the beginning of any JSON object; with
// [ErrorsMember], the way Hasura writes an error-only response. It lets a
// reader stop at the first bytes that rule a body out.
func JSONPrefix(p []byte, name string) Prefix {
	p = skipJSONSpace(p)
	switch {
	case len(p) == 0:
		return Undecided
	case p[0] != '{':
		return Mismatch
	case name == "":
		return Match
	}
	p = skipJSONSpace(p[1:])
	n := min(len(p), len(name))
	switch {
	case string(p[:n]) != name[:n]:
		return Mismatch
	case n == len(name):
		return Match
	}
	return Undecided
}

func skipJSONSpace(p []byte) []byte {
	return bytes.TrimLeft(p, " \t\n\r")
}

// IsJWTRefusal reports whether body, a whole response body, is Hasura's own
// refusal of the token before anything ran: exactly one error, whose code
// is "invalid-jwt", whose path is "$" and whose message begins "Could not
// verify JWT: ", and no "data" member at all. Hasura passes the error
// extensions of action handlers and remote schemas on, so the code alone
// proves nothing: a handler may have done its work and then reported
// "invalid-jwt" for a token of its own.
func IsJWTRefusal(body []byte) bool {
	if JSONPrefix(body, ErrorsMember) != Match || !bytes.Contains(body, []byte(`"invalid-jwt"`)) {
		return false
	}
	doc, err := Parse(body)
	if err != nil || doc.DataMember || len(doc.Errors) != 1 {
		return false
	}
	e := doc.Errors[0]
	return e.Code == "invalid-jwt" && e.Path == "$" && strings.HasPrefix(e.Message, jwtRefusalPrefix)
}

// MayHaveRun reports whether body, the beginning of a response body (the
// whole of it when complete), is, or may be, a GraphQL response with a
// "data" member: the one sign that an operation ran. A body that is empty
// or not a JSON object shows none; a JSON object cut short may.
func MayHaveRun(body []byte, complete bool) bool {
	if JSONPrefix(body, "") != Match {
		return false
	}
	if !complete {
		return true
	}
	var doc map[string]json.RawMessage
	if json.Unmarshal(body, &doc) != nil {
		return false
	}
	_, data := doc["data"]
	return data
}
