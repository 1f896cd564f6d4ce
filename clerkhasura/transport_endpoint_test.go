package clerkhasura_test

import (
	"errors"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// TestEndpointErrorsAgree checks that NewClient, NewMiddleware and
// Transport refuse the same endpoints with the same typed error.
func TestEndpointErrorsAgree(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		reason   string
	}{
		{"empty", "", "endpoint is empty"},
		{"relative", "/v1/graphql", "scheme is not http or https"},
		{"ftp", "ftp://user:s3cret@x.hasura.app/", "scheme is not http or https"},
		{"no host", "https://user:s3cret@/v1/graphql", "endpoint has no host"},
		{"unparsable", "https://user:s3cret@x.hasura.app:port/", "endpoint does not parse as a URL"},
	}
	tokens := clerkhasura.NewSessionTokens(nil, "hasura", nil)
	t.Cleanup(func() { tokens.Close() })
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, clientErr := clerkhasura.NewClient(tt.endpoint, &trSource{}, nil)
			_, middlewareErr := clerkhasura.NewMiddleware(tt.endpoint, tokens, nil)
			base := &trRoundTripper{}
			tr := &clerkhasura.Transport{Source: &trSource{}, Base: base, Endpoint: tt.endpoint}
			req, _ := http.NewRequest(http.MethodGet, "https://x.hasura.app/v1/graphql", nil)
			_, transportErr := tr.RoundTrip(req)
			assert.Empty(t, base.requests(), "the Transport sends nothing")

			want := "clerkhasura: invalid Hasura endpoint: " + tt.reason
			for what, err := range map[string]error{"NewClient": clientErr, "NewMiddleware": middlewareErr, "Transport": transportErr} {
				var ee *clerkhasura.EndpointError
				require.True(t, errors.As(err, &ee), "%s: %v", what, err)
				assert.Equal(t, tt.reason, ee.Reason, what)
				assert.ErrorIs(t, err, clerkhasura.ErrInvalidEndpoint, what)
				assert.Equal(t, want, err.Error(), what)
				assert.NotContains(t, err.Error(), "s3cret", what)
			}
		})
	}
}

// TestTransportFollowsEndpointChanges uses one Transport for two endpoints
// in turn, as a caller reconfiguring it between uses would: the token goes
// only to the current one.
func TestTransportFollowsEndpointChanges(t *testing.T) {
	const a, b = "https://a.hasura.app/v1/graphql", "https://b.hasura.app/v1/graphql"
	base := &trRoundTripper{}
	tr := &clerkhasura.Transport{Source: &trSource{}, Base: base}
	send := func(endpoint, target string) bool {
		t.Helper()
		tr.Endpoint = endpoint
		req, _ := http.NewRequest(http.MethodGet, target, nil)
		resp, err := tr.RoundTrip(req)
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
	tr.Endpoint = "ftp://b.hasura.app/"
	req, _ := http.NewRequest(http.MethodGet, b, nil)
	_, err := tr.RoundTrip(req)
	require.ErrorIs(t, err, clerkhasura.ErrInvalidEndpoint, "an endpoint parsed before does not outlive its change")
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
			tr := &clerkhasura.Transport{Source: &trSource{err: tt.err}, Base: &trRoundTripper{}, Endpoint: endpoint}
			req, _ := http.NewRequest(http.MethodGet, endpoint, nil)
			_, err := tr.RoundTrip(req)
			require.ErrorIs(t, err, tt.err)
			assert.Equal(t, tt.want, err.Error())
			assert.Equal(t, 1, strings.Count(err.Error(), "clerkhasura:"))
		})
	}
}
