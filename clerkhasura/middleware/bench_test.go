package middleware_test

import (
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	clerkhttp "github.com/clerk/clerk-sdk-go/v2/http"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// BenchmarkMiddleware measures the cost of authenticating one request
// whose signing key is cached, against clerk-sdk-go's own middleware with
// the same JWKS client, in the same run. The token was seen before, so
// the middleware remembers it, except in the "uncached" case
// (VerifiedTokens < 0), which verifies it every time as clerk-sdk-go
// does. The handler asks for the request's Client, which the clerk-sdk-go
// case has no equivalent of.
//
//	go test -run '^$' -bench BenchmarkMiddleware -count 5 ./clerkhasura/middleware/
func BenchmarkMiddleware(b *testing.B) {
	fc := clerkhasuratest.NewClerk(b, nil)
	tokens := sources.SessionTokens(b, fc.SessionClient(), "hasura", nil)
	b.Cleanup(func() { tokens.Close() })
	sid := fc.CreateSession("user_bench")
	session, template := fc.SessionToken(sid), fc.TemplateToken(sid, "hasura")
	key, err := localjwt.GenerateKey()
	if err != nil {
		b.Fatal(err)
	}
	signer, err := localjwt.New(&localjwt.Options{Issuer: "https://api.bench.test",
		Keys: []localjwt.ScheduledKey{{Key: key, SignFrom: time.Now().Add(-time.Hour)}}})
	if err != nil {
		b.Fatal(err)
	}

	handler := func(tokens *clerkhasura.SessionTokens, o middleware.Options) http.Handler {
		o.JWKSClient = fc.JWKSClient()
		o.AuthorizedParties = []string{clerkhasuratest.DefaultAuthorizedParty}
		mw, err := middleware.New("https://hasura.example/v1/graphql", tokens, &o)
		if err != nil {
			b.Fatal(err)
		}
		return mw.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if _, ok := middleware.ClientFromContext(r.Context()); !ok {
				w.WriteHeader(http.StatusInternalServerError)
			}
		}))
	}
	theirs := clerkhttp.RequireHeaderAuthorization(
		clerkhttp.JWKSClient(fc.JWKSClient()),
		clerkhttp.AuthorizedPartyMatches(clerkhasuratest.DefaultAuthorizedParty),
	)(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if _, ok := clerk.SessionClaimsFromContext(r.Context()); !ok {
			w.WriteHeader(http.StatusInternalServerError)
		}
	}))

	for _, bc := range []struct {
		name, token string
		h           http.Handler
	}{
		{"clerkhasura", session, handler(tokens, middleware.Options{})},
		{"clerkhasura-uncached", session, handler(tokens, middleware.Options{VerifiedTokens: -1})},
		{"clerkhasura-template", template, handler(nil, middleware.Options{TemplateTokens: true})},
		{"clerkhasura-signer", session, handler(nil, middleware.Options{Signer: signer})},
		{"clerk-sdk-go-http", session, theirs},
	} {
		b.Run(bc.name, func(b *testing.B) {
			req := httptest.NewRequest(http.MethodGet, "/me", nil)
			req.Header.Set("Authorization", "Bearer "+bc.token)
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
