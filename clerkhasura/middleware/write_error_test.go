package middleware_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

func hasuraErr(code string) error {
	return fmt.Errorf("clerkhasura: Me: %w", &hasura.Error{StatusCode: http.StatusOK, Errors: []hasura.GraphQLError{{Message: "m", Code: code}}})
}

func clerkErr(kind error, retryAfter time.Duration) error {
	return fmt.Errorf("clerkhasura: getting a token: %w", &clerkhasura.ClerkError{
		SessionID: "sess_sessionIDNotForTheClient", Template: "hasura", Kind: kind, RetryAfter: retryAfter})
}

func TestWriteErrorMapsEveryClass(t *testing.T) {
	cases := []struct {
		name       string
		err        error
		status     int
		code       string
		retryAfter string
	}{
		{"not found", fmt.Errorf("%w: user %q", hasura.ErrNotFound, "user_x"), 404, "not_found", ""},
		{"session gone", clerkErr(clerkhasura.ErrSessionGone, 0), 401, "session_ended", ""},
		{"template missing", clerkErr(clerkhasura.ErrTemplateNotFound, 0), 500, "misconfigured", ""},
		{"bad secret key", clerkErr(clerkhasura.ErrInvalidSecretKey, 0), 500, "misconfigured", ""},
		{"Clerk refused", clerkErr(clerkhasura.ErrClerkRejected, 0), 500, "misconfigured", ""},
		{"no user ID claim", &hasura.ClaimError{Namespace: "n", Claim: "c", Reason: "claim is missing"}, 500, "misconfigured", ""},
		{"rate limited", clerkErr(clerkhasura.ErrRateLimited, 1500*time.Millisecond), 503, "clerk_unavailable", "2"},
		{"Clerk down", clerkErr(clerkhasura.ErrClerkUnavailable, 0), 503, "clerk_unavailable", ""},
		{"garbled token", clerkErr(clerkhasura.ErrMalformedToken, 0), 503, "clerk_unavailable", ""},
		{"permission", hasuraErr("permission-error"), 403, "forbidden", ""},
		{"constraint", hasuraErr("constraint-violation"), 409, "conflict", ""},
		{"token refused", hasuraErr("invalid-jwt"), 502, "hasura_rejected_token", ""},
		{"invalid operation", hasuraErr("validation-failed"), 502, "hasura_rejected_operation", ""},
		{"other Hasura error", hasuraErr("data-exception"), 502, "bad_gateway", ""},
		{"answer too large", fmt.Errorf("reading: %w", clerkhasura.ErrResponseTooLarge), 502, "bad_gateway", ""},
		{"closed", clerkhasura.ErrClosed, 503, "unavailable", ""},
		{"deadline", fmt.Errorf("Me: %w", context.DeadlineExceeded), 504, "timeout", ""},
		{"canceled", context.Canceled, 499, "canceled", ""},
		{"input", &clerkhasura.InputError{Field: "f", Reason: "r"}, 500, "internal", ""},
		{"anything else", errors.New("boom sess_sessionIDNotForTheClient"), 500, "internal", ""},
		{"nil", nil, 500, "internal", ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			rec := httptest.NewRecorder()
			middleware.WriteError(rec, httptest.NewRequest(http.MethodGet, "/me", nil), tc.err)
			assert.Equal(t, tc.status, rec.Code)
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			assert.Equal(t, "no-store", rec.Header().Get("Cache-Control"))
			assert.Equal(t, tc.retryAfter, rec.Header().Get("Retry-After"))
			if tc.status == http.StatusUnauthorized {
				assert.Equal(t, `Bearer error="invalid_token"`, rec.Header().Get("WWW-Authenticate"), "a 401 names its scheme")
			} else {
				assert.Empty(t, rec.Header().Get("WWW-Authenticate"))
			}
			var body map[string]string
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &body))
			assert.Equal(t, tc.code, body["error"])
			assert.NotEmpty(t, body["message"])
			assert.Len(t, body, 2, "the shape of a refused request's body")
			assert.NotContains(t, rec.Body.String(), "sess_sessionIDNotForTheClient", "the error's text goes to the log only")
		})
	}
}

func TestWriteErrorWritesAnAuthErrorAsTheMiddlewareDoes(t *testing.T) {
	aerr := &middleware.AuthError{Reason: "session token expired", Kind: middleware.ErrUnauthenticated}
	want := httptest.NewRecorder()
	aerr.ServeHTTP(want, httptest.NewRequest(http.MethodGet, "/", nil))

	got := httptest.NewRecorder()
	middleware.WriteError(got, httptest.NewRequest(http.MethodGet, "/", nil), fmt.Errorf("wrapped: %w", aerr))
	assert.Equal(t, want.Code, got.Code)
	assert.Equal(t, want.Header(), got.Header())
	assert.JSONEq(t, `{"error":"unauthenticated","message":"session token expired"}`, got.Body.String())
}

// A handler's error after the session was revoked in Clerk gets the same
// answer shape as a refused session token.
func TestWriteErrorOfARevokedSession(t *testing.T) {
	w := newMWWorld(t, nil)
	sid := w.clerk.CreateSession("user_alice")
	token := w.clerk.SessionToken(sid)
	w.clerk.RevokeSession(sid)

	h := w.mw.Handler(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		hc, ok := middleware.ClientFromContext(r.Context())
		require.True(t, ok)
		_, err := hc.Me(r.Context())
		middleware.WriteError(rw, r, err)
	}))
	rec := httptest.NewRecorder()
	req := httptest.NewRequest(http.MethodGet, "/me", nil)
	req.Header.Set("Authorization", "Bearer "+token)
	h.ServeHTTP(rec, req)
	assert.Equal(t, http.StatusUnauthorized, rec.Code, rec.Body.String())
	assert.JSONEq(t, `{"error":"session_ended","message":"the Clerk session has ended: sign in again"}`, rec.Body.String())
}
