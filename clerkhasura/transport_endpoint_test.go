package clerkhasura_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestTransportKeepsToItsEndpoint sends requests for two endpoints through
// two Transports over one base: each adds the token to its own
// endpoint's requests only.
func TestTransportKeepsToItsEndpoint(t *testing.T) {
	const a, b = "https://a.hasura.app/v1/graphql", "https://b.hasura.app/v1/graphql"
	base := &trRoundTripper{}
	transports := map[string]*clerkhasura.Transport{
		a: newTransport(t, a, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base}),
		b: newTransport(t, b, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base}),
	}
	send := func(endpoint, target string) bool {
		t.Helper()
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		resp, err := transports[endpoint].RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		sent := base.requests()
		return sent[len(sent)-1].Header.Get("Authorization") != ""
	}
	for range 3 {
		assert.True(t, send(a, a))
		assert.False(t, send(a, b))
		assert.True(t, send(b, b))
		assert.False(t, send(b, a))
	}
}

func TestTransportTokenErrorsArePrefixedOnce(t *testing.T) {
	const endpoint = "https://x.hasura.app/v1/graphql"
	tests := []struct {
		name string
		err  error
		want string
	}{
		{"package error", clerkhasura.ErrSessionGone,
			"clerkhasura: getting a token for Hasura: Clerk session or JWT template not found"},
		{"wrapped package error", &clerkhasura.InputError{Field: "session ID", Reason: "is empty"},
			"clerkhasura: getting a token for Hasura: invalid session ID: is empty"},
		{"foreign error", errors.New("vault: sealed"),
			"clerkhasura: getting a token for Hasura: vault: sealed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := newTransport(t, endpoint, &sources.Counting{Err: tt.err}, &clerkhasura.TransportOptions{Base: &trRoundTripper{}})
			req, _ := http.NewRequest(http.MethodGet, endpoint, nil)
			_, err := tr.RoundTrip(req)
			require.ErrorIs(t, err, tt.err)
			assert.Equal(t, tt.want, err.Error())
			assert.Equal(t, 1, strings.Count(err.Error(), "clerkhasura:"))
		})
	}
}
