package clerkhasura_test

import (
	"bytes"
	"compress/gzip"
	"io"
	"net/http"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestTransportRetriesOnceWhenHasuraRejectsTheToken(t *testing.T) {
	rejections := []struct {
		name   string
		reject func(http.ResponseWriter)
	}{
		{"invalid-jwt with HTTP 200", trRejectWith(http.StatusOK, trExpiredBody)},
		{"invalid-jwt with HTTP 200, message first", trRejectWith(http.StatusOK, trExpiredBodyNew)},
		{"invalid-jwt with HTTP 200, spaced", trRejectWith(http.StatusOK, " {\n  \"errors\" : [ {\"extensions\":{\"code\":\"invalid-jwt\",\"path\":\"$\"},\"message\":\"Could not verify JWT: JWTExpired\"} ]\n}\n")},
		{"invalid-jwt with HTTP 400", trRejectWith(http.StatusBadRequest, trExpiredBody)},
		{"HTTP 401 with no body", trRejectWith(http.StatusUnauthorized, "")},
		{"HTTP 401 with a body", trRejectWith(http.StatusUnauthorized, "unauthorized")},
	}
	bodies := []struct {
		name    string
		request func(url, body string) *http.Request
	}{
		{"body with GetBody", func(url, body string) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, url, strings.NewReader(body))
			return req
		}},
		{"body without GetBody", func(url, body string) *http.Request {
			req, _ := http.NewRequest(http.MethodPost, url, newTrBody(body))
			return req
		}},
	}
	const query = `{"query":"query Me { users { id name } }","variables":{"n":"\u00e9"}}`
	for _, rj := range rejections {
		for _, b := range bodies {
			t.Run(rj.name+"/"+b.name, func(t *testing.T) {
				hasura := newTrHasura(t, trOnly("tok-2"), rj.reject)
				src := &sources.Counting{}
				tr := newTransport(t, hasura.endpoint(), src, &clerkhasura.TransportOptions{Role: "user"})

				req := b.request(hasura.endpoint(), query)
				if b.name == "body without GetBody" {
					require.Nil(t, req.GetBody)
				}
				resp, err := tr.RoundTrip(req)
				require.NoError(t, err)
				defer resp.Body.Close()
				got, err := io.ReadAll(resp.Body)
				require.NoError(t, err)

				assert.Equal(t, http.StatusOK, resp.StatusCode)
				assert.Equal(t, trDataBody, string(got))
				seen := hasura.requests()
				require.Len(t, seen, 2, "exactly one retry")
				assert.Equal(t, "Bearer tok-1", seen[0].Authorization)
				assert.Equal(t, "Bearer tok-2", seen[1].Authorization)
				assert.Equal(t, "user", seen[1].Role)
				assert.Equal(t, query, seen[0].Body)
				assert.Equal(t, query, seen[1].Body, "the body is replayed byte for byte")

				calls := src.Calls()

				minted := src.Minted()

				invalidated := src.Invalidated()
				assert.Equal(t, 2, calls)
				assert.Equal(t, 2, minted)
				require.Len(t, invalidated, 1)
				assert.Equal(t, "tok-1", invalidated[0], "exactly the rejected token is invalidated")
			})
		}
	}
}

func TestTransportRetriesAtMostOnce(t *testing.T) {
	for _, rj := range []struct {
		name   string
		status int
		body   string
	}{
		{"invalid-jwt", http.StatusOK, trExpiredBody},
		{"401", http.StatusUnauthorized, `{"message":"nope"}`},
	} {
		t.Run(rj.name, func(t *testing.T) {
			hasura := newTrHasura(t, trOnly(), trRejectWith(rj.status, rj.body))
			src := &sources.Counting{}
			tr := newTransport(t, hasura.endpoint(), src, nil)
			req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(`{"query":"{ users { id } }"}`))

			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Len(t, hasura.requests(), 2, "no third attempt")
			assert.Equal(t, rj.status, resp.StatusCode)
			assert.Equal(t, rj.body, string(got), "the second rejection is returned as it is")
			invalidated := src.Invalidated()
			require.Len(t, invalidated, 1)
			assert.Equal(t, "tok-1", invalidated[0])
		})
	}
}

func TestTransportDoesNotRetryTheSameToken(t *testing.T) {
	hasura := newTrHasura(t, trOnly(), trRejectWith(http.StatusOK, trExpiredBody))
	tr := newTransport(t, hasura.endpoint(), sources.Static{Tok: &clerkhasura.Token{Value: "static"}}, nil)
	req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(`{}`))

	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Len(t, hasura.requests(), 1)
	assert.Equal(t, trExpiredBody, string(got))
}

func TestTransportPassesOtherAnswersThrough(t *testing.T) {
	var gz bytes.Buffer
	gz.WriteString("\x1f\x8b")
	gz.WriteString(trExpiredBody)
	tests := []struct {
		name    string
		status  int
		body    string
		headers map[string]string
	}{
		{"validation error", http.StatusOK, `{"errors":[{"message":"field 'x' not found in type: 'query_root'","extensions":{"path":"$.selectionSet.x","code":"validation-failed"}}]}`, nil},
		{"invalid-jwt next to data", http.StatusOK, `{"errors":[{"message":"m","extensions":{"code":"invalid-jwt"}}],"data":{"users":[]}}`, nil},
		{"data first, then errors", http.StatusOK, `{"data":null,"errors":[{"message":"m","extensions":{"code":"invalid-jwt"}}]}`, nil},
		{"the words in data", http.StatusOK, `{"data":{"users":[{"name":"invalid-jwt"}]}}`, nil},
		{"malformed error document", http.StatusOK, `{"errors":[{"extensions":{"code":"invalid-jwt"}`, nil},
		{"invalid-jwt with HTTP 500", http.StatusInternalServerError, trExpiredBody, nil},
		{"forbidden", http.StatusForbidden, trExpiredBody, nil},
		{"encoded body", http.StatusOK, gz.String(), map[string]string{"Content-Encoding": "gzip"}},
		{"empty body", http.StatusOK, "", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			hasura := newTrHasura(t, trOnly(), func(w http.ResponseWriter) {
				for k, v := range tt.headers {
					w.Header().Set(k, v)
				}
				w.WriteHeader(tt.status)
				_, _ = io.WriteString(w, tt.body)
			})
			src := &sources.Counting{}
			tr := newTransport(t, hasura.endpoint(), src, nil)
			req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(`{}`))
			// Asking for gzip ourselves keeps http.Transport from decoding it.
			req.Header.Set("Accept-Encoding", "gzip")

			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			defer resp.Body.Close()
			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)

			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.body, string(got), "the body arrives intact")
			assert.Len(t, hasura.requests(), 1, "no retry")
			invalidated := src.Invalidated()
			assert.Empty(t, invalidated)
		})
	}
}

func TestTransportResponseIsParsableAfterPeek(t *testing.T) {
	// A rejection that is returned (same token) must still read as Hasura's
	// document, for the GraphQL client to report it.
	hasura := newTrHasura(t, trOnly(), trRejectWith(http.StatusOK, trExpiredBody))
	tr := newTransport(t, hasura.endpoint(), sources.Static{Tok: &clerkhasura.Token{Value: "t"}}, nil)
	req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(`{}`))
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	doc, err := hasuraerr.Parse(body)
	require.NoError(t, err)
	assert.True(t, doc.Has("invalid-jwt"))
}

// TestTransportSeesThroughTransparentGzip: Hasura compresses its answers
// when asked; http.Transport asks by itself and decompresses, and the
// rejection must still be recognised.
func TestTransportSeesThroughTransparentGzip(t *testing.T) {
	hasura := newTrHasura(t, trOnly("tok-2"), func(w http.ResponseWriter) {
		var buf bytes.Buffer
		zw := gzip.NewWriter(&buf)
		_, _ = io.WriteString(zw, trExpiredBody)
		_ = zw.Close()
		w.Header().Set("Content-Encoding", "gzip")
		w.Header().Set("Content-Length", strconv.Itoa(buf.Len()))
		_, _ = w.Write(buf.Bytes())
	})
	src := &sources.Counting{}
	tr := newTransport(t, hasura.endpoint(), src, nil)
	req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(`{}`))
	resp, err := tr.RoundTrip(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	assert.Equal(t, trDataBody, string(got))
	assert.Len(t, hasura.requests(), 2)
	minted := src.Minted()
	assert.Equal(t, 2, minted)
}

// TestNewTransportDoesNotStackTransports gives NewTransport a Base that
// already is a clerkhasura.Transport: a rejected token is still retried
// once, with the outer Transport's own source.
func TestNewTransportDoesNotStackTransports(t *testing.T) {
	hasura := newTrHasura(t, trOnly(), trRejectWith(http.StatusOK, trExpiredBody))
	counting := &testkit.CountingRoundTripper{Base: http.DefaultTransport}
	inner := &sources.Counting{}
	innerTr := newTransport(t, hasura.endpoint(), inner, &clerkhasura.TransportOptions{Base: counting})
	src := &sources.Counting{}
	tr := newTransport(t, hasura.endpoint(), src, &clerkhasura.TransportOptions{Base: innerTr})

	resp, err := (&http.Client{Transport: tr}).Post(hasura.endpoint(), "application/json", strings.NewReader(`{"query":"{ users { id } }"}`))
	require.NoError(t, err)
	body, err := io.ReadAll(resp.Body)
	resp.Body.Close()
	require.NoError(t, err)
	assert.Equal(t, trExpiredBody, string(body), "the second refusal is the answer")
	assert.Equal(t, int32(2), counting.Count(), "one request and one retry reach the inner Base")
	seen := hasura.requests()
	require.Len(t, seen, 2)
	assert.Equal(t, "Bearer tok-1", seen[0].Authorization)
	assert.Equal(t, "Bearer tok-2", seen[1].Authorization)
	calls := inner.Calls()
	assert.Zero(t, calls, "the inner Transport's source is not asked")
}
