package clerkerr

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseRetryAfter(t *testing.T) {
	now := time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)
	tests := []struct {
		in   string
		want time.Duration
	}{
		{"", 0},
		{"7", 7 * time.Second},
		{" 30 ", 30 * time.Second},
		{"0", 0},
		{"-5", 0},
		{"99999999999999999999", 0},
		{"86400", MaxRetryAfter},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0},
		{now.Add(24 * time.Hour).Format(http.TimeFormat), MaxRetryAfter},
		{"soon", 0},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			assert.Equal(t, tt.want, ParseRetryAfter(tt.in, now))
		})
	}
}

func TestSanitizeMessage(t *testing.T) {
	assert.Equal(t, "Session not found", SanitizeMessage("  Session not found\n"))
	assert.Equal(t, "a b", SanitizeMessage("a\x00b"))
	long := SanitizeMessage(strings.Repeat("é", 300))
	assert.True(t, strings.HasSuffix(long, "…"))
	assert.LessOrEqual(t, len(long), maxMessage+len("é")+len("…"))
}

func apiError(status int, header http.Header) *clerk.APIErrorResponse {
	e := &clerk.APIErrorResponse{
		HTTPStatusCode: status,
		Errors: []clerk.Error{
			{Code: "too_many_requests", Message: "Too many\nrequests"},
			{Code: "second\"code<script>", Message: "ignored"},
		},
	}
	e.Response = &clerk.APIResponse{StatusCode: status, Header: header, TraceID: "trace-1\n"}
	return e
}

func TestReadKeepsClerksFieldsOnly(t *testing.T) {
	now := time.Now()
	api := apiError(http.StatusTooManyRequests, http.Header{"Retry-After": {"3"}})
	r := Read(fmt.Errorf("minting: %w", api), now)
	assert.Equal(t, Reply{
		StatusCode: http.StatusTooManyRequests,
		Codes:      []string{"too_many_requests", "secondcodescript"},
		Message:    "Too many requests",
		TraceID:    "trace-1",
		RetryAfter: 3 * time.Second,
		Err:        api,
		API:        true,
	}, r)
}

func TestReadPrefersTheBodysTraceIDAndTheResponsesStatus(t *testing.T) {
	api := apiError(http.StatusBadGateway, nil)
	api.HTTPStatusCode = 0
	api.TraceID = "from-body"
	r := Read(api, time.Now())
	assert.Equal(t, http.StatusBadGateway, r.StatusCode)
	assert.Equal(t, "from-body", r.TraceID)
	assert.Zero(t, r.RetryAfter)
}

func TestReadDropsABodyReturnedAsText(t *testing.T) {
	const secret = "sk_test_echoedSecretKey"
	r := Read(errors.New("<pre>Authorization: Bearer "+secret+"</pre>"), time.Now())
	assert.Equal(t, Reply{}, r, "clerk-sdk-go returns a body that is not Clerk's JSON as the error's text")
}

func TestReadKeepsOtherErrors(t *testing.T) {
	r := Read(context.DeadlineExceeded, time.Now())
	require.Equal(t, context.DeadlineExceeded, r.Err)
	assert.False(t, r.API)
	assert.Zero(t, r.StatusCode)

	wrapped := fmt.Errorf("dial: %w", errors.New("connection refused"))
	assert.Same(t, wrapped, Read(wrapped, time.Now()).Err, "only a bare errors.New value is a body")
}
