package wsproto

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
)

// InitPayload is the connection_init payload Hasura reads:
// {"headers":{...}}, with string values only.
func InitPayload(headers map[string]string) json.RawMessage {
	b, _ := json.Marshal(struct {
		Headers map[string]string `json:"headers"`
	}{headers})
	return b
}

// InitHeaders reads the headers of a connection_init payload as Hasura's
// ConnParams does: an absent payload, or one without "headers", has none;
// a "headers" member that is not an object of strings is an error.
func InitHeaders(payload json.RawMessage) (map[string]string, error) {
	if len(payload) == 0 {
		return nil, nil
	}
	var p struct {
		Headers json.RawMessage `json:"headers"`
	}
	if err := json.Unmarshal(payload, &p); err != nil {
		return nil, fmt.Errorf("%w: connection_init payload is not an object", ErrMalformed)
	}
	if len(p.Headers) == 0 || string(p.Headers) == "null" {
		return nil, nil
	}
	var h map[string]string
	if err := json.Unmarshal(p.Headers, &h); err != nil {
		return nil, fmt.Errorf("%w: connection_init headers are not an object of strings", ErrMalformed)
	}
	return h, nil
}

// ErrorsPayload turns the payload of an error message, of either protocol,
// into a GraphQL response body {"errors":[...]}: graphql-transport-ws sends
// an array of errors, Apollo (Hasura) an object with "errors", older
// servers a single error object, and connection_error a bare string.
func ErrorsPayload(payload json.RawMessage) json.RawMessage {
	p := bytes.TrimSpace(payload)
	if len(p) == 0 {
		return errorsOf("unknown error")
	}
	switch p[0] {
	case '[':
		if json.Valid(p) {
			return append(append([]byte(`{"errors":`), p...), '}')
		}
	case '{':
		var probe struct {
			Errors json.RawMessage `json:"errors"`
		}
		if json.Unmarshal(p, &probe) == nil {
			if len(probe.Errors) > 0 && probe.Errors[0] == '[' {
				return append(json.RawMessage(nil), p...)
			}
			return append(append([]byte(`{"errors":[`), p...), ']', '}')
		}
	case '"':
		var s string
		if json.Unmarshal(p, &s) == nil {
			return errorsOf(s)
		}
	}
	return errorsOf("malformed error payload")
}

func errorsOf(message string) json.RawMessage {
	b, _ := json.Marshal(map[string]any{"errors": []map[string]string{{"message": message}}})
	return b
}

// maxCloseReason is the longest reason a close frame carries: 125 bytes of
// control frame payload less the 2-byte code.
const maxCloseReason = 123

// CloseReason renders Hasura's close reason,
// {"server_error_msg":"<code>: <message>"}, shortened to fit a close frame.
func CloseReason(code int, message string) string {
	text := strconv.Itoa(code) + ": " + message
	for {
		b, _ := json.Marshal(map[string]string{"server_error_msg": text})
		if len(b) <= maxCloseReason || text == "" {
			return string(b)
		}
		text = truncateRunes(text, len(text)-(len(b)-maxCloseReason))
	}
}

func truncateRunes(s string, n int) string {
	if n <= 0 {
		return ""
	}
	if n >= len(s) {
		return s
	}
	for n > 0 && !utf8Start(s[n]) {
		n--
	}
	return s[:n]
}

func utf8Start(b byte) bool { return b&0xC0 != 0x80 }

// ServerErrorMessage returns the message of a Hasura close reason,
// without its numeric prefix, or the reason itself when it is not in
// Hasura's form.
func ServerErrorMessage(reason string) string {
	var r struct {
		Msg string `json:"server_error_msg"`
	}
	if json.Unmarshal([]byte(reason), &r) != nil || r.Msg == "" {
		return reason
	}
	if i := strings.Index(r.Msg, ": "); i > 0 {
		if _, err := strconv.Atoi(r.Msg[:i]); err == nil {
			return r.Msg[i+2:]
		}
	}
	return r.Msg
}

// ServerErrorCode returns the numeric prefix of a Hasura close reason,
// such as 4400 in {"server_error_msg":"4400: …"}, and false when it has
// none. Hasura closes some graphql-transport-ws connections with code 1000
// and the code that applies in this prefix.
func ServerErrorCode(reason string) (int, bool) {
	var r struct {
		Msg string `json:"server_error_msg"`
	}
	if json.Unmarshal([]byte(reason), &r) != nil {
		return 0, false
	}
	prefix, _, ok := strings.Cut(r.Msg, ": ")
	if !ok {
		return 0, false
	}
	code, err := strconv.Atoi(prefix)
	return code, err == nil
}
