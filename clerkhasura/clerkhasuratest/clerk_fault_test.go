package clerkhasuratest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwks"
	"github.com/clerk/clerk-sdk-go/v2/jwttemplate"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func createToken(fc *clerkhasuratest.Clerk, ctx context.Context, sid string) error {
	_, err := fc.SessionClient().CreateToken(ctx, &session.CreateTokenParams{ID: sid, TemplateName: "hasura"})
	return err
}

func TestClerkFaultClerkBodies(t *testing.T) {
	for _, tc := range []struct {
		name           string
		fault          clerkhasuratest.Fault
		wantCode       string
		wantRetryAfter string
	}{
		{"429 with Retry-After", clerkhasuratest.Fault{Status: 429, RetryAfter: 1500 * time.Millisecond}, "too_many_requests", "2"},
		{"500", clerkhasuratest.Fault{Status: 500}, "internal_clerk_error", ""},
		{"503 with Retry-After", clerkhasuratest.Fault{Status: 503, RetryAfter: 3 * time.Second}, "internal_clerk_error", "3"},
		{"401", clerkhasuratest.Fault{Status: 401}, "authentication_invalid", ""},
		{"404", clerkhasuratest.Fault{Status: 404}, "resource_not_found", ""},
		{"custom JSON body", clerkhasuratest.Fault{Status: 400, Body: `{"errors":[{"code":"custom","message":"m","long_message":"l"}]}`}, "custom", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fc := clerkhasuratest.NewClerk(t, nil)
			sid := fc.CreateSession("user_1")
			fc.FailNext(1, tc.fault)

			apiErr := apiError(t, createToken(fc, context.Background(), sid))
			assert.Equal(t, tc.fault.Status, apiErr.HTTPStatusCode)
			assert.Equal(t, tc.wantCode, apiErr.Errors[0].Code)
			assert.Equal(t, tc.wantRetryAfter, apiErr.Response.Header.Get("Retry-After"))
			assert.Equal(t, "application/json", apiErr.Response.Header.Get("Content-Type"))
			assert.NotEmpty(t, apiErr.Response.TraceID)

			require.NoError(t, createToken(fc, context.Background(), sid), "only one request fails")
			st := fc.Stats()
			assert.Equal(t, int64(1), st.Faults)
			assert.Equal(t, int64(1), st.TokensMinted)
			assert.Equal(t, int64(2), st.Requests)
		})
	}
}

func TestClerkFaultProxyBody(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	fc.FailNext(1, clerkhasuratest.Fault{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>"})

	err := createToken(fc, context.Background(), sid)
	require.Error(t, err)
	assert.Equal(t, "<html>bad gateway</html>", err.Error(), "clerk-sdk-go returns a non-JSON body as is")

	fc.FailNext(1, clerkhasuratest.Fault{Status: http.StatusBadGateway, Body: "<html>bad gateway</html>", Path: "/v1/jwks"})
	resp := get(t, fc, fc.APIURL()+"/jwks", fc.SecretKey())
	assert.Equal(t, http.StatusBadGateway, resp.StatusCode)
	assert.Equal(t, "text/html; charset=utf-8", resp.Header.Get("Content-Type"))

	fc.FailNext(1, clerkhasuratest.Fault{Status: http.StatusBadGateway, Body: "gateway", ContentType: "text/x-custom", Path: "/v1/jwks"})
	resp = get(t, fc, fc.APIURL()+"/jwks", fc.SecretKey())
	assert.Equal(t, "text/x-custom", resp.Header.Get("Content-Type"))
}

func TestClerkFaultCountPathAndOrder(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	ctx := context.Background()

	fc.FailNext(2, clerkhasuratest.Fault{Status: 500, Path: "/tokens/"})
	fc.FailNext(1, clerkhasuratest.Fault{Status: 503, Path: "/v1/"})

	_, err := fc.SessionClient().Get(ctx, sid)
	assert.Equal(t, 503, apiError(t, err).HTTPStatusCode, "the path-limited fault skips other routes")
	assert.Equal(t, 500, apiError(t, createToken(fc, ctx, sid)).HTTPStatusCode)
	assert.Equal(t, 500, apiError(t, createToken(fc, ctx, sid)).HTTPStatusCode)
	assert.NoError(t, createToken(fc, ctx, sid))
	_, err = fc.SessionClient().Get(ctx, sid)
	assert.NoError(t, err)

	t.Run("default path spares the public JWKS", func(t *testing.T) {
		fc.FailNext(1, clerkhasuratest.Fault{Status: 500})
		assert.Equal(t, http.StatusOK, get(t, fc, fc.JWKSURL(), "").StatusCode)
		assert.Error(t, createToken(fc, ctx, sid))
	})
	t.Run("explicit path reaches the public JWKS", func(t *testing.T) {
		fc.FailNext(1, clerkhasuratest.Fault{Status: 500, Path: "/.well-known/"})
		assert.Equal(t, http.StatusInternalServerError, get(t, fc, fc.JWKSURL(), "").StatusCode)
		assert.Equal(t, http.StatusOK, get(t, fc, fc.JWKSURL(), "").StatusCode)
	})
	t.Run("faults come before the key check", func(t *testing.T) {
		fc.FailNext(1, clerkhasuratest.Fault{Status: 429, Path: "/v1/"})
		assert.Equal(t, http.StatusTooManyRequests, get(t, fc, fc.APIURL()+"/jwks", "").StatusCode)
	})
	t.Run("ClearFaults", func(t *testing.T) {
		fc.FailNext(5, clerkhasuratest.Fault{Status: 500})
		fc.ClearFaults()
		assert.NoError(t, createToken(fc, ctx, sid))
	})
	t.Run("n <= 0 does nothing", func(t *testing.T) {
		fc.FailNext(0, clerkhasuratest.Fault{Status: 500})
		fc.FailNext(-1, clerkhasuratest.Fault{Status: 500})
		assert.NoError(t, createToken(fc, ctx, sid))
	})
}

// TestClerkFaultDefaultIsTheTokenEndpoint: a fault without a Path fails
// the next mint, not the JWKS fetches, session reads and template lists
// that a verifier or a token source makes first.
func TestClerkFaultDefaultIsTheTokenEndpoint(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	ctx := context.Background()
	fc.FailNext(2, clerkhasuratest.Fault{Status: http.StatusTooManyRequests})

	_, err := fc.JWKSClient().Get(ctx, &jwks.GetParams{})
	require.NoError(t, err, "the Backend API's JWKS, as a middleware fetches it")
	assert.Equal(t, http.StatusOK, get(t, fc, fc.JWKSURL(), "").StatusCode)
	_, err = fc.SessionClient().Get(ctx, sid)
	require.NoError(t, err)
	_, err = jwttemplate.NewClient(&clerk.ClientConfig{BackendConfig: fc.BackendConfig()}).List(ctx, &jwttemplate.ListParams{})
	require.NoError(t, err)
	assert.Zero(t, fc.Stats().Faults)

	assert.Equal(t, http.StatusTooManyRequests, apiError(t, createToken(fc, ctx, sid)).HTTPStatusCode, "a template token")
	_, err = fc.SessionClient().CreateToken(ctx, &session.CreateTokenParams{ID: sid})
	assert.Equal(t, http.StatusTooManyRequests, apiError(t, err).HTTPStatusCode, "a session token")
	require.NoError(t, createToken(fc, ctx, sid))
	assert.EqualValues(t, 2, fc.Stats().Faults)
}

func TestClerkFaultLatencyOnly(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	fc.FailNext(1, clerkhasuratest.Fault{Latency: time.Millisecond})
	require.NoError(t, createToken(fc, context.Background(), sid), "Status 0 only delays")
	assert.Equal(t, int64(1), fc.Stats().Faults)
	assert.Equal(t, int64(1), fc.Stats().TokensMinted)
}

func TestClerkFaultLatencyRespectsCancel(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	fc.FailNext(1, clerkhasuratest.Fault{Status: 500, Latency: time.Hour})

	ctx, cancel := context.WithCancel(context.Background())
	errc := make(chan error, 1)
	go func() { errc <- createToken(fc, ctx, sid) }()
	testkit.WaitFor(t, "the fault holds the request", func() bool { return fc.Stats().Faults == 1 })
	cancel()
	err := <-errc
	assert.True(t, errors.Is(err, context.Canceled), "got %v", err)
	require.NoError(t, createToken(fc, context.Background(), sid), "the fault was used up")
}

func TestClerkFaultLatencyEndsOnClose(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	fc.FailNext(1, clerkhasuratest.Fault{Status: 500, Latency: time.Hour})

	errc := make(chan error, 1)
	go func() { errc <- createToken(fc, context.Background(), sid) }()
	testkit.WaitFor(t, "the fault holds the request", func() bool { return fc.Stats().Faults == 1 })
	fc.Close()
	assert.Error(t, <-errc, "the delayed request ends without an answer")
}
