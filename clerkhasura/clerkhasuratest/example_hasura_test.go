package clerkhasuratest_test

import (
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// A fake Hasura trusts a fake Clerk's JWKS, as HASURA_GRAPHQL_JWT_SECRET
// {"jwk_url": …} makes a real one trust Clerk. A token from the "hasura"
// template lets its user read their own row of the users table, and only
// that row; errors come back with HTTP 200 and Hasura's error body.
func ExampleNewHasura() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL()})

	alice, bob := "Alice", "Bob"
	fh.Seed(
		clerkhasuratest.UserRow{ID: "user_alice", Name: &alice, LastSeenText: "2024-05-01T10:20:30.5"},
		clerkhasuratest.UserRow{ID: "user_bob", Name: &bob},
	)
	token := fc.TemplateToken(fc.CreateSession("user_alice"), "hasura")

	post := func(query string) {
		req, err := http.NewRequest(http.MethodPost, fh.Endpoint(), strings.NewReader(query))
		if err != nil {
			panic(err)
		}
		req.Header.Set("Authorization", "Bearer "+token)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			panic(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		fmt.Println(resp.StatusCode, string(body))
	}
	post(`{"query":"{ users { id name last_seen } }"}`)
	post(`{"query":"{ users { id email } }"}`)
	// Output:
	// 200 {"data":{"users":[{"id":"user_alice","name":"Alice","last_seen":"2024-05-01T10:20:30.5"}]}}
	// 200 {"errors":[{"message":"field 'email' not found in type: 'users'","extensions":{"path":"$.selectionSet.users.selectionSet.email","code":"validation-failed"}}]}
}
