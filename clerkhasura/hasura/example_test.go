package hasura_test

import (
	"context"
	"errors"
	"fmt"
	"log"
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
