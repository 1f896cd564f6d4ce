package clerkhasura_test

import (
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

func TestTransportAuthorizesOnlyTheEndpointOrigin(t *testing.T) {
	tests := []struct {
		name     string
		endpoint string
		url      string
		want     bool
	}{
		{"same origin", "https://x.hasura.app/v1/graphql", "https://x.hasura.app/v1/graphql", true},
		{"other path on the same origin", "https://x.hasura.app/v1/graphql", "https://x.hasura.app/v1/metadata", true},
		{"host case differs", "https://X.Hasura.App/v1/graphql", "https://x.hasura.APP/v1/graphql", true},
		{"default port written out", "https://x.hasura.app/v1/graphql", "https://x.hasura.app:443/v1/graphql", true},
		{"explicit port", "http://127.0.0.1:8080/v1/graphql", "http://127.0.0.1:8080/v1/graphql", true},
		{"ipv6", "http://[::1]:8080/v1/graphql", "http://[::1]:8080/x", true},
		{"other host", "https://x.hasura.app/v1/graphql", "https://evil.example/v1/graphql", false},
		{"subdomain", "https://x.hasura.app/v1/graphql", "https://a.x.hasura.app/v1/graphql", false},
		{"suffix trick", "https://x.hasura.app/v1/graphql", "https://x.hasura.app.evil.example/v1/graphql", false},
		{"other port", "http://127.0.0.1:8080/v1/graphql", "http://127.0.0.1:8081/v1/graphql", false},
		{"plain http to an https endpoint", "https://x.hasura.app/v1/graphql", "http://x.hasura.app/v1/graphql", false},
		{"https port over http", "https://x.hasura.app/v1/graphql", "http://x.hasura.app:443/v1/graphql", false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := &trRoundTripper{}
			tr := newTransport(t, tt.endpoint, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base, Role: "user"})
			req, err := http.NewRequest(http.MethodPost, tt.url, strings.NewReader(`{}`))
			require.NoError(t, err)
			req.Header.Set("X-Trace", "abc")

			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			resp.Body.Close()

			sent := base.requests()
			require.Len(t, sent, 1)
			assert.Equal(t, "abc", sent[0].Header.Get("X-Trace"), "caller headers are kept")
			if tt.want {
				assert.Equal(t, "Bearer tok-1", sent[0].Header.Get("Authorization"))
				assert.Equal(t, "user", sent[0].Header.Get("X-Hasura-Role"))
			} else {
				assert.Empty(t, sent[0].Header.Values("Authorization"))
				assert.Empty(t, sent[0].Header.Values("X-Hasura-Role"))
			}
		})
	}
}

func TestTransportHeaders(t *testing.T) {
	const endpoint = "https://x.hasura.app/v1/graphql"
	t.Run("no role header without Role", func(t *testing.T) {
		base := &trRoundTripper{}
		tr := newTransport(t, endpoint, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base})
		req, _ := http.NewRequest(http.MethodPost, endpoint, nil)
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "Bearer tok-1", base.requests()[0].Header.Get("Authorization"))
		assert.Empty(t, base.requests()[0].Header.Values("X-Hasura-Role"))
	})
	t.Run("the caller's Authorization is replaced for Hasura", func(t *testing.T) {
		base := &trRoundTripper{}
		tr := newTransport(t, endpoint, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base})
		req, _ := http.NewRequest(http.MethodPost, endpoint, nil)
		req.Header.Set("Authorization", "Bearer caller")
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, []string{"Bearer tok-1"}, base.requests()[0].Header.Values("Authorization"))
	})
	t.Run("the caller's Authorization is kept elsewhere", func(t *testing.T) {
		base := &trRoundTripper{}
		tr := newTransport(t, endpoint, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base})
		req, _ := http.NewRequest(http.MethodGet, "https://api.example/", nil)
		req.Header.Set("Authorization", "Basic other")
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, []string{"Basic other"}, base.requests()[0].Header.Values("Authorization"))
	})
	t.Run("a request with no header map", func(t *testing.T) {
		base := &trRoundTripper{}
		tr := newTransport(t, endpoint, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base})
		req, _ := http.NewRequest(http.MethodPost, endpoint, nil)
		req.Header = nil
		resp, err := tr.RoundTrip(req)
		require.NoError(t, err)
		resp.Body.Close()
		assert.Equal(t, "Bearer tok-1", base.requests()[0].Header.Get("Authorization"))
		assert.Nil(t, req.Header)
	})
}

func TestTransportRedirectToAnotherHostCarriesNoToken(t *testing.T) {
	var other trSeen
	otherSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		other = trSeen{Authorization: r.Header.Get("Authorization"), Role: r.Header.Get("X-Hasura-Role"), Body: string(body), Path: r.URL.Path}
		_, _ = io.WriteString(w, trDataBody)
	}))
	defer otherSrv.Close()
	var first trSeen
	hasura := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		first = trSeen{Authorization: r.Header.Get("Authorization"), Role: r.Header.Get("X-Hasura-Role")}
		http.Redirect(w, r, otherSrv.URL+"/elsewhere", http.StatusTemporaryRedirect)
	}))
	defer hasura.Close()

	client := &http.Client{Transport: newTransport(t, hasura.URL+"/v1/graphql", &sources.Counting{}, &clerkhasura.TransportOptions{Role: "user"})}
	const query = `{"query":"{ users { id } }"}`
	resp, err := client.Post(hasura.URL+"/v1/graphql", "application/json", strings.NewReader(query))
	require.NoError(t, err)
	defer resp.Body.Close()
	got, err := io.ReadAll(resp.Body)
	require.NoError(t, err)

	assert.Equal(t, trDataBody, string(got))
	assert.Equal(t, "Bearer tok-1", first.Authorization)
	assert.Equal(t, "user", first.Role)
	assert.Equal(t, "/elsewhere", other.Path, "the redirect was followed")
	assert.Equal(t, query, other.Body, "a 307 replays the body")
	assert.Empty(t, other.Authorization, "the token must not follow a redirect to another host")
	assert.Empty(t, other.Role)
}

func TestTransportDoesNotModifyTheRequest(t *testing.T) {
	hasura := newTrHasura(t, trOnly("tok-2"), trRejectWith(http.StatusOK, trExpiredBody))
	tr := newTransport(t, hasura.endpoint(), &sources.Counting{}, &clerkhasura.TransportOptions{Role: "user"})
	for _, name := range []string{"with GetBody", "without GetBody"} {
		t.Run(name, func(t *testing.T) {
			var body io.Reader = strings.NewReader(`{"query":"{ users { id } }"}`)
			if name == "without GetBody" {
				body = newTrBody(`{"query":"{ users { id } }"}`)
			}
			req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), body)
			req.Header.Set("Content-Type", "application/json")
			req.Header.Add("X-Multi", "a")
			req.Header.Add("X-Multi", "b")
			wantHeader := req.Header.Clone()
			wantURL := req.URL.String()
			wantBody, wantGetBody, wantLength := req.Body, req.GetBody != nil, req.ContentLength

			resp, err := tr.RoundTrip(req)
			require.NoError(t, err)
			resp.Body.Close()

			assert.Equal(t, wantHeader, req.Header)
			assert.Equal(t, wantURL, req.URL.String())
			assert.True(t, wantBody == req.Body, "req.Body was replaced")
			assert.Equal(t, wantGetBody, req.GetBody != nil)
			assert.Equal(t, wantLength, req.ContentLength)
		})
	}
}

func TestTransportSourceErrors(t *testing.T) {
	errClerk := errors.New("clerk: session gone")
	hasura := newTrHasura(t, trOnly("tok-2"), trRejectWith(http.StatusOK, trExpiredBody))
	t.Run("first token", func(t *testing.T) {
		src := &sources.Counting{Err: errClerk}
		tr := newTransport(t, hasura.endpoint(), src, nil)
		body := newTrBody(`{}`)
		req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), body)
		resp, err := tr.RoundTrip(req)
		require.Error(t, err)
		assert.Nil(t, resp)
		assert.ErrorIs(t, err, errClerk)
		assert.Equal(t, "clerkhasura: getting a token for Hasura: clerk: session gone", err.Error())
		assert.True(t, body.isClosed())
		assert.Empty(t, hasura.requests(), "nothing is sent without a token")
	})
	t.Run("token for the retry", func(t *testing.T) {
		src := &sources.Counting{Err: errClerk, ErrAfter: 1}
		tr := newTransport(t, hasura.endpoint(), src, nil)
		req, _ := http.NewRequest(http.MethodPost, hasura.endpoint(), strings.NewReader(`{}`))
		before := len(hasura.requests())
		resp, err := tr.RoundTrip(req)
		require.Error(t, err)
		assert.Nil(t, resp)
		assert.ErrorIs(t, err, errClerk)
		assert.Equal(t, "clerkhasura: Hasura rejected the token; getting a new one: clerk: session gone", err.Error())
		assert.Len(t, hasura.requests(), before+1)
	})
}

// TestNewTransportRefuses: an endpoint that cannot be one, or no source,
// is refused when the Transport is made, never at RoundTrip.
func TestNewTransportRefuses(t *testing.T) {
	const endpoint = "https://x.hasura.app/v1/graphql"
	tests := []struct {
		name     string
		endpoint string
		src      clerkhasura.TokenSource
		field    string
	}{
		{"no endpoint", "", &sources.Counting{}, "endpoint"},
		{"relative endpoint", "/v1/graphql", &sources.Counting{}, "endpoint"},
		{"endpoint without host", "https:///v1/graphql", &sources.Counting{}, "endpoint"},
		{"ftp endpoint", "ftp://x.hasura.app/", &sources.Counting{}, "endpoint"},
		{"unparsable endpoint", "https://x.hasura.app:port/", &sources.Counting{}, "endpoint"},
		{"no source", endpoint, nil, "token source"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr, err := clerkhasura.NewTransport(tt.endpoint, tt.src, &clerkhasura.TransportOptions{Base: &trRoundTripper{}})
			require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
			assert.Nil(t, tr)
			var ie *clerkhasura.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.True(t, strings.HasPrefix(err.Error(), "clerkhasura: "), err.Error())
		})
	}
}

func TestTransportClosesTheRequestBodyOnErrors(t *testing.T) {
	const endpoint = "https://x.hasura.app/v1/graphql"
	tests := []struct {
		name string
		src  clerkhasura.TokenSource
	}{
		{"source error", &sources.Counting{Err: errors.New("down")}},
		{"empty token", sources.Static{Tok: &clerkhasura.Token{}}},
		{"nil token", sources.Static{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			base := &trRoundTripper{}
			tr := newTransport(t, endpoint, tt.src, &clerkhasura.TransportOptions{Base: base})
			body := newTrBody(`{}`)
			req, _ := http.NewRequest(http.MethodPost, endpoint, body)
			resp, err := tr.RoundTrip(req)
			require.Error(t, err)
			assert.Nil(t, resp)
			assert.True(t, body.isClosed(), "the request body is closed")
			assert.True(t, strings.HasPrefix(err.Error(), "clerkhasura: "), err.Error())
			assert.Empty(t, base.requests(), "nothing is sent")
		})
	}
	t.Run("unreadable body", func(t *testing.T) {
		body := &trBody{r: io.MultiReader(strings.NewReader("{"), trErrReader{})}
		base := &trRoundTripper{}
		tr := newTransport(t, endpoint, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base})
		req, _ := http.NewRequest(http.MethodPost, endpoint, body)
		_, err := tr.RoundTrip(req)
		require.ErrorIs(t, err, errTrRead)
		assert.True(t, body.isClosed())
		assert.Empty(t, base.requests())
	})
}

func TestTransportEndpointErrorHidesTheEndpoint(t *testing.T) {
	_, err := clerkhasura.NewTransport("ftp://user:hunter2@x.hasura.app/", &sources.Counting{}, nil)
	require.ErrorIs(t, err, clerkhasura.ErrInvalidInput)
	assert.NotContains(t, err.Error(), "hunter2")
}

func TestTransportErrorsNeverContainTheToken(t *testing.T) {
	const secret = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ1c2VyXzEifQ.c2lnbmF0dXJl"
	hasura := newTrHasura(t, trOnly(), trRejectWith(http.StatusOK, trExpiredBody))
	closed := httptest.NewServer(http.NotFoundHandler())
	closed.Close()
	tests := []struct {
		name string
		tok  string
		url  string
	}{
		{"connection refused", secret, closed.URL},
		{"token not valid in a header", secret + "\n", hasura.endpoint()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			client := &http.Client{Transport: newTransport(t, tt.url, sources.Static{Tok: &clerkhasura.Token{Value: tt.tok}}, nil)}
			_, err := client.Post(tt.url, "application/json", strings.NewReader(`{}`))
			require.Error(t, err)
			assert.NotContains(t, err.Error(), secret[20:])
		})
	}
}
