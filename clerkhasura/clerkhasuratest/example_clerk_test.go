package clerkhasuratest_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clerk/clerk-sdk-go/v2"
	"github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/clerk/clerk-sdk-go/v2/session"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// hasuraClaims reads the Hasura namespace of a verified token.
type hasuraClaims struct {
	Hasura struct {
		UserID       string   `json:"x-hasura-user-id"`
		DefaultRole  string   `json:"x-hasura-default-role"`
		AllowedRoles []string `json:"x-hasura-allowed-roles"`
	} `json:"https://hasura.io/jwt/claims"`
}

// A test would pass its *testing.T; an example uses a StandaloneTester.
func ExampleNewClerk() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)
	ctx := context.Background()

	sid := fc.CreateSession("user_123")
	tok, err := fc.SessionClient().CreateToken(ctx, &session.CreateTokenParams{
		ID:           sid,
		TemplateName: "hasura",
	})
	if err != nil {
		fmt.Println("minting:", err)
		return
	}

	claims, err := jwt.Verify(ctx, &jwt.VerifyParams{
		Token:                   tok.JWT,
		JWKSClient:              fc.JWKSClient(),
		CustomClaimsConstructor: func(context.Context) any { return &hasuraClaims{} },
	})
	if err != nil {
		fmt.Println("verifying:", err)
		return
	}
	hasura := claims.Custom.(*hasuraClaims).Hasura
	fmt.Println("sub:", claims.Subject)
	fmt.Println("iss:", claims.Issuer)
	fmt.Println("lifetime:", time.Duration(*claims.Expiry-*claims.IssuedAt)*time.Second)
	fmt.Println("x-hasura-user-id:", hasura.UserID)
	fmt.Println("x-hasura-default-role:", hasura.DefaultRole)
	fmt.Println("x-hasura-allowed-roles:", hasura.AllowedRoles)
	// Output:
	// sub: user_123
	// iss: https://clerk.clerkhasura.test
	// lifetime: 1m0s
	// x-hasura-user-id: user_123
	// x-hasura-default-role: user
	// x-hasura-allowed-roles: [user]
}

func ExampleClerk_FailNext() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)
	sid := fc.CreateSession("user_123")
	params := &session.CreateTokenParams{ID: sid, TemplateName: "hasura"}

	fc.FailNext(1, clerkhasuratest.Fault{Status: 429, RetryAfter: 2 * time.Second})
	_, err := fc.SessionClient().CreateToken(context.Background(), params)
	var apiErr *clerk.APIErrorResponse
	if errors.As(err, &apiErr) {
		fmt.Println(apiErr.HTTPStatusCode, apiErr.Errors[0].Code, "Retry-After:", apiErr.Response.Header.Get("Retry-After"))
	}

	_, err = fc.SessionClient().CreateToken(context.Background(), params)
	fmt.Println("next request:", err)
	fmt.Println("faults:", fc.Stats().Faults, "tokens:", fc.Stats().TokensMinted)
	// Output:
	// 429 too_many_requests Retry-After: 2
	// next request: <nil>
	// faults: 1 tokens: 1
}

func ExampleClerk_RotateKey() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)
	sid := fc.CreateSession("user_123")
	before := fc.TemplateToken(sid, "hasura")

	kid := fc.RotateKey()
	after := fc.TemplateToken(sid, "hasura")

	for _, tok := range []string{before, after} {
		claims, err := jwt.Verify(context.Background(), &jwt.VerifyParams{Token: tok, JWKSClient: fc.JWKSClient()})
		fmt.Println(claims != nil, err)
	}
	fmt.Println("kids served:", len(fc.KeyIDs()), "active is new:", fc.KeyIDs()[0] == kid, strings.HasPrefix(kid, "ins_"))
	// Output:
	// true <nil>
	// true <nil>
	// kids served: 2 active is new: true true
}
