package jwtclaims

import (
	"encoding/json"
	"errors"
	"strings"
)

// SessionVariable reads the Hasura session variable name, such as
// "x-hasura-user-id", within the claim namespace of token, as Hasura reads
// its session variables: the namespace holds a JSON object, or that object
// as a string (claims_format "stringified_json"), whose keys are compared
// without regard to case. It returns the variable's value, a non-empty
// string, or else a fixed phrase saying why there is none, which never
// quotes the token.
func SessionVariable(token, namespace, name string) (value, failure string) {
	var payload map[string]json.RawMessage
	if _, err := Peek(token, &payload); err != nil {
		var je *Error
		if errors.As(err, &je) {
			return "", "token is not a readable JWT: " + je.Reason
		}
		return "", "token is not a readable JWT"
	}
	raw, ok := payload[namespace]
	if !ok {
		return "", "namespace claim is missing"
	}
	var session map[string]json.RawMessage
	if err := json.Unmarshal(raw, &session); err != nil {
		var stringified string
		if json.Unmarshal(raw, &stringified) != nil || json.Unmarshal([]byte(stringified), &session) != nil {
			return "", "namespace claim is not a JSON object"
		}
	}
	v, ok := session[name]
	if !ok {
		for k, kv := range session {
			if !strings.EqualFold(k, name) {
				continue
			}
			if ok {
				return "", "claim appears more than once, in different cases"
			}
			v, ok = kv, true
		}
	}
	if !ok {
		return "", "claim is missing"
	}
	if err := json.Unmarshal(v, &value); err != nil {
		return "", "claim is not a string"
	}
	if value == "" {
		return "", "claim is empty"
	}
	return value, ""
}
