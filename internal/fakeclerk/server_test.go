package fakeclerk

import (
	"encoding/base64"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const testKey = "sk_test_engine"

func newTestServer(t *testing.T) *Server {
	t.Helper()
	s, err := New(Config{
		SecretKey: testKey,
		Issuer:    "https://clerk.example.test",
		Templates: map[string]Template{"hasura": {Claims: map[string]any{"u": "{{user.id}}"}}},
	})
	require.NoError(t, err)
	t.Cleanup(s.Close)
	return s
}

func serve(s *Server, method, path, body string) *httptest.ResponseRecorder {
	var r *http.Request
	if body == "-" {
		r = httptest.NewRequest(method, path, nil)
	} else {
		r = httptest.NewRequest(method, path, strings.NewReader(body))
	}
	r.Header.Set("Authorization", "Bearer "+testKey)
	rec := httptest.NewRecorder()
	s.ServeHTTP(rec, r)
	return rec
}

func TestNewRequiresKeyAndIssuer(t *testing.T) {
	_, err := New(Config{Issuer: "https://clerk.x"})
	assert.ErrorContains(t, err, "secret key")
	_, err = New(Config{SecretKey: "k"})
	assert.ErrorContains(t, err, "issuer")
	_, err = New(Config{SecretKey: "k", Issuer: "i", Templates: map[string]Template{"t": {Claims: map[string]any{"sub": 1}}}})
	assert.True(t, errors.Is(err, ErrInvalidTemplate))
}

func TestTokenRequestBodies(t *testing.T) {
	s := newTestServer(t)
	sid, err := s.CreateSession("user_1")
	require.NoError(t, err)
	for _, tc := range []struct {
		name, body string
		status     int
	}{
		{"no body", "-", 200},
		{"empty object", "{}", 200},
		{"null", "null", 200},
		{"null expiry", `{"expires_in_seconds":null}`, 200},
		{"expiry", `{"expires_in_seconds":30}`, 200},
		{"unknown field", `{"other":1}`, 200},
		{"zero expiry", `{"expires_in_seconds":0}`, 422},
		{"huge expiry", `{"expires_in_seconds":315360001}`, 422},
		{"string expiry", `{"expires_in_seconds":"30"}`, 400},
		{"not JSON", `{`, 400},
	} {
		t.Run(tc.name, func(t *testing.T) {
			rec := serve(s, http.MethodPost, "/v1/sessions/"+sid+"/tokens/hasura", tc.body)
			assert.Equal(t, tc.status, rec.Code, rec.Body.String())
			assert.Equal(t, "application/json", rec.Header().Get("Content-Type"))
			if tc.status != 200 {
				return
			}
			var out tokenJSON
			require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &out))
			assert.Equal(t, "token", out.Object)
			assert.Equal(t, 2, strings.Count(out.JWT, "."))
		})
	}
	assert.Equal(t, int64(4), s.Stats().BadRequests)
}

func TestEmptyAuthorizedPartyIsOmitted(t *testing.T) {
	s := newTestServer(t)
	sid, err := s.CreateSession("user_1")
	require.NoError(t, err)
	tok, err := s.MintTemplateToken(sid, "hasura", 0)
	require.NoError(t, err)
	payload := strings.Split(tok, ".")[1]
	assert.NotContains(t, payload, "azp", "base64 of the payload")
	var claims map[string]any
	raw, err := base64URL(payload)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &claims))
	assert.NotContains(t, claims, "azp")
	assert.Equal(t, "user_1", claims["u"])
}

func TestSessionExpiresOnTheFakeClock(t *testing.T) {
	s := newTestServer(t)
	start := time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC)
	s.SetNow(func() time.Time { return start })
	sid, err := s.CreateSession("user_1")
	require.NoError(t, err)

	s.SetNow(func() time.Time { return start.Add(sessionExpiry - time.Second) })
	_, err = s.MintSessionToken(sid, 0)
	require.NoError(t, err)

	s.SetNow(func() time.Time { return start.Add(sessionExpiry) })
	_, err = s.MintSessionToken(sid, 0)
	assert.True(t, errors.Is(err, ErrInactiveSession), "got %v", err)
	rec := serve(s, http.MethodGet, "/v1/sessions/"+sid, "-")
	assert.Contains(t, rec.Body.String(), `"status":"expired"`)
}

func base64URL(s string) ([]byte, error) { return base64.RawURLEncoding.DecodeString(s) }
