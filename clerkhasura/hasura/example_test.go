package hasura_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log"
	"net/http"
	"strings"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
)

// The example runs on the in-process fakes of clerkhasuratest; with real
// services, the session client comes from clerk-sdk-go configured with the
// secret key, and the endpoint is the Hasura project's /v1/graphql. Both
// fakes share a fixed clock so that the output does not change.
func ExampleNewClient() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	clock := clerkhasuratest.NewClock(time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC))
	fc := clerkhasuratest.NewClerk(&st, &clerkhasuratest.ClerkOptions{Clock: clock})
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL(), Clock: clock})
	bob := "Bob"
	fh.InsertUser("user_bob", &bob, clock.Now().Add(-time.Hour))
	sessionID := fc.CreateSession("user_ada")

	// getToken({template: "hasura"}) for the session, cached.
	minter, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), sessionID, "hasura", nil)
	if err != nil {
		log.Fatal(err)
	}
	tokens, err := clerkhasura.NewCachedTokenSource(minter, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer tokens.Close()

	client, err := hasura.NewClient(fh.Endpoint(), tokens, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()

	me, err := client.UpsertMe(ctx, "Ada")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("upserted:", me.ID, *me.Name)

	seen, err := client.TouchLastSeen(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("last seen:", seen)

	users, err := client.Users(ctx, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("visible rows:", len(users))

	_, err = client.User(ctx, "user_bob")
	if errors.Is(err, hasura.ErrNotFound) {
		fmt.Println("Bob's row:", err)
	}
	// Output:
	// upserted: user_ada Ada
	// last seen: 2026-11-26 12:00:00 +0000 UTC
	// visible rows: 1
	// Bob's row: clerkhasura: not found: user "user_bob"
}

// A request sent through a bare Transport, without a Client, gets Hasura's
// errors with HTTP 200; ErrorFromResponse classifies them as the Client's
// errors are, and leaves the body to decode when there are none.
func ExampleErrorFromResponse() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc := clerkhasuratest.NewClerk(&st, nil)
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL()})
	fh.Seed(clerkhasuratest.UserRow{ID: "user_ada"})

	minter, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_ada"), "hasura", nil)
	if err != nil {
		log.Fatal(err)
	}
	tokens, err := clerkhasura.NewCachedTokenSource(minter, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer tokens.Close()
	tr, err := clerkhasura.NewTransport(fh.Endpoint(), tokens, nil)
	if err != nil {
		log.Fatal(err)
	}
	hc := &http.Client{Transport: tr}

	for _, query := range []string{
		`{"query":"query Q { users { id name } }","operationName":"Q"}`,
		`{"query":"query Q { accounts { id } }","operationName":"Q"}`,
	} {
		resp, err := hc.Post(fh.Endpoint(), "application/json", strings.NewReader(query))
		if err != nil {
			log.Fatal(err)
		}
		if err := hasura.ErrorFromResponse(resp); err != nil {
			fmt.Println("invalid operation:", errors.Is(err, hasura.ErrValidation))
			fmt.Println(err)
			resp.Body.Close()
			continue
		}
		var out struct {
			Data struct {
				Users []struct {
					ID   string
					Name *string
				}
			}
		}
		err = json.NewDecoder(resp.Body).Decode(&out)
		resp.Body.Close()
		if err != nil {
			log.Fatal(err)
		}
		for _, u := range out.Data.Users {
			fmt.Println("row:", u.ID, "named:", u.Name != nil)
		}
	}
	// Output:
	// row: user_ada named: false
	// invalid operation: true
	// clerkhasura: Hasura: field 'accounts' not found in type: 'query_root' (validation-failed at $.selectionSet.accounts)
}
