package clerkhasura_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestTransportStreamsLargeBodies(t *testing.T) {
	large := `{"data":{"users":[` + strings.Repeat(`{"id":"user_1","name":"Ada"},`, 40000) + `{"id":"user_2"}]}}`
	require.Greater(t, len(large), clerkhasura.DefaultMaxBodyBytes, "successful JSON answers are not limited")
	largeErrors := `{"errors":[{"message":"` + strings.Repeat("x", 64<<10) + `","extensions":{"code":"invalid-jwt"}}]}`
	tests := []struct {
		name    string
		body    string
		chunked bool
	}{
		{"data", large, false},
		{"data, chunked", large, true},
		{"errors beyond the peek limit", largeErrors, false},
		{"errors beyond the peek limit, chunked", largeErrors, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				w.Header().Set("Content-Type", "application/json; charset=utf-8")
				if !tt.chunked {
					w.Header().Set("Content-Length", strconv.Itoa(len(tt.body)))
				}
				_, _ = io.WriteString(w, tt.body)
			}))
			defer srv.Close()
			src := &sources.Counting{}
			tr := newTransport(t, srv.URL, src, nil)
			req, _ := http.NewRequest(http.MethodPost, srv.URL, strings.NewReader(`{}`))
			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			wantLength := int64(len(tt.body))
			if tt.chunked {
				wantLength = -1
			}
			assert.Equal(t, wantLength, resp.ContentLength)
			assert.True(t, string(got) == tt.body, "body differs: %d bytes, want %d", len(got), len(tt.body))
			calls := src.Calls()
			assert.Equal(t, 1, calls, "no retry")
		})
	}
}

// TestTransportDoesNotBufferResponses holds the response open after a first
// chunk until the client has read that chunk: a transport that read more
// than it needs before returning would wait forever.
func TestTransportDoesNotBufferResponses(t *testing.T) {
	const chunk1 = `{"data":{"users":[{"id":"user_1"}`
	const chunk2 = `]}}`
	clientRead := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.WriteString(w, chunk1)
		w.(http.Flusher).Flush()
		select {
		case <-clientRead:
		case <-r.Context().Done():
			return
		}
		_, _ = io.WriteString(w, chunk2)
	}))
	defer srv.Close()

	// The deadline only turns a hang into a failure; nothing is timed.
	ctx, cancel := context.WithTimeout(t.Context(), trHangGuard)
	defer cancel()
	tr := newTransport(t, srv.URL, &sources.Counting{}, nil)
	req, _ := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL, strings.NewReader(`{}`))
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err, "RoundTrip returned before the body was complete")
	defer resp.Body.Close()
	assert.Equal(t, int64(-1), resp.ContentLength)

	first := make([]byte, len(chunk1))
	_, err = io.ReadFull(resp.Body, first)
	require.NoError(t, err)
	assert.Equal(t, chunk1, string(first))
	close(clientRead)
	rest, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, chunk2, string(rest))
}
