package fakeclerk

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFaultMatches(t *testing.T) {
	for _, tc := range []struct {
		faultPath, path string
		want            bool
	}{
		{"", "/v1/sessions/sess_1/tokens/hasura", true},
		{"", "/v1/sessions/sess_1/tokens", true},
		{"", "/v1/sessions", false},
		{"", "/v1/sessions/sess_1", false},
		{"", "/v1/sessions/sess_1/revoke", false},
		{"", "/v1/sessions//tokens", false},
		{"", "/v1/sessions/sess_1/tokens/", false},
		{"", "/v1/sessions/sess_1/tokens/hasura/x", false},
		{"", "/v1/jwks", false},
		{"", "/v1/jwt_templates", false},
		{"", "/v1", false},
		{"", "/.well-known/jwks.json", false},
		{"/v1/", "/v1/jwks", true},
		{"/tokens/", "/v1/sessions/s/tokens/hasura", true},
		{"/tokens/", "/v1/sessions/s/tokens", false},
		{"jwks", "/.well-known/jwks.json", true},
		{"jwks", "/v1/jwks", true},
	} {
		f := Fault{Path: tc.faultPath}
		assert.Equal(t, tc.want, f.matches(tc.path), "fault %q, path %q", tc.faultPath, tc.path)
	}
}

func TestFaultQueueOrder(t *testing.T) {
	var q faultQueue
	q.add(2, Fault{Status: 500, Path: "/tokens"})
	q.add(1, Fault{Status: 429, Path: "/v1/"})
	q.add(0, Fault{Status: 418})

	var got []int
	for _, path := range []string{"/v1/jwks", "/v1/sessions/s/tokens", "/v1/jwks", "/v1/sessions/s/tokens", "/v1/sessions/s/tokens"} {
		f, ok := q.take(path)
		if !ok {
			got = append(got, 0)
			continue
		}
		got = append(got, f.Status)
	}
	assert.Equal(t, []int{429, 500, 0, 500, 0}, got)
	assert.Empty(t, q.pending)
}

func TestWriteFault(t *testing.T) {
	for _, tc := range []struct {
		name       string
		fault      Fault
		wantType   string
		retryAfter string
	}{
		{"default body", Fault{Status: 503}, "application/json", ""},
		{"html", Fault{Status: 502, Body: "<html>bad gateway</html>"}, "text/html; charset=utf-8", ""},
		{"text", Fault{Status: 502, Body: "upstream connect error"}, "text/plain; charset=utf-8", ""},
		{"json body", Fault{Status: 500, Body: `{"x":1}`}, "application/json", ""},
		{"explicit type", Fault{Status: 500, Body: "x", ContentType: "application/problem+json"}, "application/problem+json", ""},
		{"retry rounds up", Fault{Status: 429, RetryAfter: 100 * time.Millisecond}, "application/json", "1"},
		{"retry whole", Fault{Status: 429, RetryAfter: 30 * time.Second}, "application/json", "30"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			writeFault(rec, tc.fault)
			assert.Equal(t, tc.fault.Status, rec.Code)
			assert.Equal(t, tc.wantType, rec.Header().Get("Content-Type"))
			assert.Equal(t, tc.retryAfter, rec.Header().Get("Retry-After"))
			assert.NotEmpty(t, rec.Header().Get("Clerk-Trace-Id"))
			if tc.fault.Body != "" {
				assert.Equal(t, tc.fault.Body, rec.Body.String())
				return
			}
			var body errorBody
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, rec.Header().Get("Clerk-Trace-Id"), body.TraceID)
			assert.Equal(t, errorForStatus(tc.fault.Status), body.Errors[0])
		})
	}
}

func TestErrorForStatus(t *testing.T) {
	for status, code := range map[int]string{
		http.StatusBadRequest:          "request_body_invalid",
		http.StatusUnauthorized:        "authentication_invalid",
		http.StatusForbidden:           "request_failed",
		http.StatusNotFound:            "resource_not_found",
		http.StatusTooManyRequests:     "too_many_requests",
		http.StatusInternalServerError: "internal_clerk_error",
		http.StatusBadGateway:          "internal_clerk_error",
		http.StatusServiceUnavailable:  "internal_clerk_error",
	} {
		e := errorForStatus(status)
		assert.Equal(t, code, e.Code, "status %d", status)
		assert.NotEmpty(t, e.Message)
		assert.NotEmpty(t, e.LongMessage)
	}
}
