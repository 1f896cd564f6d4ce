package middleware_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

// meHandler answers with the caller's row, read through the request's
// Client.
func meHandler(w http.ResponseWriter, r *http.Request) {
	hc, ok := middleware.ClientFromContext(r.Context())
	if !ok {
		http.Error(w, "no session", http.StatusInternalServerError)
		return
	}
	me, err := hc.Me(r.Context())
	if err != nil {
		middleware.WriteError(w, r, err)
		return
	}
	fmt.Fprintf(w, "hello %s\n", me.ID)
}

// With TemplateTokens, the browser sends the token of getToken({ template:
// 'hasura' }) and the middleware forwards it to Hasura once verified: no
// SessionTokens, and no call to Clerk's Backend API for any session.
func ExampleOptions_templateTokens() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleService(&st)

	mw, err := middleware.New(endpoint, nil, &middleware.Options{
		JWKSClient:        fc.JWKSClient(),
		AuthorizedParties: []string{"http://localhost:3000"},
		TemplateTokens:    true,
	})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(mw.Handler(http.HandlerFunc(meHandler)))
	defer srv.Close()

	sid := fc.CreateSession("user_alice")
	exampleGet(srv.URL+"/me", fc.TemplateToken(sid, "hasura"))
	exampleGet(srv.URL+"/me", fc.SessionToken(sid))
	// Output:
	// 200 hello user_alice
	// 401 {"error":"unauthenticated","message":"session tokens are not accepted here"}
}

// With a Signer, the middleware signs each session's Hasura tokens
// itself, and Hasura trusts the service's JWKS beside Clerk's, each by
// its issuer, as HASURA_GRAPHQL_JWT_SECRETS lists them.
func ExampleOptions_signer() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)

	key, err := localjwt.GenerateKey() // in production: localjwt.ParseKey of a stored PEM
	if err != nil {
		panic(err)
	}
	signer, err := localjwt.New(&localjwt.Options{
		Issuer: "https://api.example.com",
		Keys:   []localjwt.ScheduledKey{{Key: key, SignFrom: time.Now().Add(-time.Hour)}},
	})
	if err != nil {
		panic(err)
	}
	jwks := httptest.NewServer(signer.JWKSHandler(nil)) // the service's /.well-known/hasura-jwks.json
	defer jwks.Close()
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWTSecrets: `[` +
		`{"jwk_url":"` + fc.JWKSURL() + `","issuer":"` + clerkhasuratest.DefaultIssuer + `"},` +
		`{"jwk_url":"` + jwks.URL + `","issuer":"https://api.example.com"}]`})
	fh.Seed(clerkhasuratest.UserRow{ID: "user_alice"})

	mw, err := middleware.New(fh.Endpoint(), nil, &middleware.Options{
		JWKSClient: fc.JWKSClient(),
		Signer:     signer,
	})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(mw.Handler(http.HandlerFunc(meHandler)))
	defer srv.Close()

	before := fc.Stats().TokensMinted
	exampleGet(srv.URL+"/me", fc.SessionToken(fc.CreateSession("user_alice")))
	fmt.Println("tokens Clerk minted:", fc.Stats().TokensMinted-before)
	// Output:
	// 200 hello user_alice
	// tokens Clerk minted: 0
}
