package apicheck

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestEndpointErrorsAgree checks that hasura.NewClient, middleware.New and
// NewTransport refuse the same endpoints with the same typed error.
func TestEndpointErrorsAgree(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		reason   string
	}{
		{"empty", "", "is empty"},
		{"relative", "/v1/graphql", "scheme is not http or https"},
		{"ftp", "ftp://user:s3cret@x.hasura.app/", "scheme is not http or https"},
		{"no host", "https://user:s3cret@/v1/graphql", "has no host"},
		{"unparsable", "https://user:s3cret@x.hasura.app:port/", "does not parse as a URL"},
	}
	tokens := sources.SessionTokens(t, nil, "hasura", nil)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, clientErr := hasura.NewClient(tt.endpoint, sources.Static{}, nil)
			_, middlewareErr := middleware.New(tt.endpoint, tokens, nil)
			_, transportErr := clerkhasura.NewTransport(tt.endpoint, sources.Static{}, nil)

			want := "clerkhasura: invalid endpoint: " + tt.reason
			for what, err := range map[string]error{"NewClient": clientErr, "NewMiddleware": middlewareErr, "NewTransport": transportErr} {
				var ie *clerkhasura.InputError
				require.True(t, errors.As(err, &ie), "%s: %v", what, err)
				assert.Equal(t, "endpoint", ie.Field, what)
				assert.Equal(t, tt.reason, ie.Reason, what)
				assert.ErrorIs(t, err, clerkhasura.ErrInvalidInput, what)
				assert.Equal(t, want, err.Error(), what)
				assert.NotContains(t, err.Error(), "s3cret", what)
			}
		})
	}
}
