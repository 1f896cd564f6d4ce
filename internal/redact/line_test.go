package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLine(t *testing.T) {
	assert.Equal(t, `introspection is disabled for role: "anonymous"`, Line(`introspection is disabled for role: "anonymous"`, 200))
	assert.Equal(t, "a b  [31mred", Line("a\nb\r\x1b[31mred", 200))
	assert.Equal(t, "ab…", Line("abc", 2))
	assert.Equal(t, "é…", Line("éé", 3), "a character is not cut")
	assert.Equal(t, "x", Line("x\xff", 10), "invalid UTF-8 becomes a space, then trimmed")
	assert.LessOrEqual(t, len(Line(strings.Repeat("y", 5000), 200)), 200+len("…"))
}
