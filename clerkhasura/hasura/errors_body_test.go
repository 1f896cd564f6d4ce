package hasura

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestHasuraErrorHidesNonJSONBodies sends a token through a proxy that
// answers with an error page echoing the request's headers.
func TestHasuraErrorHidesNonJSONBodies(t *testing.T) {
	const secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl"
	var page string
	proxy := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusBadGateway)
		_, _ = io.WriteString(w, page)
	}))
	defer proxy.Close()
	tests := []struct {
		name string
		body func(auth string) string
	}{
		{"html echoing the headers", func(auth string) string {
			return "<html><body><h1>502 Bad Gateway</h1><pre>Authorization: " + auth + "</pre></body></html>"
		}},
		{"plain text", func(auth string) string { return "upstream failed for " + auth }},
		{"a JSON string", func(auth string) string { return `"` + auth + `"` }},
		{"empty", func(string) string { return "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			page = tt.body("Bearer " + secret)
			src := sources.Func(func(context.Context) (*clerkhasura.Token, error) { return &clerkhasura.Token{Value: secret}, nil })
			tr, err := clerkhasura.NewTransport(proxy.URL, src, nil)
			require.NoError(t, err)
			gql := graphql.NewClient(proxy.URL+"/v1/graphql", &http.Client{Transport: tr})
			err = wrapError(gql.MakeRequest(t.Context(), &graphql.Request{Query: "query Q { users { id } }", OpName: "Q"}, &graphql.Response{}))

			var herr *Error
			require.ErrorAs(t, err, &herr)
			assert.Equal(t, http.StatusBadGateway, herr.StatusCode)
			want := "HTTP 502 Bad Gateway (non-JSON body, " + strconv.Itoa(len(page)) + " bytes)"
			require.Len(t, herr.Errors, 1)
			assert.Equal(t, want, herr.Errors[0].Message)
			assert.Equal(t, "clerkhasura: Hasura (HTTP 502): "+want, err.Error())
			var he *graphql.HTTPError
			require.ErrorAs(t, err, &he, "an HTTPError stays reachable")
			assert.Equal(t, http.StatusBadGateway, he.StatusCode)
			assert.NotContains(t, he.Error(), secret)
			assert.NotContains(t, err.Error(), secret)
		})
	}
}

func TestWrapGraphQLErrorKeepsJSONMessages(t *testing.T) {
	tests := []struct {
		name string
		he   *graphql.HTTPError
		want string
	}{
		{"with extensions", &graphql.HTTPError{StatusCode: http.StatusBadRequest, Response: graphql.Response{
			Errors: gqlerror.List{{Message: "bad request", Extensions: map[string]any{"code": "parse-failed"}}},
		}}, "bad request"},
		{"two errors", &graphql.HTTPError{StatusCode: http.StatusBadRequest, Response: graphql.Response{
			Errors: gqlerror.List{{Message: "one"}, {Message: "two"}},
		}}, "one"},
		{"message that is a JSON document", &graphql.HTTPError{StatusCode: http.StatusBadRequest, Response: graphql.Response{
			Errors: gqlerror.List{{Message: `{"errors":[]}`}},
		}}, `{"errors":[]}`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var herr *Error
			require.ErrorAs(t, wrapError(tt.he), &herr)
			assert.Equal(t, tt.want, herr.Errors[0].Message)
			var got *graphql.HTTPError
			require.ErrorAs(t, herr, &got)
			assert.Same(t, tt.he, got)
			assert.False(t, strings.Contains(herr.Error(), "non-JSON"))
		})
	}
}

// TestHasuraErrorForBodiesNotRead: genqlient puts a note in place of a body
// it could not read; the note's read error is not Hasura's and is left
// out, except that the Transport's limit is named.
func TestHasuraErrorForBodiesNotRead(t *testing.T) {
	tests := []struct {
		name     string
		message  string
		want     string
		tooLarge bool
	}{
		{"the Transport's limit", "<unreadable: " + clerkhasura.ErrResponseTooLarge.Error() + " (1048576 bytes)>",
			"HTTP 502 Bad Gateway (body larger than the limit, not read)", true},
		{"a broken connection", "<unreadable: read tcp 10.0.0.1:443: connection reset by peer>",
			"HTTP 502 Bad Gateway (body unreadable)", false},
		{"a page that only starts like the note", "<unreadable: clerkhasura",
			"HTTP 502 Bad Gateway (non-JSON body, 24 bytes)", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			he := &graphql.HTTPError{StatusCode: http.StatusBadGateway, Response: graphql.Response{
				Errors: gqlerror.List{{Message: tt.message}},
			}}
			err := wrapError(he)
			var herr *Error
			require.ErrorAs(t, err, &herr)
			require.Len(t, herr.Errors, 1)
			assert.Equal(t, tt.want, herr.Errors[0].Message)
			assert.Equal(t, tt.tooLarge, errors.Is(err, clerkhasura.ErrResponseTooLarge))
			assert.NotContains(t, err.Error(), "10.0.0.1")
			var got *graphql.HTTPError
			require.ErrorAs(t, err, &got)
			assert.Equal(t, tt.want, got.Response.Errors[0].Message, "the wrapped error hides the note too")
		})
	}
}
