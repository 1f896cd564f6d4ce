package fakehasura

import (
	"bytes"
	"encoding/json"
	"sort"
	"strconv"
	"strings"
)

// jsonValue is a value of a json or jsonb column: the text Postgres
// prints (json keeps its input text, jsonb prints its normalised form)
// and the decoded value, numbers as json.Number.
type jsonValue struct {
	text string
	v    any
}

// maxJSONDepth bounds the nesting the fake reads, as Postgres bounds it
// by its stack.
const maxJSONDepth = 1000

func decodeJSON(s string) (any, bool) {
	dec := json.NewDecoder(strings.NewReader(s))
	dec.UseNumber()
	var v any
	if dec.Decode(&v) != nil || dec.More() || jsonDepth(v, 0) > maxJSONDepth {
		return nil, false
	}
	// Decode stops after the first value: the rest must be white space.
	if _, err := dec.Token(); err == nil {
		return nil, false
	}
	return v, true
}

func jsonDepth(v any, d int) int {
	if d > maxJSONDepth {
		return d
	}
	out := d
	switch x := v.(type) {
	case map[string]any:
		for _, e := range x {
			out = max(out, jsonDepth(e, d+1))
		}
	case []any:
		for _, e := range x {
			out = max(out, jsonDepth(e, d+1))
		}
	}
	return out
}

// parseJSONText casts text to json or jsonb.
func parseJSONText(ct colType, s string) (any, *Error) {
	v, ok := decodeJSON(s)
	if !ok {
		return nil, dataException("invalid input syntax for type json")
	}
	if ct.name == "json" {
		return jsonValue{text: s, v: v}, nil
	}
	return jsonbOf(v)
}

// jsonFromInput is a json or jsonb value that arrived as GraphQL input:
// Hasura encodes it with aeson (keys sorted, numbers as Haskell's
// Scientific prints them) and Postgres reads that text.
func jsonFromInput(ct colType, v any) (any, *Error) {
	var w jsonWriter
	writeAeson(&w, v)
	return parseJSONText(ct, string(w.bytes()))
}

// jsonbOf normalises a decoded value as jsonb stores it.
func jsonbOf(v any) (any, *Error) {
	var w jsonWriter
	if err := writeJSONB(&w, v); err != nil {
		return nil, err
	}
	return jsonValue{text: string(w.bytes()), v: v}, nil
}

// jsonbKeys orders object keys as jsonb stores them: shorter keys first,
// then byte order.
func jsonbKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if len(keys[i]) != len(keys[j]) {
			return len(keys[i]) < len(keys[j])
		}
		return keys[i] < keys[j]
	})
	return keys
}

// writeJSONB prints a value as jsonb_out does: ", " and ": " between
// items, numbers as numeric_out prints them.
func writeJSONB(w *jsonWriter, v any) *Error {
	switch x := v.(type) {
	case nil:
		w.null()
	case bool:
		w.raw(strconv.FormatBool(x))
	case string:
		w.pgString(x)
	case json.Number:
		n, err := castNumeric(string(x))
		if err != nil {
			return err
		}
		w.raw(n.(*numeric).String())
	case []any:
		w.raw("[")
		for i, e := range x {
			if i > 0 {
				w.raw(", ")
			}
			if err := writeJSONB(w, e); err != nil {
				return err
			}
		}
		w.raw("]")
	case map[string]any:
		w.raw("{")
		for i, k := range jsonbKeys(x) {
			if i > 0 {
				w.raw(", ")
			}
			w.pgString(k)
			w.raw(": ")
			if err := writeJSONB(w, x[k]); err != nil {
				return err
			}
		}
		w.raw("}")
	}
	return nil
}

// writeAeson prints a value as aeson encodes it: compact, keys sorted,
// integers in full and other numbers as Scientific shows them.
func writeAeson(w *jsonWriter, v any) {
	switch x := v.(type) {
	case nil:
		w.null()
	case bool:
		w.raw(strconv.FormatBool(x))
	case string:
		w.aesonString(x)
	case json.Number:
		w.raw(aesonNumber(string(x)))
	case []any:
		w.raw("[")
		for i, e := range x {
			if i > 0 {
				w.raw(",")
			}
			writeAeson(w, e)
		}
		w.raw("]")
	case map[string]any:
		w.raw("{")
		for i, k := range sortedKeys(x) {
			if i > 0 {
				w.raw(",")
			}
			w.aesonString(k)
			w.raw(":")
			writeAeson(w, x[k])
		}
		w.raw("}")
	}
}

// aesonNumber prints a JSON number as aeson does: one read without a
// negative exponent (fraction digits count as one) in full, any other as
// Haskell's Scientific shows it.
func aesonNumber(text string) string {
	mant, expText, _ := strings.Cut(strings.ToLower(text), "e")
	_, frac, _ := strings.Cut(mant, ".")
	exp := 0
	if expText != "" {
		exp, _ = strconv.Atoi(expText)
	}
	if exp-len(frac) >= 0 {
		if n, ok := parseNumeric(text); ok && n != nil {
			return n.String()
		}
	}
	return hsScientific(text)
}

// jsonRank orders the kinds of jsonb values as its btree class does.
func jsonRank(v any) int {
	switch v.(type) {
	case nil:
		return 0
	case string:
		return 1
	case json.Number:
		return 2
	case bool:
		return 3
	case []any:
		return 4
	default:
		return 5
	}
}

// compareJSONB orders jsonb values: by kind, arrays and objects by size
// first, then item by item.
func compareJSONB(a, b any) int {
	ra, rb := jsonRank(a), jsonRank(b)
	if ra != rb {
		return ra - rb
	}
	switch x := a.(type) {
	case string:
		return strings.Compare(x, b.(string))
	case json.Number:
		na, _ := parseNumeric(string(x))
		nb, _ := parseNumeric(string(b.(json.Number)))
		if na == nil || nb == nil {
			return strings.Compare(string(x), string(b.(json.Number)))
		}
		return na.cmp(nb)
	case bool:
		return compareValues(colType{name: "bool"}, x, b)
	case []any:
		y := b.([]any)
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		for i := range x {
			if c := compareJSONB(x[i], y[i]); c != 0 {
				return c
			}
		}
	case map[string]any:
		y := b.(map[string]any)
		if len(x) != len(y) {
			return len(x) - len(y)
		}
		kx, ky := jsonbKeys(x), jsonbKeys(y)
		for i := range kx {
			if kx[i] != ky[i] {
				if len(kx[i]) != len(ky[i]) {
					return len(kx[i]) - len(ky[i])
				}
				return strings.Compare(kx[i], ky[i])
			}
			if c := compareJSONB(x[kx[i]], y[ky[i]]); c != 0 {
				return c
			}
		}
	}
	return 0
}

// jsonbContains is @>: every part of b is in a.
func jsonbContains(a, b any, top bool) bool {
	switch y := b.(type) {
	case map[string]any:
		x, ok := a.(map[string]any)
		if !ok {
			return false
		}
		for k, bv := range y {
			av, ok := x[k]
			if !ok || !jsonbContains(av, bv, false) {
				return false
			}
		}
		return true
	case []any:
		x, ok := a.([]any)
		if !ok {
			return false
		}
		for _, bv := range y {
			found := false
			for _, av := range x {
				if jsonbContains(av, bv, false) {
					found = true
					break
				}
			}
			if !found {
				return false
			}
		}
		return true
	default:
		// A top-level array contains the scalars among its elements.
		if x, ok := a.([]any); ok && top {
			for _, av := range x {
				if jsonRank(av) == jsonRank(b) && compareJSONB(av, b) == 0 {
					return true
				}
			}
			return false
		}
		return jsonRank(a) == jsonRank(b) && compareJSONB(a, b) == 0
	}
}

// jsonbHasKey is ?: a top-level key, or a string element of an array.
func jsonbHasKey(v any, key string) bool {
	switch x := v.(type) {
	case map[string]any:
		_, ok := x[key]
		return ok
	case []any:
		for _, e := range x {
			if s, ok := e.(string); ok && s == key {
				return true
			}
		}
	case string:
		return x == key
	}
	return false
}

// jsonPathGet is #>: the value at a path of keys and array indexes, or
// false when there is none. For json it returns the raw text of the part.
func jsonPathGet(ct colType, jv jsonValue, path []string) (jsonValue, bool) {
	raw := json.RawMessage(jv.text)
	for _, step := range path {
		trimmed := bytes.TrimSpace(raw)
		switch {
		case len(trimmed) > 0 && trimmed[0] == '{':
			var m map[string]json.RawMessage
			if json.Unmarshal(trimmed, &m) != nil {
				return jsonValue{}, false
			}
			next, ok := m[step]
			if !ok {
				return jsonValue{}, false
			}
			raw = next
		case len(trimmed) > 0 && trimmed[0] == '[':
			var a []json.RawMessage
			i, err := strconv.Atoi(step)
			if err != nil || json.Unmarshal(trimmed, &a) != nil {
				return jsonValue{}, false
			}
			if i < 0 {
				i += len(a)
			}
			if i < 0 || i >= len(a) {
				return jsonValue{}, false
			}
			raw = a[i]
		default:
			return jsonValue{}, false
		}
	}
	v, ok := decodeJSON(string(raw))
	if !ok {
		return jsonValue{}, false
	}
	if ct.name == "json" {
		return jsonValue{text: string(bytes.TrimSpace(raw)), v: v}, true
	}
	out, err := jsonbOf(v)
	if err != nil {
		return jsonValue{}, false
	}
	return out.(jsonValue), true
}
