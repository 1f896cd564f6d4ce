package subscription_test

import (
	"context"
	"fmt"
	"log"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/subscription"
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

// A Client runs the subscription functions genqlient generates. Every
// connection gets a token from the source, a cache the Hasura client
// shares, and the client replaces its connection before the token
// expires.
func ExampleClient() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleFakes(&st)
	src, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_ada"), "hasura", nil)
	if err != nil {
		panic(err)
	}
	ctx := context.Background()

	cache, err := clerkhasura.NewCachedTokenSource(src, nil)
	if err != nil {
		panic(err)
	}
	defer cache.Close()

	// Another client, over HTTP, creates and then renames the row.
	api, err := hasura.NewClient(endpoint, cache, nil)
	if err != nil {
		log.Fatal(err)
	}
	if _, err := api.UpsertMe(ctx, "Ada"); err != nil {
		log.Fatal(err)
	}

	subs, err := subscription.New(endpoint, cache, nil)
	if err != nil {
		log.Fatal(err)
	}
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

// WatchMe streams the caller's own row as [subscription.UserEvent] values,
// until the context ends. An event comes only when the row changed.
func ExampleClient_WatchMe() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleFakes(&st)
	src, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_grace"), "hasura", nil)
	if err != nil {
		panic(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()

	subs, err := subscription.New(endpoint, src, nil)
	if err != nil {
		log.Fatal(err)
	}
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
	api, err := hasura.NewClient(endpoint, cache, nil)
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

// A Hasura client and a subscription client of one user share one token
// cache: the first writes the caller's row over HTTP, the second watches
// it over a websocket, and the cache mints for both.
func ExampleNew() {
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
	api, err := hasura.NewClient(endpoint, src, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := api.UpsertMe(ctx, "Ada"); err != nil {
		log.Fatal(err)
	}

	subs, err := subscription.New(endpoint, src, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer subs.Close()
	if _, err := subs.Start(ctx); err != nil {
		log.Fatal(err)
	}
	events, err := subs.WatchMe(ctx)
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

// WithContext ties the subscriptions that genqlient's generated functions
// start to a context: they end when it is done.
func ExampleClient_WithContext() {
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
	api, err := hasura.NewClient(endpoint, src, nil)
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if _, err := api.UpsertMe(ctx, "Grace"); err != nil {
		log.Fatal(err)
	}

	subs, err := subscription.New(endpoint, src, nil)
	if err != nil {
		log.Fatal(err)
	}
	defer subs.Close()
	if _, err := subs.Start(ctx); err != nil {
		log.Fatal(err)
	}
	ch, _, err := graphql.WatchUser(ctx, subs.WithContext(ctx), "user_grace")
	if err != nil {
		log.Fatal(err)
	}
	resp := <-ch
	fmt.Println(resp.Data.UsersByPk.Id, *resp.Data.UsersByPk.Name)

	cancel()
	for range ch {
	}
	fmt.Println("subscriptions:", subs.Stats().Subscriptions)
	// Output:
	// user_grace Grace
	// subscriptions: 0
}

// In a test, the fakes, the cache and the client share one
// clerkhasuratest.Clock: moving it to the switch-over before the token
// expires takes no real time.
func ExampleOptions_clock() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	clock := clerkhasuratest.NewClock(time.Now())
	fc := clerkhasuratest.NewClerk(&st, &clerkhasuratest.ClerkOptions{Clock: clock})
	fh := clerkhasuratest.NewHasura(&st, &clerkhasuratest.HasuraOptions{
		JWKURL: fc.JWKSURL(), HTTPClient: fc.HTTPClient(), Clock: clock,
	})
	minter, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_ada"), "hasura",
		&clerkhasura.SessionSourceOptions{Clock: clock})
	if err != nil {
		panic(err)
	}
	src, err := clerkhasura.NewCachedTokenSource(minter, nil) // on the source's clock
	if err != nil {
		panic(err)
	}
	defer src.Close()
	name := "Ada"
	fh.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: &name})

	switched := make(chan subscription.ReconnectEvent, 1)
	subs, err := subscription.New(fh.Endpoint(), src, &subscription.Options{
		Clock:       clock,
		OnReconnect: func(e subscription.ReconnectEvent) { switched <- e },
	})
	if err != nil {
		log.Fatal(err)
	}
	defer subs.Close()
	ctx := context.Background()
	if _, err := subs.Start(ctx); err != nil {
		log.Fatal(err)
	}
	events, err := subs.WatchMe(ctx)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(*(<-events).User.Name)

	// Clerk's tokens live 60 s; the client replaces its connection about
	// 10 s before the end.
	clock.Advance(55 * time.Second)
	fmt.Println("planned:", (<-switched).Planned)

	name = "Ada Lovelace"
	fh.Seed(clerkhasuratest.UserRow{ID: "user_ada", Name: &name})
	fmt.Println(*(<-events).User.Name)
	// Output:
	// Ada
	// planned: true
	// Ada Lovelace
}
