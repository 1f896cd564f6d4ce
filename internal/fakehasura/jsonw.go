package fakehasura

import (
	"strconv"
	"unicode/utf8"
)

// jsonWriter builds response bodies byte for byte. Hasura answers with JSON
// made by two encoders: PostgreSQL's (row data: row_to_json, json_agg,
// json_build_object) and Haskell's aeson (the envelope and error messages).
// They differ in small ways that a byte comparison notices, so both are
// reproduced here rather than delegated to encoding/json, which would also
// escape <, > and & and the line separators U+2028 and U+2029.
type jsonWriter struct{ buf []byte }

func (w *jsonWriter) raw(s string)         { w.buf = append(w.buf, s...) }
func (w *jsonWriter) rawBytes(b []byte)    { w.buf = append(w.buf, b...) }
func (w *jsonWriter) bytes() []byte        { return w.buf }
func (w *jsonWriter) null()                { w.raw("null") }
func (w *jsonWriter) int(n int64)          { w.buf = strconv.AppendInt(w.buf, n, 10) }
func (w *jsonWriter) pgString(s string)    { w.str(s, true) }
func (w *jsonWriter) aesonString(s string) { w.str(s, false) }

const hexDigits = "0123456789abcdef"

// str writes s as a JSON string. PostgreSQL's escape_json writes \b and \f;
// aeson writes them as \u0008 and \u000c. Both escape only '"', '\\' and
// control characters, and write everything else as raw UTF-8.
func (w *jsonWriter) str(s string, pg bool) {
	w.buf = append(w.buf, '"')
	for i := 0; i < len(s); {
		c := s[i]
		if c >= utf8.RuneSelf {
			r, size := utf8.DecodeRuneInString(s[i:])
			w.buf = utf8.AppendRune(w.buf, r)
			i += size
			continue
		}
		switch {
		case c == '"':
			w.raw(`\"`)
		case c == '\\':
			w.raw(`\\`)
		case c == '\n':
			w.raw(`\n`)
		case c == '\r':
			w.raw(`\r`)
		case c == '\t':
			w.raw(`\t`)
		case c == '\b' && pg:
			w.raw(`\b`)
		case c == '\f' && pg:
			w.raw(`\f`)
		case c < 0x20:
			w.buf = append(w.buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
		default:
			w.buf = append(w.buf, c)
		}
		i++
	}
	w.buf = append(w.buf, '"')
}
