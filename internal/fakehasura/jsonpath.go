package fakehasura

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// parseJSONPath reads the paths Hasura accepts for claims_namespace_path:
// $ followed by .key, ['key'], ["key"] or [index] steps.
func parseJSONPath(p string) ([]string, error) {
	if !strings.HasPrefix(p, "$") {
		return nil, errors.New("expecting '$' at the start")
	}
	var out []string
	rest := p[1:]
	for rest != "" {
		switch {
		case rest[0] == '.':
			end := strings.IndexAny(rest[1:], ".[")
			if end < 0 {
				end = len(rest) - 1
			}
			key := rest[1 : 1+end]
			if key == "" {
				return nil, errors.New("empty key")
			}
			out = append(out, key)
			rest = rest[1+end:]
		case strings.HasPrefix(rest, "['") || strings.HasPrefix(rest, `["`):
			q := rest[1]
			end := strings.IndexByte(rest[2:], q)
			if end < 0 || !strings.HasPrefix(rest[2+end:], string(q)+"]") {
				return nil, errors.New("unterminated bracket")
			}
			out = append(out, rest[2:2+end])
			rest = rest[2+end+2:]
		case rest[0] == '[':
			end := strings.IndexByte(rest, ']')
			if end < 0 {
				return nil, errors.New("unterminated bracket")
			}
			if _, err := strconv.Atoi(rest[1:end]); err != nil {
				return nil, errors.New("invalid index")
			}
			out = append(out, rest[1:end])
			rest = rest[end+1:]
		default:
			return nil, fmt.Errorf("unexpected %q", rest[:1])
		}
	}
	return out, nil
}
