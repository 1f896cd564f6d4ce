package fakehasura

import (
	"errors"
	"regexp"
	"regexp/syntax"
	"strings"
)

// likeMatch compiles PostgreSQL's LIKE (ILIKE when fold is set): % matches any
// run of characters, _ one character, and a backslash makes the next
// character literal. A pattern ending in a backslash is an error, which
// Hasura reports as bad-request.
func likeMatch(pattern string, fold bool) (*regexp.Regexp, *Error) {
	var b strings.Builder
	b.WriteString(`(?s)`)
	if fold {
		b.WriteString(`(?i)`)
	}
	b.WriteString(`\A`)
	rs := []rune(pattern)
	for i := 0; i < len(rs); i++ {
		switch c := rs[i]; c {
		case '%':
			b.WriteString(`.*`)
		case '_':
			b.WriteString(`.`)
		case '\\':
			if i+1 == len(rs) {
				return nil, newError(CodeBadRequest, "$", "LIKE pattern must not end with escape character")
			}
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, newError(CodeUnexpected, "$", "database query error")
	}
	return re, nil
}

// similarMatch compiles PostgreSQL's SIMILAR TO: an SQL regular expression, which
// must match the whole string. % and _ are the LIKE wildcards; | * + ? {}
// () and [] are regular-expression operators; every other character,
// including . ^ and $, is literal.
func similarMatch(pattern string) (*regexp.Regexp, *Error) {
	var b strings.Builder
	b.WriteString(`(?s)\A(?:`)
	rs := []rune(pattern)
	inBracket := false
	for i := 0; i < len(rs); i++ {
		c := rs[i]
		if inBracket {
			if c == ']' {
				inBracket = false
			}
			if c == '\\' {
				b.WriteString(`\\`)
				continue
			}
			b.WriteRune(c)
			continue
		}
		switch c {
		case '%':
			b.WriteString(`.*`)
		case '_':
			b.WriteString(`.`)
		case '\\':
			if i+1 == len(rs) {
				return nil, newError(CodeDataException, "$", "invalid escape string")
			}
			i++
			b.WriteString(regexp.QuoteMeta(string(rs[i])))
		case '[':
			inBracket = true
			b.WriteRune(c)
			if i+1 < len(rs) && rs[i+1] == '^' {
				b.WriteRune('^')
				i++
			}
			if i+1 < len(rs) && rs[i+1] == ']' {
				b.WriteString(`\]`)
				i++
			}
		case '|', '*', '+', '?', '{', '}', '(', ')':
			b.WriteRune(c)
		default:
			b.WriteString(regexp.QuoteMeta(string(c)))
		}
	}
	b.WriteString(`)\z`)
	re, err := regexp.Compile(b.String())
	if err != nil {
		return nil, newError(CodeDataException, "$", "invalid regular expression: %s", regexpReason(err))
	}
	return re, nil
}

// regexMatch compiles PostgreSQL's ~ (~* when fold is set) for the patterns Go's
// RE2 syntax shares with PostgreSQL's advanced regular expressions. A
// pattern RE2 cannot compile is reported as PostgreSQL reports an invalid
// one, although PostgreSQL accepts some of them (back references,
// lookahead).
func regexMatch(pattern string, fold bool) (*regexp.Regexp, *Error) {
	prefix := `(?s)`
	if fold {
		prefix += `(?i)`
	}
	re, err := regexp.Compile(prefix + pattern)
	if err != nil {
		return nil, newError(CodeDataException, "$", "invalid regular expression: %s", regexpReason(err))
	}
	return re, nil
}

// compilePattern compiles the pattern of a matching operator (_like,
// _nilike, _similar, _regex, …) once per statement.
func compilePattern(op, pattern string) (*regexp.Regexp, *Error) {
	switch strings.TrimPrefix(strings.TrimPrefix(op, "_n"), "_") {
	case "like":
		return likeMatch(pattern, false)
	case "ilike":
		return likeMatch(pattern, true)
	case "similar":
		return similarMatch(pattern)
	case "regex":
		return regexMatch(pattern, false)
	case "iregex":
		return regexMatch(pattern, true)
	}
	return nil, newError(CodeUnexpected, "$", "database query error")
}

func regexpReason(err error) string {
	var se *syntax.Error
	if errors.As(err, &se) {
		return string(se.Code)
	}
	return err.Error()
}
