package bodylimit_test

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/bodylimit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

var errTooLarge = errors.New("clerkhasura: too large")

func response(status int, body string) *http.Response {
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(body))}
}

func TestLimit(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		limit   int64
		oneByte bool
		tooBig  bool
	}{
		{"under", "abc", 4, false, false},
		{"at the limit", "abcd", 4, false, false},
		{"one over", "abcde", 4, false, true},
		{"far over", strings.Repeat("x", 1<<16), 4, false, true},
		{"at the limit, a byte a read", "abcd", 4, true, false},
		{"one over, a byte a read", "abcde", 4, true, true},
		{"empty body, zero limit", "", 0, false, false},
		{"zero limit", "a", 0, false, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := response(http.StatusBadGateway, tt.body)
			if tt.oneByte {
				resp.Body = io.NopCloser(iotest.OneByteReader(strings.NewReader(tt.body)))
			}
			bodylimit.Limit(resp, tt.limit, errTooLarge)
			got, err := io.ReadAll(resp.Body)
			if !tt.tooBig {
				require.NoError(t, err)
				assert.Equal(t, tt.body, string(got))
				return
			}
			require.ErrorIs(t, err, errTooLarge)
			assert.Equal(t, tt.body[:tt.limit], string(got), "the bytes up to the limit are read")
			status, ok := bodylimit.Status(err)
			assert.True(t, ok)
			assert.Equal(t, http.StatusBadGateway, status)
			_, err = resp.Body.Read(make([]byte, 8))
			assert.ErrorIs(t, err, errTooLarge, "the error sticks")
		})
	}
}

func TestErrorMessage(t *testing.T) {
	err := &bodylimit.Error{Kind: errTooLarge, Limit: 4, Status: 502}
	assert.EqualError(t, err, "clerkhasura: too large (HTTP 502, limit 4 bytes)")
	assert.NotErrorIs(t, err, io.EOF)
	_, ok := bodylimit.Status(io.EOF)
	assert.False(t, ok)
}

func TestLimitLeavesNoBodyAlone(t *testing.T) {
	resp := &http.Response{Body: http.NoBody}
	bodylimit.Limit(resp, 1, errTooLarge)
	assert.Equal(t, http.NoBody, resp.Body)
	resp = &http.Response{}
	bodylimit.Limit(resp, 1, errTooLarge)
	assert.Nil(t, resp.Body)
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

func TestTransport(t *testing.T) {
	base := roundTripFunc(func(*http.Request) (*http.Response, error) { return response(200, "abcdef"), nil })
	tr := &bodylimit.Transport{Base: base, Limit: 3, Kind: errTooLarge}
	resp, err := tr.RoundTrip(&http.Request{})
	require.NoError(t, err)
	got, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, errTooLarge)
	assert.Equal(t, "abc", string(got))

	errNet := errors.New("connection refused")
	tr.Base = roundTripFunc(func(*http.Request) (*http.Response, error) { return nil, errNet })
	_, err = tr.RoundTrip(&http.Request{})
	assert.ErrorIs(t, err, errNet)
}

func TestSuccessfulJSON(t *testing.T) {
	tests := []struct {
		status int
		ct     string
		want   bool
	}{
		{200, "application/json", true},
		{200, "application/json; charset=utf-8", true},
		{204, " Application/JSON ", true},
		{200, "application/graphql-response+json", true},
		{200, "application/problem+JSON;charset=utf-8", true},
		{200, "application/+json", false},
		{200, "/x+json", false},
		{200, "text/html", false},
		{200, "application/jsonx", false},
		{200, "", false},
		{199, "application/json", false},
		{300, "application/json", false},
		{502, "application/json", false},
	}
	for _, tt := range tests {
		t.Run(tt.ct, func(t *testing.T) {
			resp := &http.Response{StatusCode: tt.status, Header: http.Header{"Content-Type": {tt.ct}}}
			assert.Equal(t, tt.want, bodylimit.SuccessfulJSON(resp))
		})
	}
}

func TestDiscard(t *testing.T) {
	for _, size := range []int{0, 100, 1 << 20} {
		body := &testkit.CountingBody{R: strings.NewReader(strings.Repeat("x", size))}
		bodylimit.Discard(&http.Response{Body: body})
		assert.True(t, body.Closed)
		assert.Equal(t, min(size, 4<<10), body.N, "reads a little of a large body, all of a small one")
	}
}
