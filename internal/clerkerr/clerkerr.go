// Package clerkerr reads what may be kept of an error that clerk-sdk-go
// returned: Clerk's status, error codes, first message, trace ID and
// Retry-After, never a response body. Every request to Clerk carries the
// secret key, and a reply that is not Clerk's, such as a proxy's page
// echoing the request, may quote it; clerk-sdk-go returns such a reply's
// whole body as the text of a bare error.
//
// The token layer reads a failed mint with it and the middleware a failed
// JWKS fetch; each turns the [Reply] into a *clerkhasura.ClerkError of its
// own kind.
package clerkerr

import (
	"errors"
	"net/http"
	"reflect"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/clerk/clerk-sdk-go/v2"

	"github.com/clerkhasura/clerkhasura-go/internal/redact"
)

// MaxRetryAfter bounds a Retry-After header, so that a bogus value cannot
// stop a cache from asking again for hours.
const MaxRetryAfter = 10 * time.Minute

// maxMessage bounds the Clerk message kept in a [Reply].
const maxMessage = 120

// bareTextError is the type of errors.New's result, which clerk-sdk-go
// returns holding the whole body of an error reply that is not Clerk's
// JSON, and without its status.
var bareTextError = reflect.TypeOf(errors.New(""))

// Reply is what may be kept of an error from clerk-sdk-go.
type Reply struct {
	// StatusCode is the HTTP status; 0 when none is known, such as for a
	// network error or a reply that was not Clerk's JSON.
	StatusCode int
	// Codes are Clerk's error codes, reduced to what a code is made of.
	Codes []string
	// Message is Clerk's first message, short, printable and on one line.
	Message string
	// TraceID is Clerk's trace ID, reduced to what an ID is made of.
	TraceID string
	// RetryAfter is the wait the Retry-After header asked for, at most
	// [MaxRetryAfter]; zero if none.
	RetryAfter time.Duration
	// Err is the error to wrap: the *clerk.APIErrorResponse of Clerk's
	// JSON reply, or an error whose text holds no body, such as a network
	// error; nil when the error's text is a reply's body.
	Err error
	// API reports whether Err is Clerk's JSON reply, whose text repeats
	// Message as JSON.
	API bool
}

// Read returns what may be kept of err, an error clerk-sdk-go returned for
// a request made at now (against which an HTTP-date Retry-After is read).
func Read(err error, now time.Time) Reply {
	var apiErr *clerk.APIErrorResponse
	switch {
	case errors.As(err, &apiErr):
		r := Reply{Err: apiErr, API: true, StatusCode: apiErr.HTTPStatusCode, TraceID: apiErr.TraceID}
		if resp := apiErr.Response; resp != nil {
			if resp.StatusCode != 0 {
				r.StatusCode = resp.StatusCode
			}
			if r.TraceID == "" {
				r.TraceID = resp.TraceID
			}
			r.RetryAfter = ParseRetryAfter(resp.Header.Get("Retry-After"), now)
		}
		r.TraceID = redact.Code(r.TraceID)
		if len(apiErr.Errors) > 0 {
			r.Message = SanitizeMessage(apiErr.Errors[0].Message)
		}
		for _, e := range apiErr.Errors {
			if c := redact.Code(e.Code); c != "" {
				r.Codes = append(r.Codes, c)
			}
		}
		return r
	case reflect.TypeOf(err) == bareTextError:
		// The reply was not Clerk's JSON: its body is the error's text.
		return Reply{}
	}
	return Reply{Err: err}
}

// ParseRetryAfter reads a Retry-After value, delay seconds or an HTTP
// date, as a wait from now within [0, MaxRetryAfter].
func ParseRetryAfter(v string, now time.Time) time.Duration {
	v = strings.TrimSpace(v)
	if v == "" {
		return 0
	}
	var d time.Duration
	if secs, err := strconv.ParseInt(v, 10, 64); err == nil {
		if secs <= 0 {
			return 0
		}
		if secs >= int64(MaxRetryAfter/time.Second) {
			return MaxRetryAfter
		}
		d = time.Duration(secs) * time.Second
	} else if at, err := http.ParseTime(v); err == nil {
		d = at.Sub(now)
	}
	return min(max(d, 0), MaxRetryAfter)
}

// SanitizeMessage keeps a short, printable, single-line form of a message.
func SanitizeMessage(s string) string {
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
