package clerkhasura_test

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"testing"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// hugeErrorPage answers every request with a 502 whose HTML body is size
// bytes, written from one small buffer so that the server allocates little.
func hugeErrorPage(t *testing.T, size int) *httptest.Server {
	chunk := bytes.Repeat([]byte("<p>bad gateway</p>"), 4096)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, "<html><body>")
		for left := size; left > 0; left -= len(chunk) {
			if _, err := w.Write(chunk[:min(left, len(chunk))]); err != nil {
				return
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv
}

func sessionClientFor(url string, httpClient *http.Client) *session.Client {
	return session.NewClient(&clerk.ClientConfig{BackendConfig: clerk.BackendConfig{
		HTTPClient: httpClient,
		URL:        clerk.String(url + "/v1"),
		Key:        clerk.String(clerkhasuratest.DefaultSecretKey),
	}})
}

// TestLimitResponseBodiesBoundsMemory: a 64 MiB HTML 502 read through a
// capped client costs a few MiB, not the hundreds clerk-sdk-go spends
// reading it whole and copying it into an error's text.
func TestLimitResponseBodiesBoundsMemory(t *testing.T) {
	const size = 64 << 20
	srv := hugeErrorPage(t, size)
	client := sessionClientFor(srv.URL, &http.Client{Transport: clerkhasura.LimitResponseBodies(srv.Client().Transport, 0)})
	src := clerkhasura.NewSessionTokenSource(client, "sess_1", "hasura")

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	_, err := src.Token(context.Background())
	runtime.ReadMemStats(&after)

	require.ErrorIs(t, err, clerkhasura.ErrClerkUnavailable)
	var ce *clerkhasura.ClerkError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, http.StatusBadGateway, ce.StatusCode)
	assert.True(t, ce.Temporary())
	assert.Contains(t, err.Error(), "limit 1048576 bytes")
	assert.NotContains(t, err.Error(), "bad gateway", "none of the body")
	allocated := after.TotalAlloc - before.TotalAlloc
	t.Logf("allocated %.1f MiB reading a %d MiB error page", float64(allocated)/(1<<20), size>>20)
	assert.Less(t, allocated, uint64(16<<20))
}

func TestLimitResponseBodies(t *testing.T) {
	body := strings.Repeat("x", 100)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, body)
	}))
	defer srv.Close()
	get := func(t *testing.T, rt http.RoundTripper) ([]byte, error) {
		resp, err := (&http.Client{Transport: rt}).Get(srv.URL)
		require.NoError(t, err)
		defer resp.Body.Close()
		return io.ReadAll(resp.Body)
	}
	for _, tt := range []struct {
		name  string
		limit int64
		want  int
		err   string
	}{
		{"under the limit", 101, 100, ""},
		{"at the limit", 100, 100, ""},
		{"over the limit", 99, 99, "clerkhasura: response body is larger than the limit (HTTP 200, limit 99 bytes)"},
		{"one byte", 1, 1, "limit 1 bytes"},
		{"default", 0, 100, ""},
	} {
		t.Run(tt.name, func(t *testing.T) {
			got, err := get(t, clerkhasura.LimitResponseBodies(srv.Client().Transport, tt.limit))
			assert.Len(t, got, tt.want)
			if tt.err == "" {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
				assert.Contains(t, err.Error(), tt.err)
			}
		})
	}
	t.Run("nil base", func(t *testing.T) {
		got, err := get(t, clerkhasura.LimitResponseBodies(nil, 0))
		require.NoError(t, err)
		assert.Equal(t, body, string(got))
	})
}

// TestLimitResponseBodiesMintsAsUsual: Clerk's own answers pass through.
func TestLimitResponseBodiesMintsAsUsual(t *testing.T) {
	fc := clerkhasuratest.NewClerk(t, nil)
	client := sessionClientFor(fc.URL(), &http.Client{Transport: clerkhasura.LimitResponseBodies(fc.HTTPClient().Transport, 0)})
	tok, err := clerkhasura.NewSessionTokenSource(client, fc.CreateSession("user_1"), "hasura").Token(context.Background())
	require.NoError(t, err)
	assert.NotEmpty(t, tok.Value)

	fc.FailNext(1, clerkhasuratest.Fault{Status: 429})
	_, err = clerkhasura.NewSessionTokenSource(client, fc.CreateSession("user_1"), "hasura").Token(context.Background())
	require.ErrorIs(t, err, clerkhasura.ErrRateLimited, "Clerk's error body is read")
}
