package hasura_test

import (
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// post sends query through a bare Transport.
func post(t *testing.T, endpoint string, src clerkhasura.TokenSource, query string) *http.Response {
	t.Helper()
	tr, err := clerkhasura.NewTransport(endpoint, src, nil)
	require.NoError(t, err)
	body, err := json.Marshal(map[string]any{"query": query, "operationName": "Q"})
	require.NoError(t, err)
	resp, err := (&http.Client{Transport: tr}).Post(endpoint, "application/json", strings.NewReader(string(body)))
	require.NoError(t, err)
	t.Cleanup(func() { resp.Body.Close() })
	return resp
}

func TestErrorFromResponseClassifiesHasurasErrors(t *testing.T) {
	w := newClWorld(t)
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: clName("Ada")})
	src := w.source(t, "user_ada")
	tests := []struct {
		name, query, code string
		class             error
	}{
		{"validation", `query Q { nope { id } }`, "validation-failed", hasura.ErrValidation},
		{"permission", `mutation Q { insert_users_one(object: {id: "user_bob", name: "B"}) { id } }`, "permission-error", hasura.ErrPermission},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, w.hasura.Endpoint(), src, tt.query)
			require.Equal(t, http.StatusOK, resp.StatusCode, "Hasura answers its errors with HTTP 200")
			err := hasura.ErrorFromResponse(resp)
			require.ErrorIs(t, err, tt.class)
			herr, ok := errors.AsType[*hasura.Error](err)
			require.True(t, ok, "%T", err)
			assert.Equal(t, http.StatusOK, herr.StatusCode)
			assert.True(t, herr.Has(tt.code), herr.Error())
			rest, rerr := io.ReadAll(resp.Body)
			require.NoError(t, rerr)
			assert.Contains(t, string(rest), `"errors"`, "the body still reads from the start")
		})
	}
}

func TestErrorFromResponseLeavesTheDataToDecode(t *testing.T) {
	w := newClWorld(t)
	w.hasura.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: clName("Ada")})
	resp := post(t, w.hasura.Endpoint(), w.source(t, "user_ada"), `query Q { users { id name } }`)
	require.NoError(t, hasura.ErrorFromResponse(resp))
	var out struct {
		Data struct {
			Users []struct{ ID, Name string }
		}
	}
	require.NoError(t, json.NewDecoder(resp.Body).Decode(&out))
	assert.Equal(t, []struct{ ID, Name string }{{"user_ada", "Ada"}}, out.Data.Users)
}

func TestErrorFromResponseOfARefusedToken(t *testing.T) {
	w := newClWorld(t)
	token := sources.FromClaims(t, testkit.HasuraClaims("user_ada")) // unsigned: Hasura refuses it
	resp := post(t, w.hasura.Endpoint(), token, `query Q { users { id } }`)
	err := hasura.ErrorFromResponse(resp)
	require.ErrorIs(t, err, hasura.ErrAuth)
	assert.Equal(t, "invalid-jwt", err.(*hasura.Error).Code())
	testkit.AssertNoSecret(t, err, token.Tok.Value)
}

// canned answers every request with status, content type and body.
func canned(t *testing.T, status int, contentType, body string) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", contentType)
		w.WriteHeader(status)
		_, _ = io.WriteString(w, body)
	}))
	t.Cleanup(srv.Close)
	return srv.URL + "/v1/graphql"
}

func TestErrorFromResponseOfOtherAnswers(t *testing.T) {
	src := sources.FromClaims(t, testkit.HasuraClaims("user_1"))
	secret := src.Tok.Value
	tests := []struct {
		name        string
		status      int
		contentType string
		body        string
		want        string
		class       error
	}{
		{"proxy page echoing the token", http.StatusBadGateway, "text/html", "<pre>Authorization: Bearer " + secret + "</pre>",
			"clerkhasura: Hasura (HTTP 502): HTTP 502 Bad Gateway (non-JSON body, " + itoa(len("<pre>Authorization: Bearer "+secret+"</pre>")) + " bytes)", nil},
		{"gateway's 401", http.StatusUnauthorized, "application/json", `{"message":"no"}`,
			"clerkhasura: Hasura (HTTP 401): HTTP 401 Unauthorized", hasura.ErrAuth},
		{"JSON errors with another status", http.StatusBadRequest, "application/json",
			`{"errors":[{"message":"parsing failed","extensions":{"code":"parse-failed","path":"$"}}]}`,
			"clerkhasura: Hasura (HTTP 400): parsing failed (parse-failed at $)", hasura.ErrValidation},
		{"200 that is not JSON", http.StatusOK, "text/html", "<html>captive portal</html>",
			"clerkhasura: Hasura: HTTP 200 OK (non-JSON body, 27 bytes)", nil},
		{"200 with an empty body", http.StatusOK, "application/json", "", "clerkhasura: Hasura: HTTP 200 OK (non-JSON body, 0 bytes)", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := post(t, canned(t, tt.status, tt.contentType, tt.body), src, `query Q { users { id } }`)
			err := hasura.ErrorFromResponse(resp)
			require.Error(t, err)
			assert.Equal(t, tt.want, err.Error())
			herr, ok := errors.AsType[*hasura.Error](err)
			require.True(t, ok)
			assert.Equal(t, tt.status, herr.StatusCode)
			if tt.class != nil {
				assert.ErrorIs(t, err, tt.class)
			}
			testkit.AssertNoSecret(t, err, secret)
			rest, rerr := io.ReadAll(resp.Body)
			require.NoError(t, rerr)
			assert.Equal(t, tt.body, string(rest), "the body still reads from the start")
		})
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

func TestErrorFromResponseOfHugeBodies(t *testing.T) {
	src := sources.FromClaims(t, testkit.HasuraClaims("user_1"))
	srv := httptest.NewServer(testkit.ServeRepeated(http.StatusBadGateway, "text/html", "<p>Bad Gateway</p>", 8<<20))
	t.Cleanup(srv.Close) // after the body's Close, which post registers
	resp := post(t, srv.URL+"/v1/graphql", src, `query Q { users { id } }`)
	err := hasura.ErrorFromResponse(resp)
	assert.ErrorIs(t, err, clerkhasura.ErrResponseTooLarge, "the Transport's bound")
	assert.Equal(t, "clerkhasura: Hasura (HTTP 502): HTTP 502 Bad Gateway (body larger than the limit, not read)", err.Error())

	// Without a Transport, the function's own bound.
	big := &http.Response{StatusCode: http.StatusBadGateway, Header: http.Header{},
		Body: io.NopCloser(strings.NewReader(strings.Repeat("x", clerkhasura.DefaultMaxBodyBytes+1)))}
	assert.ErrorIs(t, hasura.ErrorFromResponse(big), clerkhasura.ErrResponseTooLarge)

	data := `{"data":{"users":[` + strings.Repeat(`{"id":"user_1"},`, clerkhasura.DefaultMaxBodyBytes/16) + `{"id":"last"}]}}`
	ok := &http.Response{StatusCode: http.StatusOK, Header: http.Header{}, Body: io.NopCloser(strings.NewReader(data))}
	require.NoError(t, hasura.ErrorFromResponse(ok), "a long 200 answer is data")
	rest, rerr := io.ReadAll(ok.Body)
	require.NoError(t, rerr)
	assert.Equal(t, data, string(rest))
}

func TestErrorFromResponseOfUnreadableOrMissingAnswers(t *testing.T) {
	boom := errors.New("connection reset")
	resp := &http.Response{StatusCode: http.StatusOK, Header: http.Header{},
		Body: io.NopCloser(iotest.ErrReader(boom))}
	err := hasura.ErrorFromResponse(resp)
	assert.ErrorIs(t, err, boom)
	assert.Equal(t, "clerkhasura: reading Hasura's answer: connection reset", err.Error())

	assert.ErrorIs(t, hasura.ErrorFromResponse(nil), clerkhasura.ErrInvalidInput)

	gz := &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Encoding": {"gzip"}},
		Body: io.NopCloser(strings.NewReader("\x1f\x8b..."))}
	assert.ErrorContains(t, hasura.ErrorFromResponse(gz), "non-JSON body")

	empty := &http.Response{StatusCode: http.StatusNoContent, Header: http.Header{}, Body: http.NoBody}
	assert.EqualError(t, hasura.ErrorFromResponse(empty), "clerkhasura: Hasura (HTTP 204): HTTP 204 No Content (non-JSON body, 0 bytes)")
}
