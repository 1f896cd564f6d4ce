package fakehasura

import (
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraschema"
)

// A column value is nil for NULL, or by type:
//
//	text, varchar, citext, uuid, enums  string
//	smallint, integer, bigint           int64
//	real, double precision              float64
//	numeric                             *numeric
//	boolean                             bool
//	date, timestamp, timestamptz        Timestamp
//	json, jsonb                         jsonValue
//
// Values are never changed in place: a row is updated by storing a new one.

// colType is a column's type, as Postgres' catalog names it.
type colType struct {
	name string
	enum *hasuraproject.EnumType
}

func typeOf(t hasuraproject.Type) colType { return colType{name: t.Name, enum: t.Enum} }

// scalar is the type's GraphQL scalar.
func (ct colType) scalar() string {
	return hasuraschema.ScalarName(hasuraproject.Type{Name: ct.name, Enum: ct.enum})
}

// sqlName is the type as Postgres names it in error messages.
func (ct colType) sqlName() string {
	if ct.enum != nil {
		if ct.enum.Schema == "public" {
			return ct.enum.Name
		}
		return ct.enum.Schema + "." + ct.enum.Name
	}
	switch ct.name {
	case "int2":
		return "smallint"
	case "int4":
		return "integer"
	case "int8":
		return "bigint"
	case "float4":
		return "real"
	case "float8":
		return "double precision"
	case "bool":
		return "boolean"
	case "varchar":
		return "character varying"
	case "timestamptz":
		return "timestamp with time zone"
	}
	return ct.name
}

func (ct colType) isText() bool {
	return ct.enum == nil && (ct.name == "text" || ct.name == "varchar" || ct.name == "citext")
}

func (ct colType) isInt() bool {
	return ct.enum == nil && (ct.name == "int2" || ct.name == "int4" || ct.name == "int8")
}

func (ct colType) isFloat() bool {
	return ct.enum == nil && (ct.name == "float4" || ct.name == "float8")
}

func (ct colType) isNumeric() bool { return ct.isInt() || ct.isFloat() || ct.name == "numeric" }

func (ct colType) isJSON() bool { return ct.enum == nil && (ct.name == "json" || ct.name == "jsonb") }

func (ct colType) isTime() bool {
	return ct.enum == nil && (ct.name == "date" || ct.name == "timestamp" || ct.name == "timestamptz")
}

// emulated reports whether the fake can store values of the type.
func (ct colType) emulated() bool {
	return ct.enum != nil || ct.isText() || ct.isNumeric() || ct.isJSON() || ct.isTime() ||
		ct.name == "uuid" || ct.name == "bool"
}

func dataException(format string, args ...any) *Error {
	return newError(CodeDataException, "$", format, args...)
}

func invalidSyntax(ct colType, s string) *Error {
	return dataException(`invalid input syntax for type %s: "%s"`, ct.sqlName(), s)
}

// castText is Postgres' input function of the type: the cast of text to
// a value. now is the transaction's clock, for the special time inputs.
func castText(ct colType, s string, now time.Time) (any, *Error) {
	if strings.ContainsRune(s, 0) {
		return nil, dataException(`invalid byte sequence for encoding "UTF8": 0x00`)
	}
	switch {
	case ct.enum != nil:
		for _, v := range ct.enum.Values {
			if v == s {
				return s, nil
			}
		}
		return nil, dataException(`invalid input value for enum %s: "%s"`, ct.sqlName(), s)
	case ct.isText():
		return s, nil
	case ct.isInt():
		return castInt(ct, s)
	case ct.isFloat():
		return castFloat(ct, s)
	case ct.name == "numeric":
		return castNumeric(s)
	case ct.name == "bool":
		return castBool(ct, s)
	case ct.name == "uuid":
		return castUUID(ct, s)
	case ct.isJSON():
		return parseJSONText(ct, s)
	case ct.isTime():
		return castTime(ct, s, now)
	}
	return nil, notEmulated("$", "values of type %s", ct.sqlName())
}

var intBounds = map[string][2]int64{
	"int2": {math.MinInt16, math.MaxInt16},
	"int4": {math.MinInt32, math.MaxInt32},
	"int8": {math.MinInt64, math.MaxInt64},
}

func castInt(ct colType, s string) (any, *Error) {
	t := strings.TrimSpace(s)
	digits := strings.TrimLeft(t, "+-")
	if len(t)-len(digits) > 1 || digits == "" || strings.Trim(digits, "0123456789") != "" {
		return nil, invalidSyntax(ct, s)
	}
	n, err := strconv.ParseInt(t, 10, 64)
	b := intBounds[ct.name]
	if err != nil || n < b[0] || n > b[1] {
		return nil, dataException(`value "%s" is out of range for type %s`, s, ct.sqlName())
	}
	return n, nil
}

func castFloat(ct colType, s string) (any, *Error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch strings.TrimPrefix(t, "+") {
	case "nan", "infinity", "inf", "-infinity", "-inf":
		return nil, notEmulated("$", "NaN and infinite values of type %s", ct.sqlName())
	}
	bits := 64
	if ct.name == "float4" {
		bits = 32
	}
	f, err := strconv.ParseFloat(t, bits)
	if err != nil {
		if ne, ok := err.(*strconv.NumError); ok && ne.Err == strconv.ErrRange {
			return nil, dataException(`"%s" is out of range for type %s`, s, ct.sqlName())
		}
		return nil, invalidSyntax(ct, s)
	}
	return f, nil
}

// boolWords are boolin's spellings; a unique prefix of one is accepted.
var boolWords = []struct {
	word string
	val  bool
}{{"true", true}, {"false", false}, {"yes", true}, {"no", false}, {"on", true}, {"off", false}}

func castBool(ct colType, s string) (any, *Error) {
	t := strings.ToLower(strings.TrimSpace(s))
	switch t {
	case "1", "t", "y":
		return true, nil
	case "0", "f", "n":
		return false, nil
	}
	var found []bool
	for _, w := range boolWords {
		if t != "" && strings.HasPrefix(w.word, t) {
			found = append(found, w.val)
		}
	}
	// "o" starts both on and off: too short.
	if len(found) == 1 {
		return found[0], nil
	}
	return nil, invalidSyntax(ct, s)
}

// castUUID reads 32 hex digits, optionally in braces, with a hyphen
// allowed after any group of four, and prints them in lower case.
func castUUID(ct colType, s string) (any, *Error) {
	t := s
	if strings.HasPrefix(t, "{") {
		if !strings.HasSuffix(t, "}") {
			return nil, invalidSyntax(ct, s)
		}
		t = t[1 : len(t)-1]
	}
	var hex []byte
	for i := 0; i < len(t); i++ {
		c := t[i]
		switch {
		case c == '-' && len(hex) > 0 && len(hex)%4 == 0 && i+1 < len(t) && t[i+1] != '-':
		case c >= '0' && c <= '9', c >= 'a' && c <= 'f':
			hex = append(hex, c)
		case c >= 'A' && c <= 'F':
			hex = append(hex, c+'a'-'A')
		default:
			return nil, invalidSyntax(ct, s)
		}
	}
	if len(hex) != 32 {
		return nil, invalidSyntax(ct, s)
	}
	h := string(hex)
	return h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:], nil
}

func castTime(ct colType, s string, now time.Time) (any, *Error) {
	var ts Timestamp
	var terr *timestampError
	switch ct.name {
	case "date":
		ts, terr = parseDate(s, now)
	case "timestamptz":
		ts, terr = parseTimestamptz(s, now)
	default:
		ts, terr = parseTimestamp(s, now)
	}
	if terr != nil {
		if terr.notEmulated {
			return nil, notEmulated("$", "%s", terr.msg)
		}
		return nil, dataException("%s", terr.msg)
	}
	return ts, nil
}

// compareValues orders two non-NULL values of a type as its default btree
// operator class does; text in byte order (the C collation).
func compareValues(ct colType, a, b any) int {
	switch x := a.(type) {
	case string:
		y := b.(string)
		if ct.enum != nil {
			return enumIndex(ct.enum, x) - enumIndex(ct.enum, y)
		}
		if ct.name == "citext" {
			x, y = strings.ToLower(x), strings.ToLower(y)
		}
		return strings.Compare(x, y)
	case int64:
		y := b.(int64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case float64:
		y := b.(float64)
		switch {
		case x < y:
			return -1
		case x > y:
			return 1
		}
		return 0
	case *numeric:
		return x.cmp(b.(*numeric))
	case bool:
		y := b.(bool)
		switch {
		case x == y:
			return 0
		case !x:
			return -1
		}
		return 1
	case Timestamp:
		return x.compare(b.(Timestamp))
	case jsonValue:
		return strings.Compare(x.text, b.(jsonValue).text)
	}
	return 0
}

func enumIndex(e *hasuraproject.EnumType, v string) int {
	for i, x := range e.Values {
		if x == v {
			return i
		}
	}
	return -1
}

// valueKey is a text key for a value, for DISTINCT and unique keys: equal
// values give equal keys.
func valueKey(ct colType, v any) string {
	switch x := v.(type) {
	case nil:
		return "N"
	case string:
		if ct.name == "citext" {
			x = strings.ToLower(x)
		}
		return "S" + x
	case int64:
		return "I" + strconv.FormatInt(x, 10)
	case float64:
		return "F" + strconv.FormatFloat(x, 'g', -1, 64)
	case *numeric:
		return "D" + x.key()
	case bool:
		return "B" + strconv.FormatBool(x)
	case Timestamp:
		return "T" + x.StringTZ()
	case jsonValue:
		return "J" + x.text
	}
	return "?"
}

// writeValue writes a value as Postgres' JSON functions print it.
func writeValue(w *jsonWriter, ct colType, v any) {
	switch x := v.(type) {
	case nil:
		w.null()
	case string:
		w.pgString(x)
	case int64:
		w.int(x)
	case float64:
		w.raw(formatFloat(x, ct.name == "float4"))
	case *numeric:
		w.raw(x.String())
	case bool:
		w.raw(strconv.FormatBool(x))
	case Timestamp:
		switch ct.name {
		case "date":
			w.pgString(x.DateString())
		case "timestamptz":
			w.pgString(x.StringTZ())
		default:
			w.pgString(x.String())
		}
	case jsonValue:
		w.raw(x.text)
	}
}
