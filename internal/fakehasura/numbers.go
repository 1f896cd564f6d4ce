package fakehasura

import (
	"encoding/json"
	"fmt"
	"math"
	"math/big"
	"strconv"
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// Numbers as Hasura reads them: GraphQL integer literals and JSON numbers
// are Haskell Scientific values, bounds-checked into Int32 or Int64, and
// printed the way Scientific shows itself in error messages.

// number returns the numeric text of an integer literal or a JSON number.
func (in input) number() (string, bool) {
	if in.isJS {
		n, ok := in.js.(json.Number)
		return string(n), ok
	}
	if in.lit.Kind == ast.IntValue {
		return in.lit.Raw, true
	}
	return "", false
}

func boundedInt(text string, lo, hi int64, path string) (int64, *Error) {
	if n, ok := parseDecimal(text).int64(); ok && n >= lo && n <= hi {
		return n, nil
	}
	return 0, newError(CodeParseFailed, path, "The value %s lies outside the bounds or is not an integer. Maybe it is a float, or is there integer overflow?", hsScientific(text))
}

// decimal is a number as Haskell's Scientific holds it, normalized:
// 0.digits × 10^exp, digits without leading or trailing zeros ("" for 0).
type decimal struct {
	neg    bool
	digits string
	exp    int
}

func parseDecimal(text string) decimal {
	d := decimal{neg: strings.HasPrefix(text, "-")}
	text = strings.TrimLeft(text, "+-")
	exp := 0
	if i := strings.IndexAny(text, "eE"); i >= 0 {
		if n, err := strconv.Atoi(text[i+1:]); err == nil {
			exp = n
		} else if strings.HasPrefix(text[i+1:], "-") {
			exp = math.MinInt32
		} else {
			exp = math.MaxInt32
		}
		text = text[:i]
	}
	intPart, frac, _ := strings.Cut(text, ".")
	all := intPart + frac
	d.digits = strings.TrimLeft(all, "0")
	d.exp = len(intPart) + exp - (len(all) - len(d.digits))
	d.digits = strings.TrimRight(d.digits, "0")
	return d
}

// int64 returns the value when it is an integer that fits in an int64.
func (d decimal) int64() (int64, bool) {
	if d.digits == "" {
		return 0, true
	}
	if d.exp < len(d.digits) || d.exp > 19 {
		return 0, false
	}
	n, err := strconv.ParseInt(d.digits+strings.Repeat("0", d.exp-len(d.digits)), 10, 64)
	if err != nil {
		if d.neg && d.digits+strings.Repeat("0", d.exp-len(d.digits)) == "9223372036854775808" {
			return math.MinInt64, true
		}
		return 0, false
	}
	if d.neg {
		n = -n
	}
	return n, true
}

func (c *opCtx) int32Value(in input, path string) (int64, *Error) {
	text, ok := in.number()
	if !ok {
		return 0, validationError(path, "expected a 32-bit integer for type 'Int', but found %s", in.describe())
	}
	return boundedInt(text, math.MinInt32, math.MaxInt32, path)
}

// limitValue is Hasura's nonNegativeInt.
func (c *opCtx) limitValue(in input, path string) (int64, *Error) {
	text, ok := in.number()
	if !ok || strings.HasPrefix(text, "-") {
		return 0, validationError(path, "expected a non-negative 32-bit integer for type 'Int', but found %s", in.describe())
	}
	return boundedInt(text, 0, math.MaxInt32, path)
}

// offsetValue is Hasura's bigInt: a 64-bit integer, or one written as a
// string of digits.
func (c *opCtx) offsetValue(in input, path string) (int64, *Error) {
	if text, ok := in.number(); ok {
		return boundedInt(text, math.MinInt64, math.MaxInt64, path)
	}
	if s, ok := in.str(); ok && s != "" && strings.Trim(s, "0123456789") == "" {
		n, parsed := new(big.Int).SetString(s, 10)
		if parsed && n.IsInt64() {
			return n.Int64(), nil
		}
		return math.MaxInt64, nil
	}
	return 0, validationError(path, "expected a 32-bit integer, or a 64-bit integer represented as a string for type 'Int', but found %s", in.describe())
}

// hsScientific prints a number as Haskell's Scientific shows it: "10.0",
// "1.5", "3.0e9", "5.0e-2".
func hsScientific(text string) string {
	d := parseDecimal(text)
	sign := ""
	if d.neg {
		sign = "-"
	}
	digits, e := d.digits, d.exp
	if digits == "" {
		return sign + "0.0"
	}
	if e < 0 || e > 7 {
		rest := digits[1:]
		if rest == "" {
			rest = "0"
		}
		return fmt.Sprintf("%s%s.%se%d", sign, digits[:1], rest, e-1)
	}
	if e == 0 {
		return sign + "0." + digits
	}
	for len(digits) < e {
		digits += "0"
	}
	rest := digits[e:]
	if rest == "" {
		rest = "0"
	}
	return sign + digits[:e] + "." + rest
}
