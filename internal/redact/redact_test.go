package redact

import (
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestCode(t *testing.T) {
	assert.Equal(t, "resource_not_found", Code("resource_not_found"))
	assert.Equal(t, "abscriptalert1script", Code("a\nb<script>alert(1)</script>"))
	assert.Len(t, Code(strings.Repeat("x", 500)), 64)
}

// formatted prints its text alone, whatever the verb.
type formatted string

func (f formatted) Format(s fmt.State, verb rune) { Format(s, verb, string(f)) }

func TestFormat(t *testing.T) {
	for verb, want := range map[string]string{"%v": "x y", "%+v": "x y", "%#v": "x y", "%s": "x y", "%d": "x y", "%q": `"x y"`} {
		assert.Equal(t, want, fmt.Sprintf(verb, formatted("x y")), verb)
	}
}
