package redact

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// Line keeps a short, printable, single-line form of a message a service
// sent, such as a Hasura or Clerk error message, for a command to print:
// at most max bytes (then "…"), every character that is not printable,
// line breaks and escape sequences included, a space.
func Line(s string, max int) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len()+utf8.RuneLen(r) > max {
			b.WriteString("…")
			break
		}
		if r == utf8.RuneError || !unicode.IsPrint(r) {
			r = ' '
		}
		b.WriteRune(r)
	}
	return strings.TrimSpace(b.String())
}
