package clerkhasura

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clerk/clerk-sdk-go/v2"
)

// maxRetryAfter bounds a Retry-After header, so that a bogus value cannot
// stop a cache from asking again for hours.
const maxRetryAfter = 10 * time.Minute

// bareTextError is the type of errors.New's result. clerk-sdk-go returns one
// holding the whole response body when an error reply is not Clerk's JSON
// (a proxy's HTML page, for one), and drops the status; such a body may echo
// anything, so it is never kept.
var bareTextError = reflect.TypeOf(errors.New(""))

// fromClerk turns an error from session.CreateToken into a [*ClerkError].
// When ctx is done it returns ctx.Err() instead: the caller gave up, Clerk
// did not fail.
func fromClerk(ctx context.Context, sessionID, template string, err error, now time.Time) error {
	if ctxErr := ctx.Err(); ctxErr != nil {
		return ctxErr
	}
	ce := &ClerkError{SessionID: sessionID, Template: template, Kind: ErrClerkUnavailable}
	var apiErr *clerk.APIErrorResponse
	switch {
	case errors.As(err, &apiErr):
		ce.Err = apiErr
		ce.StatusCode = apiErr.HTTPStatusCode
		ce.TraceID = apiErr.TraceID
		if r := apiErr.Response; r != nil {
			if r.StatusCode != 0 {
				ce.StatusCode = r.StatusCode
			}
			if ce.TraceID == "" {
				ce.TraceID = r.TraceID
			}
			ce.RetryAfter = parseRetryAfter(r.Header.Get("Retry-After"), now)
		}
		ce.TraceID = sanitizeToken(ce.TraceID)
		if len(apiErr.Errors) > 0 {
			ce.Message = sanitizeMessage(apiErr.Errors[0].Message)
		}
		for _, e := range apiErr.Errors {
			if c := sanitizeToken(e.Code); c != "" {
				ce.Codes = append(ce.Codes, c)
			}
		}
		ce.Kind = kindOfStatus(ce.StatusCode)
	case reflect.TypeOf(err) == bareTextError:
		// The reply was not Clerk's JSON. Clerk itself always answers with
		// JSON, so this came from something in between: unavailable.
	default:
		ce.Err = err
		// A body past LimitResponseBodies' cap is no answer of Clerk's
		// either, whatever its status.
		ce.StatusCode, _ = tooLargeStatus(err)
	}
	return ce
}

func isAPIError(err error) bool {
	var apiErr *clerk.APIErrorResponse
	return errors.As(err, &apiErr)
}

func kindOfStatus(status int) error {
	switch {
	case status == http.StatusNotFound:
		return ErrSessionGone
	case status == http.StatusUnauthorized:
		return ErrInvalidSecretKey
	case status == http.StatusTooManyRequests:
		return ErrRateLimited
	case status == http.StatusRequestTimeout || status >= 500:
		return ErrClerkUnavailable
	default:
		return ErrClerkRejected
	}
}

// parseRetryAfter reads a Retry-After value: delay seconds or an HTTP date.
func parseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs >= int64(maxRetryAfter/time.Second) {
			return maxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(now)
	}
	return min(max(d, 0), maxRetryAfter)
}

// sanitizeToken keeps what a Clerk code or trace ID is made of, up to 64
// bytes, so that a hostile reply cannot inject text into messages and logs.
func sanitizeToken(s string) string {
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

// maxMessage bounds the Clerk message kept in a [ClerkError].
const maxMessage = 120

// sanitizeMessage keeps a short, printable, single-line form of a message.
func sanitizeMessage(s string) string {
	var b strings.Builder
	for _, r := range s {
		if b.Len() >= maxMessage {
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
