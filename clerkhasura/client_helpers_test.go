package clerkhasura_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// clUnsignedJWT builds a compact JWT with the given claims and a dummy
// signature: enough for reading claims, never for Hasura.
func clUnsignedJWT(t testing.TB, claims map[string]any) string {
	t.Helper()
	enc := func(v any) string {
		b, err := json.Marshal(v)
		require.NoError(t, err)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT", "kid": "ins_test"}) + "." +
		enc(claims) + "." + base64.RawURLEncoding.EncodeToString([]byte("not-a-real-signature"))
}

// clHasuraClaims are the claims of Clerk's Hasura template for userID.
func clHasuraClaims(userID string) map[string]any {
	return map[string]any{
		"sub": userID,
		"exp": time.Now().Add(time.Hour).Unix(),
		"iat": time.Now().Unix(),
		clerkhasura.DefaultClaimsNamespace: map[string]any{
			"x-hasura-user-id":       userID,
			"x-hasura-default-role":  "user",
			"x-hasura-allowed-roles": []string{"user"},
		},
	}
}

// clStatic is a TokenSource that always returns the same token and
// cannot invalidate it.
type clStatic struct{ tok *clerkhasura.Token }

func (s clStatic) Token(context.Context) (*clerkhasura.Token, error) { return s.tok, nil }

func clSource(t testing.TB, claims map[string]any) clStatic {
	return clStatic{tok: &clerkhasura.Token{Value: clUnsignedJWT(t, claims), Expiry: time.Now().Add(time.Hour)}}
}

// clRequest is what the canned Hasura received.
type clRequest struct {
	Header        http.Header
	OperationName string
	Variables     map[string]any
}

// clHasura is an httptest server that answers every GraphQL request with
// the body answer returns for it, and records the requests.
type clHasura struct {
	*httptest.Server
	mu       sync.Mutex
	requests []clRequest
}

func newClHasura(t testing.TB, answer func(clRequest) string) *clHasura {
	t.Helper()
	h := &clHasura{}
	h.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, err := io.ReadAll(r.Body)
		if err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		var req clRequest
		if err := json.Unmarshal(body, &req); err != nil {
			http.Error(w, err.Error(), http.StatusBadRequest)
			return
		}
		req.Header = r.Header.Clone()
		h.mu.Lock()
		h.requests = append(h.requests, req)
		h.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		_, _ = io.WriteString(w, answer(req))
	}))
	t.Cleanup(h.Close)
	return h
}

func (h *clHasura) endpoint() string { return h.URL + "/v1/graphql" }

func (h *clHasura) received() []clRequest {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]clRequest(nil), h.requests...)
}

// clAnswer returns the same body for every request.
func clAnswer(body string) func(clRequest) string {
	return func(clRequest) string { return body }
}
