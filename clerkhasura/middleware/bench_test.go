package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/clerk/clerk-sdk-go/v2"
	clerkhttp "github.com/clerk/clerk-sdk-go/v2/http"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// BenchmarkMiddleware measures the cost of authenticating one request
// whose signing key is cached, against clerk-sdk-go's own middleware with
// the same JWKS client. The handler asks for the request's Client, which
// the clerk-sdk-go case has no equivalent of.
func BenchmarkMiddleware(b *testing.B) {
	fc := clerkhasuratest.NewClerk(b, nil)
	tokens := sources.SessionTokens(b, fc.SessionClient(), "hasura", nil)
	b.Cleanup(func() { tokens.Close() })
	token := fc.SessionToken(fc.CreateSession("user_bench"))

	mw, err := middleware.New("https://hasura.example/v1/graphql", tokens, &middleware.Options{
		JWKSClient:        fc.JWKSClient(),
		AuthorizedParties: []string{clerkhasuratest.DefaultAuthorizedParty},
	})
	if err != nil {
		b.Fatal(err)
	}
	ours := mw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := middleware.ClientFromContext(r.Context()); !ok {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))
	theirs := clerkhttp.RequireHeaderAuthorization(
		clerkhttp.JWKSClient(fc.JWKSClient()),
		clerkhttp.AuthorizedPartyMatches(clerkhasuratest.DefaultAuthorizedParty),
	)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := clerk.SessionClaimsFromContext(r.Context()); !ok {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))

	for _, bc := range []struct {
		name string
		h    http.Handler
	}{{"clerkhasura", ours}, {"clerk-sdk-go-http", theirs}} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/me", nil)
			req.Header.Set("Authorization", "Bearer "+token)
			b.ReportAllocs()
			for b.Loop() {
				rec := httptest.NewRecorder()
				bc.h.ServeHTTP(rec, req)
				if rec.Code != http.StatusOK {
					b.Fatalf("status %d", rec.Code)
				}
			}
		})
	}
}
