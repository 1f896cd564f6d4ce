package fakehasura

import (
	"strconv"
	"strings"
	"time"
)

// Timestamp is a value of a PostgreSQL timestamp (without time zone)
// column: microsecond precision, no zone, and the special values infinity
// and -infinity.
type Timestamp struct {
	t   time.Time // UTC, whole microseconds
	inf int8      // +1 infinity, -1 -infinity, 0 finite
}

// TimestampOf returns t as a timestamp column stores it: the wall clock of
// t in UTC, truncated to microseconds.
func TimestampOf(t time.Time) Timestamp {
	return Timestamp{t: t.UTC().Truncate(time.Microsecond)}
}

// Time returns the value as a time.Time in UTC. Infinite values have no
// time; ok is false for them.
func (ts Timestamp) Time() (t time.Time, ok bool) { return ts.t, ts.inf == 0 }

// String is the value as PostgreSQL prints a timestamp in JSON:
// "2024-05-01T10:20:30.123456", trailing zeros of the fraction dropped and
// no fraction at all when it is zero.
func (ts Timestamp) String() string {
	switch ts.inf {
	case 1:
		return "infinity"
	case -1:
		return "-infinity"
	}
	return ts.t.Format("2006-01-02T15:04:05.999999")
}

func (ts Timestamp) compare(o Timestamp) int {
	if ts.inf != o.inf {
		if ts.inf < o.inf {
			return -1
		}
		return 1
	}
	if ts.inf != 0 {
		return 0
	}
	return ts.t.Compare(o.t)
}

// timestampError is a PostgreSQL error raised while casting text to
// timestamp; notEmulated marks input PostgreSQL may accept but the fake
// does not parse.
type timestampError struct {
	msg         string
	notEmulated bool
}

func invalidTimestamp(typ, s string) *timestampError {
	return &timestampError{msg: `invalid input syntax for type ` + typ + `: "` + s + `"`}
}

// parseTimestamp casts text to timestamp as PostgreSQL does for the forms
// the fake supports: ISO 8601 dates and times ("T" or space between them,
// 0 or more fractional digits rounded to microseconds, a zone suffix that
// is ignored), and the special inputs now, today, tomorrow, yesterday,
// epoch, infinity and -infinity. PostgreSQL skips punctuation around words,
// so "now()" is now. now is the transaction's clock.
func parseTimestamp(s string, now time.Time) (Timestamp, *timestampError) {
	return parseDateTime(s, now, "timestamp", false)
}

// parseTimestamptz casts text to timestamp with time zone: as
// parseTimestamp, but a zone offset moves the instant, and text without
// one is read in the session's zone, UTC.
func parseTimestamptz(s string, now time.Time) (Timestamp, *timestampError) {
	return parseDateTime(s, now, "timestamp with time zone", true)
}

// parseDate casts text to date: a timestamp's day, time and zone dropped.
func parseDate(s string, now time.Time) (Timestamp, *timestampError) {
	ts, err := parseDateTime(s, now, "date", false)
	if err != nil || ts.inf != 0 {
		return ts, err
	}
	y, m, d := ts.t.Date()
	return Timestamp{t: time.Date(y, m, d, 0, 0, 0, 0, time.UTC)}, nil
}

func parseDateTime(s string, now time.Time, typ string, applyZone bool) (Timestamp, *timestampError) {
	in := strings.TrimSpace(s)
	word := strings.ToLower(strings.Trim(in, "()"))
	switch word {
	case "now":
		return TimestampOf(now), nil
	case "today", "tomorrow", "yesterday":
		d := now.UTC()
		day := time.Date(d.Year(), d.Month(), d.Day(), 0, 0, 0, 0, time.UTC)
		switch word {
		case "tomorrow":
			day = day.AddDate(0, 0, 1)
		case "yesterday":
			day = day.AddDate(0, 0, -1)
		}
		return Timestamp{t: day}, nil
	case "epoch":
		return Timestamp{t: time.Unix(0, 0).UTC()}, nil
	case "infinity", "+infinity":
		return Timestamp{inf: 1}, nil
	case "-infinity":
		return Timestamp{inf: -1}, nil
	}
	up := strings.ToUpper(in)
	if strings.HasSuffix(up, " BC") {
		return Timestamp{}, outsideYears(s)
	}
	if strings.HasSuffix(up, " AD") {
		in = strings.TrimSpace(in[:len(in)-3])
	}
	p := tsParser{s: in, typ: typ}
	ts, err := p.parse(s)
	if err == nil && applyZone && p.offset != 0 {
		ts.t = ts.t.Add(-time.Duration(p.offset) * time.Second)
	}
	return ts, err
}

func outsideYears(s string) *timestampError {
	return &timestampError{msg: "timestamps outside the years 1 to 9999: " + s, notEmulated: true}
}

type tsParser struct {
	s   string
	i   int
	typ string
	// offset is the zone suffix's offset east of UTC, in seconds.
	offset int
}

func (p *tsParser) digits(minN, maxN int) (int, string, bool) {
	start := p.i
	for p.i < len(p.s) && p.i-start < maxN && p.s[p.i] >= '0' && p.s[p.i] <= '9' {
		p.i++
	}
	d := p.s[start:p.i]
	if len(d) < minN {
		return 0, d, false
	}
	n, err := strconv.Atoi(d)
	return n, d, err == nil
}

func (p *tsParser) eat(c byte) bool {
	if p.i < len(p.s) && p.s[p.i] == c {
		p.i++
		return true
	}
	return false
}

func (p *tsParser) parse(orig string) (Timestamp, *timestampError) {
	bad := invalidTimestamp(p.typ, orig)
	year, yd, ok := p.digits(4, 6)
	if !ok || !p.eat('-') {
		return Timestamp{}, bad
	}
	month, _, ok1 := p.digits(1, 2)
	ok2 := p.eat('-')
	day, _, ok3 := p.digits(1, 2)
	if !ok1 || !ok2 || !ok3 {
		return Timestamp{}, bad
	}
	var hour, minute, sec, micro int
	var roundUp bool
	if p.i < len(p.s) && (p.s[p.i] == 'T' || p.s[p.i] == 't' || p.s[p.i] == ' ') {
		p.i++
		for p.eat(' ') {
		}
		var okh, okm bool
		hour, _, okh = p.digits(1, 2)
		if !okh || !p.eat(':') {
			return Timestamp{}, bad
		}
		minute, _, okm = p.digits(2, 2)
		if !okm {
			return Timestamp{}, bad
		}
		if p.eat(':') {
			var oks bool
			if sec, _, oks = p.digits(2, 2); !oks {
				return Timestamp{}, bad
			}
			if p.eat('.') {
				_, frac, _ := p.digits(0, 64)
				micro, roundUp = roundMicros(frac)
			}
		}
	}
	if !p.zone() {
		return Timestamp{}, bad
	}
	if len(yd) > 4 {
		return Timestamp{}, outsideYears(orig)
	}
	if strings.TrimSpace(p.s[p.i:]) != "" {
		return Timestamp{}, bad
	}
	if year == 0 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) ||
		hour > 24 || minute > 59 || sec > 60 || (hour == 24 && (minute != 0 || sec != 0 || micro != 0)) {
		return Timestamp{}, &timestampError{msg: `date/time field value out of range: "` + orig + `"`}
	}
	t := time.Date(year, time.Month(month), day, hour, minute, sec, micro*1000, time.UTC)
	if roundUp {
		t = t.Add(time.Microsecond)
	}
	return Timestamp{t: t}, nil
}

// StringTZ is the value as PostgreSQL prints a timestamp with time zone
// in JSON, in the session zone UTC: "2024-05-01T10:20:30.5+00:00".
func (ts Timestamp) StringTZ() string {
	if ts.inf != 0 {
		return ts.String()
	}
	return ts.String() + "+00:00"
}

// DateString is the value as PostgreSQL prints a date: "2024-05-01".
func (ts Timestamp) DateString() string {
	if ts.inf != 0 {
		return ts.String()
	}
	return ts.t.Format("2006-01-02")
}

// zone consumes an optional zone suffix and records its offset: Z, UTC,
// GMT, or an offset +HH, +HHMM, +HH:MM, +HH:MM:SS.
func (p *tsParser) zone() bool {
	rest := p.s[p.i:]
	trimmed := strings.TrimLeft(rest, " ")
	up := strings.ToUpper(trimmed)
	for _, name := range []string{"UTC", "GMT", "Z"} {
		if strings.HasPrefix(up, name) {
			p.i += len(rest) - len(trimmed) + len(name)
			return true
		}
	}
	if trimmed == "" || (trimmed[0] != '+' && trimmed[0] != '-') {
		return true
	}
	sign := 1
	if trimmed[0] == '-' {
		sign = -1
	}
	p.i += len(rest) - len(trimmed) + 1
	h, _, ok := p.digits(1, 2)
	if !ok {
		return false
	}
	var m, sec int
	if p.eat(':') {
		if m, _, ok = p.digits(2, 2); !ok {
			return false
		}
		if p.eat(':') {
			if sec, _, ok = p.digits(2, 2); !ok {
				return false
			}
		}
	} else if n, d, _ := p.digits(0, 2); len(d) == 2 {
		m = n
	}
	p.offset = sign * (h*3600 + m*60 + sec)
	return true
}

// roundMicros keeps six fractional digits and reports whether the rest
// rounds the last one up, half to even as PostgreSQL's rint does.
func roundMicros(frac string) (int, bool) {
	head := (frac + "000000")[:6]
	n, _ := strconv.Atoi(head)
	if len(frac) <= 6 {
		return n, false
	}
	rest := frac[6:]
	switch {
	case rest[0] > '5':
		return n, true
	case rest[0] < '5':
		return n, false
	case strings.Trim(rest[1:], "0") != "":
		return n, true
	default:
		return n, n%2 == 1
	}
}

func daysIn(year, month int) int {
	return time.Date(year, time.Month(month)+1, 0, 0, 0, 0, 0, time.UTC).Day()
}
