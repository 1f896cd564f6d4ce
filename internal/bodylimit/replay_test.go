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

func request(body io.Reader, length int64) (*http.Request, *testkit.CountingBody) {
	cb := &testkit.CountingBody{R: body}
	req, _ := http.NewRequest(http.MethodPost, "https://h.example/v1/graphql", nil)
	req.Body, req.ContentLength = cb, length
	return req, cb
}

func TestReplayableBuffersUpToTheLimit(t *testing.T) {
	req, cb := request(strings.NewReader("abcd"), -1)
	out, err := bodylimit.Replayable(req, 4)
	require.NoError(t, err)
	assert.True(t, cb.Closed, "the original body is closed once read")
	assert.True(t, bodylimit.CanReplay(out))
	assert.Equal(t, int64(4), out.ContentLength)
	for range 2 {
		got, err := io.ReadAll(out.Body)
		require.NoError(t, err)
		assert.Equal(t, "abcd", string(got))
		out.Body, err = out.GetBody()
		require.NoError(t, err)
	}
	assert.Nil(t, req.GetBody, "req is not modified")
}

func TestReplayableEmptyBody(t *testing.T) {
	req, cb := request(strings.NewReader(""), -1)
	out, err := bodylimit.Replayable(req, 4)
	require.NoError(t, err)
	assert.True(t, cb.Closed)
	assert.Equal(t, http.NoBody, out.Body)
	assert.Equal(t, int64(0), out.ContentLength)
}

func TestReplayableStreamsAboveTheLimit(t *testing.T) {
	req, cb := request(strings.NewReader("abcdef"), -1)
	out, err := bodylimit.Replayable(req, 4)
	require.NoError(t, err)
	assert.False(t, bodylimit.CanReplay(out))
	got, err := io.ReadAll(out.Body)
	require.NoError(t, err)
	assert.Equal(t, "abcdef", string(got), "what was read first, then the rest")
	assert.False(t, cb.Closed)
	require.NoError(t, out.Body.Close())
	assert.True(t, cb.Closed)
}

func TestReplayableLeavesAloneWhatItNeedNotRead(t *testing.T) {
	long, cb := request(strings.NewReader("abcdef"), 6)
	out, err := bodylimit.Replayable(long, 4)
	require.NoError(t, err)
	assert.Same(t, long, out, "a known length above the limit streams")
	assert.False(t, cb.Closed)

	own, _ := http.NewRequest(http.MethodPost, "https://h.example/", strings.NewReader("abc"))
	out, err = bodylimit.Replayable(own, 4)
	require.NoError(t, err)
	assert.Same(t, own, out, "a request with GetBody")
}

func TestReplayableClosesOnReadError(t *testing.T) {
	errBroken := errors.New("connection reset")
	req, cb := request(iotest.ErrReader(errBroken), -1)
	_, err := bodylimit.Replayable(req, 4)
	assert.ErrorIs(t, err, errBroken)
	assert.True(t, cb.Closed)
}
