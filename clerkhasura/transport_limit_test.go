package clerkhasura_test

import (
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestTransportLimitsAnswersThatAreNotSuccessfulJSON(t *testing.T) {
	const limit = 10 << 10
	const page = "<html>Bad Gateway</html>"
	tests := []struct {
		name        string
		status      int
		contentType string
		size        int
		limited     bool
	}{
		{"proxy's error page", http.StatusBadGateway, "text/html", 3 * limit, true},
		{"JSON with an error status", http.StatusNotFound, "application/json", 3 * limit, true},
		{"HTML with HTTP 200", http.StatusOK, "text/html; charset=utf-8", 3 * limit, true},
		{"no Content-Type", http.StatusOK, "", 3 * limit, true},
		{"JSONP", http.StatusOK, "application/jsonp", 3 * limit, true},
		{"a bare suffix", http.StatusOK, "+json", 3 * limit, true},
		{"a type named json", http.StatusOK, "text/json", 3 * limit, true},
		{"refused twice by a gateway", http.StatusUnauthorized, "text/html", 3 * limit, true},
		{"error page of exactly the limit", http.StatusBadGateway, "text/html", limit, false},
		{"JSON data", http.StatusOK, "application/json; charset=utf-8", 3 * limit, false},
		{"GraphQL over HTTP's media type", http.StatusOK, "application/graphql-response+json", 3 * limit, false},
		{"JSON with another 2xx", http.StatusAccepted, "Application/JSON", 3 * limit, false},
		{"JSON with a parameter", http.StatusOK, " application/json ;charset=UTF-8", 3 * limit, false},
		{"structured JSON in capitals", http.StatusOK, "APPLICATION/PROBLEM+JSON", 3 * limit, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := httptest.NewServer(testkit.ServeRepeated(tt.status, tt.contentType, page, tt.size))
			defer srv.Close()
			tr := newTransport(t, srv.URL+"/v1/graphql", &sources.Counting{}, &clerkhasura.TransportOptions{MaxBodyBytes: limit})
			req, _ := http.NewRequest(http.MethodPost, srv.URL+"/v1/graphql", strings.NewReader(`{}`))

			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			assert.Equal(t, tt.status, resp.StatusCode)
			got, err := io.ReadAll(resp.Body)
			if !tt.limited {
				require.NoError(t, err)
				assert.Len(t, got, tt.size)
				return
			}
			require.ErrorIs(t, err, clerkhasura.ErrResponseTooLarge)
			assert.Len(t, got, limit, "everything up to the limit is read")
			assert.Equal(t, fmt.Sprintf("clerkhasura: response body is larger than the limit (HTTP %d, limit 10240 bytes)", tt.status), err.Error())
			_, err = resp.Body.Read(make([]byte, 1))
			assert.ErrorIs(t, err, clerkhasura.ErrResponseTooLarge, "the error sticks")
		})
	}
}

func TestTransportLimitDefaultsToOneMiB(t *testing.T) {
	srv := httptest.NewServer(testkit.ServeRepeated(http.StatusBadGateway, "text/html", "x", clerkhasura.DefaultMaxBodyBytes+1))
	defer srv.Close()
	for _, limit := range []int64{0, -1} {
		tr := newTransport(t, srv.URL, &sources.Counting{}, &clerkhasura.TransportOptions{MaxBodyBytes: limit})
		req, _ := http.NewRequest(http.MethodGet, srv.URL, nil)
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		got, err := io.ReadAll(resp.Body)
		resp.Body.Close()
		require.ErrorIs(t, err, clerkhasura.ErrResponseTooLarge)
		assert.Len(t, got, 1<<20)
	}
}

func TestTransportDoesNotLimitOtherOrigins(t *testing.T) {
	const size = 64 << 10
	other := httptest.NewServer(testkit.ServeRepeated(http.StatusBadGateway, "text/html", "x", size))
	defer other.Close()
	tr := newTransport(t, "https://x.hasura.app/v1/graphql", &sources.Counting{}, &clerkhasura.TransportOptions{MaxBodyBytes: 1024})
	req, _ := http.NewRequest(http.MethodGet, other.URL, nil)
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err, "what is not Hasura's is none of Transport's business")
	assert.Len(t, got, size)
}

// TestTransportStreamsRequestBodiesAboveTheLimit: a body without GetBody
// longer than the limit is not held in memory for a resend. The reader
// holds its second half back until Hasura has received the first: a
// Transport that read the whole body before sending would wait forever.
func TestTransportStreamsRequestBodiesAboveTheLimit(t *testing.T) {
	const limit = 4 << 10
	firstHalf := `{"query":"mutation { insert_files_one(object: {data: \"` + strings.Repeat("a", limit)
	secondHalf := strings.Repeat("b", limit) + `\"}) { id } }"}`
	received := make(chan struct{})
	seen := make(chan string, 1)
	hasura := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		head := make([]byte, len(firstHalf))
		if _, err := io.ReadFull(r.Body, head); err != nil {
			return
		}
		close(received)
		rest, _ := io.ReadAll(r.Body)
		seen <- string(head) + string(rest)
		trRejectWith(http.StatusOK, trExpiredBody)(w)
	}))
	defer hasura.Close()

	pr, pw := io.Pipe()
	go func() {
		_, _ = io.WriteString(pw, firstHalf)
		select {
		case <-received:
			_, _ = io.WriteString(pw, secondHalf)
			_ = pw.Close()
		case <-time.After(trHangGuard):
			_ = pw.CloseWithError(errors.New("the Transport read the whole body before sending it"))
		}
	}()
	src := &sources.Counting{}
	tr := newTransport(t, hasura.URL, src, &clerkhasura.TransportOptions{MaxBodyBytes: limit})
	req, _ := http.NewRequest(http.MethodPost, hasura.URL, pr)
	require.Nil(t, req.GetBody)

	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, trExpiredBody, string(got), "the refusal is returned, not resent")
	assert.Equal(t, firstHalf+secondHalf, <-seen, "the body arrives whole")
	calls := src.Calls()
	invalidated := src.Invalidated()
	assert.Equal(t, 1, calls, "no token is fetched for a resend that cannot happen")
	require.Len(t, invalidated, 1, "the refused token is still dropped")
	assert.Equal(t, "tok-1", invalidated[0])
}

// TestTransportBuffersRequestBodiesUpToTheLimit: a body of exactly the
// limit is held and resent.
func TestTransportBuffersRequestBodiesUpToTheLimit(t *testing.T) {
	const limit = 4 << 10
	query := `{"query":"` + strings.Repeat("q", limit-len(`{"query":""}`)) + `"}`
	require.Len(t, query, limit)
	hasura := newTrHasura(t, trOnly("tok-2"), trRejectWith(http.StatusOK, trExpiredBody))
	tr := newTransport(t, hasura.endpoint(), &sources.Counting{}, &clerkhasura.TransportOptions{MaxBodyBytes: limit})
	body := newTrBody(query)
	req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), body)

	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	resp.Body.Close()

	seen := hasura.requests()
	require.Len(t, seen, 2)
	assert.Equal(t, query, seen[0].Body)
	assert.Equal(t, query, seen[1].Body)
	assert.True(t, body.isClosed())
}

// TestTransportStreamsRequestsOfAKnownLengthAboveTheLimit: a declared
// length above the limit is not even read ahead.
func TestTransportStreamsRequestsOfAKnownLengthAboveTheLimit(t *testing.T) {
	const limit = 1 << 10
	query := `{"query":"` + strings.Repeat("q", 2*limit) + `"}`
	hasura := newTrHasura(t, trOnly("tok-2"), trRejectWith(http.StatusOK, trExpiredBody))
	tr := newTransport(t, hasura.endpoint(), &sources.Counting{}, &clerkhasura.TransportOptions{MaxBodyBytes: limit})
	body := newTrBody(query)
	req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), body)
	req.ContentLength = int64(len(query))

	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)

	assert.Equal(t, trExpiredBody, string(got))
	seen := hasura.requests()
	require.Len(t, seen, 1)
	assert.Equal(t, query, seen[0].Body)
	assert.True(t, body.isClosed(), "the body is closed once sent")
}
