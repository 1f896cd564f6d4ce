package clerkhasura

import (
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

const peekExpired = `{"errors":[{"extensions":{"path":"$","code":"invalid-jwt"},"message":"Could not verify JWT: JWTExpired"}]}`

func peekResponse(status int, body io.Reader, length int64) (*http.Response, *testkit.CountingBody) {
	cb := &testkit.CountingBody{R: body}
	return &http.Response{StatusCode: status, Header: http.Header{}, Body: cb, ContentLength: length}, cb
}

func TestRejectedToken(t *testing.T) {
	long := `{"data":{"users":[` + strings.Repeat(`{"id":"u"},`, 1000) + `{"id":"v"}]}}`
	tests := []struct {
		name     string
		status   int
		body     io.Reader
		length   int64
		rejected bool
		maxRead  int // bytes rejectedToken may read; -1: any
	}{
		{"invalid-jwt", 200, strings.NewReader(peekExpired), -1, true, -1},
		{"invalid-jwt, one byte per read", 200, iotest.OneByteReader(strings.NewReader(peekExpired)), -1, true, -1},
		{"invalid-jwt, known length", 200, strings.NewReader(peekExpired), int64(len(peekExpired)), true, -1},
		{"invalid-jwt, HTTP 400", 400, strings.NewReader(peekExpired), -1, true, -1},
		{"401, refusal", 401, strings.NewReader(peekExpired), -1, true, -1},
		{"401, data", 401, strings.NewReader(`{"data":{"users":[]}}`), -1, false, -1},
		{"401, null data", 401, strings.NewReader(`{"errors":[],"data":null}`), -1, false, -1},
		{"401, page is read once", 401, strings.NewReader("<html>" + strings.Repeat("x", 4*firstPeek) + "</html>"), -1, true, firstPeek},
		{"401, JSON above the limit", 401, strings.NewReader(`{"errors":[{"message":"` + strings.Repeat("x", maxRejectionBody) + `"}]}`), -1, false, maxRejectionBody},
		{"401, invalid JSON", 401, strings.NewReader(`{"data"`), -1, true, -1},
		{"data is read once", 200, strings.NewReader(long), -1, false, firstPeek},
		{"data, one byte per read", 200, iotest.OneByteReader(strings.NewReader(long)), -1, false, len(`{"d`)},
		{"length above the limit is not read", 200, strings.NewReader(peekExpired), maxRejectionBody + 1, false, 0},
		{"empty length is not read", 200, strings.NewReader(peekExpired), 0, false, 0},
		{"other status is not read", 503, strings.NewReader(peekExpired), -1, false, 0},
		{"refusal next to null data", 200, strings.NewReader(`{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}],"data":null}`), -1, false, -1},
		{"refusal at another path", 200, strings.NewReader(`{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$.x","code":"invalid-jwt"}}]}`), -1, false, -1},
		{"code without the verifier's message", 200, strings.NewReader(`{"errors":[{"message":"JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`), -1, false, -1},
		{"error document above the limit", 200, strings.NewReader(`{"errors":[{"message":"` + strings.Repeat("x", maxRejectionBody) + `","extensions":{"code":"invalid-jwt"}}]}`), -1, false, maxRejectionBody},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp, cb := peekResponse(tt.status, tt.body, tt.length)
			assert.Equal(t, tt.rejected, rejectedToken(resp))
			if tt.maxRead >= 0 {
				assert.LessOrEqual(t, cb.N, tt.maxRead, "bytes read before the caller reads")
			}
			assert.Equal(t, tt.status, resp.StatusCode)
			assert.Equal(t, tt.length, resp.ContentLength)

			got, err := io.ReadAll(resp.Body)
			require.NoError(t, err)
			require.NoError(t, resp.Body.Close())
			assert.True(t, cb.Closed, "closing the response closes the original body")
			assert.NotEmpty(t, got)
			assert.Equal(t, cb.N, len(got), "every byte read reaches the caller")
		})
	}
}

func TestRejectedTokenKeepsReadErrors(t *testing.T) {
	errBroken := errors.New("connection reset")
	resp, cb := peekResponse(200, io.MultiReader(strings.NewReader(`{"err`), iotest.ErrReader(errBroken)), -1)
	assert.False(t, rejectedToken(resp))
	got, err := io.ReadAll(resp.Body)
	assert.ErrorIs(t, err, errBroken)
	assert.Equal(t, `{"err`, string(got))
	require.NoError(t, resp.Body.Close())
	assert.True(t, cb.Closed)
}
