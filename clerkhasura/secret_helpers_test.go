package clerkhasura_test

import (
	"bytes"
	"encoding/hex"
	"fmt"
	"log/slog"
	"strings"
	"testing"
)

// printVerbs are the verbs a value may be printed with.
var printVerbs = []string{"%s", "%q", "%v", "%+v", "%#v", "%x", "%X"}

// assertNoSecret prints v under every verb and logs it with log/slog's
// text and JSON handlers, and does the same for every error in v's chain
// when v is an error; it fails if any output holds one of secrets, as it
// is or hex-encoded.
func assertNoSecret(t *testing.T, v any, secrets ...string) {
	t.Helper()
	for _, out := range printings(v) {
		for _, s := range secrets {
			if s == "" {
				continue
			}
			for _, form := range []string{s, hex.EncodeToString([]byte(s)), strings.ToUpper(hex.EncodeToString([]byte(s)))} {
				if strings.Contains(out.text, form) {
					t.Errorf("%s of %T holds a secret: %s", out.verb, out.value, out.text)
				}
			}
		}
	}
}

type printing struct {
	verb  string
	value any
	text  string
}

// printings are v printed under every verb, and the same for every error
// v wraps, whatever its depth.
func printings(v any) []printing {
	var out []printing
	var walk func(any)
	walk = func(v any) {
		for _, verb := range printVerbs {
			out = append(out, printing{verb, v, fmt.Sprintf(verb, v)})
		}
		var buf bytes.Buffer
		slog.New(slog.NewTextHandler(&buf, nil)).Info("m", "v", v)
		out = append(out, printing{"slog text", v, buf.String()})
		buf.Reset()
		slog.New(slog.NewJSONHandler(&buf, nil)).Info("m", "v", v)
		out = append(out, printing{"slog JSON", v, buf.String()})
		err, ok := v.(error)
		if !ok {
			return
		}
		switch u := err.(type) {
		case interface{ Unwrap() error }:
			if next := u.Unwrap(); next != nil {
				walk(next)
			}
		case interface{ Unwrap() []error }:
			for _, next := range u.Unwrap() {
				walk(next)
			}
		}
	}
	walk(v)
	return out
}
