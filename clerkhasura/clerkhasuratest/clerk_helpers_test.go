package clerkhasuratest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"runtime"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/go-jose/go-jose/v3"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

var (
	_ clerkhasuratest.Tester = (*testing.T)(nil)
	_ clerkhasuratest.Tester = (*testing.B)(nil)
	_ clerkhasuratest.Tester = (*testing.F)(nil)
)

// fatalRecorder is a Tester whose Fatalf records the message and ends the
// calling goroutine, as testing.T's does.
type fatalRecorder struct {
	testing.TB
	mu    sync.Mutex
	fatal string
}

func (r *fatalRecorder) Fatalf(format string, args ...any) {
	r.mu.Lock()
	r.fatal = fmt.Sprintf(format, args...)
	r.mu.Unlock()
	runtime.Goexit()
}

func (r *fatalRecorder) message() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.fatal
}

// fatalOf runs f in its own goroutine against r and returns what it passed
// to Fatalf, or "" when it returned normally; r may be used again.
func fatalOf(r *fatalRecorder, f func()) string {
	r.mu.Lock()
	r.fatal = ""
	r.mu.Unlock()
	done := make(chan struct{})
	go func() {
		defer close(done)
		f()
	}()
	<-done
	return r.message()
}

// mint asks the fake for a token through clerk-sdk-go.
func mint(t *testing.T, fc *clerkhasuratest.Clerk, sid, template string) string {
	t.Helper()
	tok, err := fc.SessionClient().CreateToken(context.Background(), &session.CreateTokenParams{
		ID: sid, TemplateName: template,
	})
	require.NoError(t, err)
	require.Equal(t, "token", tok.Object)
	return tok.JWT
}

// verify checks tok with clerk-sdk-go against the fake's /v1/jwks.
func verify(t *testing.T, fc *clerkhasuratest.Clerk, tok string) (*clerk.SessionClaims, error) {
	t.Helper()
	return jwt.Verify(context.Background(), &jwt.VerifyParams{
		Token:      tok,
		JWKSClient: fc.JWKSClient(),
		Clock:      clockFunc(fc.Now),
	})
}

type clockFunc func() time.Time

func (f clockFunc) Now() time.Time { return f() }

// rawClaims decodes tok's header and claims without verifying it.
func rawClaims(t *testing.T, tok string) (jose.Header, map[string]any) {
	t.Helper()
	jws, err := jose.ParseSigned(tok)
	require.NoError(t, err)
	var claims map[string]any
	require.NoError(t, json.Unmarshal(jws.UnsafePayloadWithoutVerification(), &claims))
	return jws.Signatures[0].Header, claims
}

// apiError returns err as a *clerk.APIErrorResponse.
func apiError(t *testing.T, err error) *clerk.APIErrorResponse {
	t.Helper()
	var apiErr *clerk.APIErrorResponse
	require.True(t, errors.As(err, &apiErr), "want *clerk.APIErrorResponse, got %T: %v", err, err)
	return apiErr
}

// get fetches url with an optional bearer key.
func get(t *testing.T, fc *clerkhasuratest.Clerk, url, key string) *http.Response {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, url, nil)
	require.NoError(t, err)
	if key != "" {
		req.Header.Set("Authorization", "Bearer "+key)
	}
	resp, err := fc.HTTPClient().Do(req)
	require.NoError(t, err)
	t.Cleanup(func() { _ = resp.Body.Close() })
	return resp
}
