package localjwt_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwt"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

// A service signs Hasura tokens for the sessions it verifies; Hasura
// trusts Clerk's keys and the service's, told apart by issuer, as
// HASURA_GRAPHQL_JWT_SECRETS makes Hasura Cloud and Enterprise Edition
// do.
func ExampleSigner_Source() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)

	key, err := localjwt.GenerateKey() // or ParseKey of cmd/hasura-jwt-key's PEM
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
	jwksSrv := httptest.NewServer(signer.JWKSHandler(nil)) // the service's /.well-known/hasura-jwks.json
	defer jwksSrv.Close()

	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWTSecrets: `[` +
		`{"jwk_url":"` + fc.JWKSURL() + `","issuer":"` + clerkhasuratest.DefaultIssuer + `"},` +
		`{"jwk_url":"` + jwksSrv.URL + `","issuer":"https://api.example.com"}]`})
	fh.Seed(clerkhasuratest.UserRow{ID: "user_alice"}, clerkhasuratest.UserRow{ID: "user_bob"})

	// In a request handler: verify the browser's session token, then sign.
	sessionToken := fc.SessionToken(fc.CreateSession("user_alice"))
	claims, err := jwt.Verify(context.Background(), &jwt.VerifyParams{Token: sessionToken, JWKSClient: fc.JWKSClient()})
	if err != nil {
		panic(err)
	}
	src, err := signer.Source(claims)
	if err != nil {
		panic(err)
	}
	tok, err := src.Token(context.Background())
	if err != nil {
		panic(err)
	}

	req, _ := http.NewRequest(http.MethodPost, fh.Endpoint(), strings.NewReader(`{"query":"{ users { id } }"}`))
	req.Header.Set("Authorization", "Bearer "+tok.Value)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(string(body))
	// Output:
	// {"data":{"users":[{"id":"user_alice"}]}}
}

// A claims hook maps the session's organization to a session variable
// and role; asking for admin is refused before anything is signed.
func ExampleClaimsFunc() {
	key, _ := localjwt.GenerateKey()
	hook := func(session *clerk.SessionClaims) (localjwt.HasuraClaims, error) {
		role := "user"
		if session.ActiveOrganizationRole == "org:admin" {
			role = "admin" // refused: a local token never carries admin
		}
		return localjwt.HasuraClaims{
			UserID:      session.Subject,
			DefaultRole: role,
			Variables:   map[string]string{"x-hasura-org-id": session.ActiveOrganizationID},
		}, nil
	}
	signer, err := localjwt.New(&localjwt.Options{
		Issuer: "https://api.example.com",
		Keys:   []localjwt.ScheduledKey{{Key: key, SignFrom: time.Now().Add(-time.Hour)}},
		Claims: hook,
	})
	if err != nil {
		panic(err)
	}
	exp := time.Now().Add(time.Minute).Unix()
	session := &clerk.SessionClaims{
		RegisteredClaims: clerk.RegisteredClaims{Subject: "user_alice", Expiry: &exp},
		Claims:           clerk.Claims{SessionID: "sess_1", ActiveOrganizationID: "org_1", ActiveOrganizationRole: "org:member"},
	}
	_, err = signer.Source(session)
	fmt.Println(err)
	session.ActiveOrganizationRole = "org:admin"
	_, err = signer.Source(session)
	fmt.Println(errors.Is(err, localjwt.ErrRoleNotAllowed), err)
	// Output:
	// <nil>
	// true clerkhasura: role not allowed in a local token: "admin" (admin never is)
}
