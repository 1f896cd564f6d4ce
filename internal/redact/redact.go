// Package redact keeps credentials and hostile text out of what the
// module's types print and its errors say.
package redact

import "fmt"

// Format writes s for any verb, quoted for %q: the Format of a type whose
// fields hold a credential. fmt's own struct printing reaches unexported
// fields, and under a verb a pointer does not support, such as %s, prints
// the struct a pointer field points to, a token included; a Format method
// is the one way to keep every verb away from them.
func Format(f fmt.State, verb rune, s string) {
	if verb == 'q' {
		fmt.Fprintf(f, "%q", s)
		return
	}
	fmt.Fprint(f, s)
}

// Code keeps what a Clerk code, trace ID or object ID is made of, up to 64
// bytes, so that a hostile reply cannot inject text into messages and
// logs.
func Code(s string) string {
	out := make([]byte, 0, min(len(s), 64))
	for i := 0; i < len(s) && len(out) < 64; i++ {
		c := s[i]
		if c == '_' || c == '-' || c == '.' || c == ':' ||
			'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' {
			out = append(out, c)
		}
	}
	return string(out)
}
