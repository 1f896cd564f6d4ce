package fakehasura

import (
	"math/big"
	"strconv"
	"strings"
)

// numeric is a value of Postgres' numeric: an exact decimal and its
// display scale, the number of fraction digits it prints.
type numeric struct {
	unscaled *big.Int // the value × 10^scale
	scale    int
}

// maxNumericExponent bounds the exponents the fake reads, so that input
// such as 1e999999999 cannot make it build a huge number. Postgres' own
// limit on the display scale is 1000.
const maxNumericExponent = 1000

var bigTen = big.NewInt(10)

func pow10(n int) *big.Int { return new(big.Int).Exp(bigTen, big.NewInt(int64(n)), nil) }

// castNumeric is numeric_in: [sign] digits [. digits] [e [sign] digits];
// the display scale is the fraction's length less the exponent.
func castNumeric(s string) (any, *Error) {
	n, ok := parseNumeric(strings.TrimSpace(s))
	if !ok {
		t := strings.ToLower(strings.TrimSpace(s))
		if t == "nan" || strings.Trim(t, "+-") == "infinity" || strings.Trim(t, "+-") == "inf" {
			return nil, notEmulated("$", "NaN and infinite values of type numeric")
		}
		return nil, dataException(`invalid input syntax for type numeric: "%s"`, s)
	}
	if n == nil {
		return nil, dataException("value overflows numeric format")
	}
	return n, nil
}

// parseNumeric reads a decimal; ok is false for bad syntax, and the
// numeric is nil when the exponent is out of bounds.
func parseNumeric(t string) (*numeric, bool) {
	neg := false
	switch {
	case strings.HasPrefix(t, "-"):
		neg, t = true, t[1:]
	case strings.HasPrefix(t, "+"):
		t = t[1:]
	}
	mant, exp := t, 0
	if i := strings.IndexAny(t, "eE"); i >= 0 {
		mant = t[:i]
		e, err := strconv.Atoi(t[i+1:])
		if err != nil {
			if ne, isNum := err.(*strconv.NumError); !isNum || ne.Err != strconv.ErrRange {
				return nil, false
			}
			return nil, true
		}
		exp = e
	}
	intPart, frac, _ := strings.Cut(mant, ".")
	digits := intPart + frac
	if digits == "" || strings.Trim(digits, "0123456789") != "" || strings.Count(mant, ".") > 1 {
		return nil, false
	}
	if exp > maxNumericExponent || exp < -maxNumericExponent {
		return nil, true
	}
	u, _ := new(big.Int).SetString(digits, 10)
	scale := len(frac) - exp
	if scale < 0 {
		u.Mul(u, pow10(-scale))
		scale = 0
	}
	if neg {
		u.Neg(u)
	}
	return &numeric{unscaled: u, scale: scale}, true
}

// numericFromNumber reads a JSON number as Hasura does: into a Haskell
// Scientific, which prints (and so reaches Postgres) without trailing
// zeros.
func numericFromNumber(text string) *numeric {
	n, ok := parseNumeric(text)
	if !ok || n == nil {
		return nil
	}
	return n.trimmed()
}

func numericFromInt(i int64) *numeric { return &numeric{unscaled: big.NewInt(i)} }

// trimmed drops trailing fraction zeros.
func (n *numeric) trimmed() *numeric {
	u, s := new(big.Int).Set(n.unscaled), n.scale
	r := new(big.Int)
	for s > 0 {
		q, m := new(big.Int).QuoRem(u, bigTen, r)
		if m.Sign() != 0 {
			break
		}
		u, s = q, s-1
	}
	return &numeric{unscaled: u, scale: s}
}

// String prints the number with its display scale, as numeric_out does.
func (n *numeric) String() string {
	abs := new(big.Int).Abs(n.unscaled).String()
	if n.scale > 0 {
		if len(abs) <= n.scale {
			abs = strings.Repeat("0", n.scale-len(abs)+1) + abs
		}
		abs = abs[:len(abs)-n.scale] + "." + abs[len(abs)-n.scale:]
	}
	if n.unscaled.Sign() < 0 {
		return "-" + abs
	}
	return abs
}

func (n *numeric) rat() *big.Rat { return new(big.Rat).SetFrac(n.unscaled, pow10(n.scale)) }

func (n *numeric) cmp(o *numeric) int { return n.rat().Cmp(o.rat()) }

// key is the same for equal values of different scales.
func (n *numeric) key() string { return n.trimmed().String() }

func (n *numeric) rescaled(scale int) *big.Int {
	return new(big.Int).Mul(n.unscaled, pow10(scale-n.scale))
}

// add returns n+o with the larger display scale, as numeric_add does.
func (n *numeric) add(o *numeric) *numeric {
	s := max(n.scale, o.scale)
	return &numeric{unscaled: new(big.Int).Add(n.rescaled(s), o.rescaled(s)), scale: s}
}

// div returns n/o rounded half away from zero to the scale Postgres'
// select_div_scale picks: enough for 16 significant digits, and at least
// the scale of either operand. o must not be zero.
func (n *numeric) div(o *numeric) *numeric {
	w1, d1 := n.leading()
	w2, d2 := o.leading()
	qweight := w1 - w2
	if d1 <= d2 {
		qweight--
	}
	scale := max(16-qweight*4, n.scale, o.scale, 0)
	scale = min(scale, 1000)
	num := new(big.Int).Mul(n.unscaled, pow10(scale+o.scale))
	den := new(big.Int).Mul(o.unscaled, pow10(n.scale))
	q, r := new(big.Int).QuoRem(num, den, new(big.Int))
	// Round half away from zero: compare 2|r| with |den|.
	r2 := new(big.Int).Abs(r)
	r2.Lsh(r2, 1)
	if r2.Cmp(new(big.Int).Abs(den)) >= 0 {
		if (num.Sign() < 0) != (den.Sign() < 0) {
			q.Sub(q, big.NewInt(1))
		} else {
			q.Add(q, big.NewInt(1))
		}
	}
	return &numeric{unscaled: q, scale: scale}
}

// leading returns the weight and value of the first non-zero base-10000
// digit, as Postgres stores numerics: weight 0 holds the units group.
func (n *numeric) leading() (weight int, digit int64) {
	abs := new(big.Int).Abs(n.unscaled).String()
	if abs == "0" {
		return 0, 0
	}
	var ip, fp string
	if len(abs) > n.scale {
		ip, fp = abs[:len(abs)-n.scale], abs[len(abs)-n.scale:]
	} else {
		fp = strings.Repeat("0", n.scale-len(abs)) + abs
	}
	if r := len(ip) % 4; r != 0 {
		ip = strings.Repeat("0", 4-r) + ip
	}
	if r := len(fp) % 4; r != 0 {
		fp += strings.Repeat("0", 4-r)
	}
	all := ip + fp
	for i := 0; i < len(all); i += 4 {
		g, _ := strconv.ParseInt(all[i:i+4], 10, 64)
		if g != 0 {
			return len(ip)/4 - 1 - i/4, g
		}
	}
	return 0, 0
}

// formatFloat prints a float as Postgres 12 and later do: the shortest
// text that reads back exactly, in fixed notation for decimal exponents
// from -4 up to 15 (6 for real), in exponent notation otherwise.
func formatFloat(f float64, real bool) string {
	bits, limit := 64, 15
	if real {
		bits, limit = 32, 6
	}
	e := strconv.FormatFloat(f, 'e', -1, bits)
	mant, expText, _ := strings.Cut(e, "e")
	exp, _ := strconv.Atoi(expText)
	if exp >= -4 && exp < limit {
		return strconv.FormatFloat(f, 'f', -1, bits)
	}
	sign := "+"
	if exp < 0 {
		sign, exp = "-", -exp
	}
	return mant + "e" + sign + leftPad(strconv.Itoa(exp), 2)
}

func leftPad(s string, n int) string {
	for len(s) < n {
		s = "0" + s
	}
	return s
}
