package clerkhasura_test

import (
	"context"
	"fmt"
	"log"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/graphql"
)

// exampleFakes starts a fake Clerk and a fake Hasura that trusts it,
// which also serves websockets on /v1/graphql, and returns the Clerk and
// the GraphQL endpoint.
func exampleFakes(st *clerkhasuratest.StandaloneTester) (*clerkhasuratest.Clerk, string) {
	fc := clerkhasuratest.NewClerk(st, nil)
	fh := clerkhasuratest.NewHasura(st, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL(), HTTPClient: fc.HTTPClient()})
	return fc, fh.Endpoint()
}

// A SubscriptionClient runs the subscription functions genqlient
// generates. Every connection gets a fresh token from the source, and the
// client replaces its connection before the token expires.
func ExampleSubscriptionClient() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleFakes(&st)
	src, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_ada"), "hasura", nil)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	// Another client, over HTTP, creates and then renames the row.
	cache, err := clerkhasura.NewCachedTokenSource(src, nil)
	if err != nil {
		panic(err)
	}
	defer cache.Close()
	api, err := clerkhasura.NewClient(endpoint, cache, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := api.UpsertMe(ctx, "Ada"); err != nil {
		log.Fatal(err)
	}

	subs := clerkhasura.NewSubscriptionClient(endpoint, src, nil)
	defer subs.Close()
	if _, err := subs.Start(ctx); err != nil {
		log.Fatal(err)
	}
	ch, id, err := graphql.WatchUser(ctx, subs, "user_ada")
	if err != nil {
		log.Fatal(err)
	}
	resp := <-ch
	fmt.Println(*resp.Data.UsersByPk.Name)

	if _, err := api.UpsertMe(ctx, "Ada Lovelace"); err != nil {
		log.Fatal(err)
	}
	resp = <-ch
	fmt.Println(*resp.Data.UsersByPk.Name)

	if err := subs.Unsubscribe(id); err != nil {
		log.Fatal(err)
	}
	_, open := <-ch
	fmt.Println("open:", open)
	// Output:
	// Ada
	// Ada Lovelace
	// open: false
}

// WatchMe streams the caller's own row as [clerkhasura.UserEvent] values,
// until the context ends. An event comes only when the row changed.
func ExampleSubscriptionClient_WatchMe() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleFakes(&st)
	src, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_grace"), "hasura", nil)
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	subs := clerkhasura.NewSubscriptionClient(endpoint, src, nil)
	defer subs.Close()
	if _, err := subs.Start(ctx); err != nil {
		log.Fatal(err)
	}
	events, err := subs.WatchMe(ctx)
	if err != nil {
		log.Fatal(err)
	}
	ev := <-events
	fmt.Println("row exists:", ev.User != nil)

	cache, err := clerkhasura.NewCachedTokenSource(src, nil)
	if err != nil {
		panic(err)
	}
	defer cache.Close()
	api, err := clerkhasura.NewClient(endpoint, cache, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := api.UpsertMe(ctx, "Grace"); err != nil {
		log.Fatal(err)
	}
	ev = <-events
	fmt.Println(ev.User.ID, *ev.User.Name)

	cancel()
	_, open := <-events
	fmt.Println("open:", open)
	// Output:
	// row exists: false
	// user_grace Grace
	// open: false
}

// Client.WatchMe watches the caller's own row over a websocket connection
// of its own, which it closes when the context ends, before it closes
// the channel.
func ExampleClient_WatchMe() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleFakes(&st)
	minter, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_ada"), "hasura", nil)
	if err != nil {
		panic(err)
	}
	src, err := clerkhasura.NewCachedTokenSource(minter, nil)
	if err != nil {
		panic(err)
	}
	defer src.Close()
	api, err := clerkhasura.NewClient(endpoint, src, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := api.UpsertMe(ctx, "Ada"); err != nil {
		log.Fatal(err)
	}

	events, err := api.WatchMe(ctx)
	if err != nil {
		log.Fatal(err)
	}
	ev := <-events
	fmt.Println(*ev.User.Name)

	if _, err := api.UpsertMe(ctx, "Ada Lovelace"); err != nil {
		log.Fatal(err)
	}
	ev = <-events
	fmt.Println(*ev.User.Name)

	cancel()
	_, open := <-events
	fmt.Println("open:", open)
	// Output:
	// Ada
	// Ada Lovelace
	// open: false
}

// Client.NewSubscriptionClient gives a new [clerkhasura.SubscriptionClient]
// with the Client's endpoint, token source and role, for running the
// subscription functions genqlient generates; the caller starts and
// closes it.
func ExampleClient_NewSubscriptionClient() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleFakes(&st)
	minter, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_grace"), "hasura", nil)
	if err != nil {
		panic(err)
	}
	src, err := clerkhasura.NewCachedTokenSource(minter, nil)
	if err != nil {
		panic(err)
	}
	defer src.Close()
	api, err := clerkhasura.NewClient(endpoint, src, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx := context.Background()
	if _, err := api.UpsertMe(ctx, "Grace"); err != nil {
		log.Fatal(err)
	}

	subs := api.NewSubscriptionClient(nil)
	defer subs.Close()
	if _, err := subs.Start(ctx); err != nil {
		log.Fatal(err)
	}
	ch, _, err := graphql.WatchUser(ctx, subs, "user_grace")
	if err != nil {
		log.Fatal(err)
	}
	resp := <-ch
	fmt.Println(resp.Data.UsersByPk.Id, *resp.Data.UsersByPk.Name)
	// Output:
	// user_grace Grace
}
