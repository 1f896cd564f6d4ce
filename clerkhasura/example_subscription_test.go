package clerkhasura_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// exampleFakes starts a fake Clerk and a fake Hasura that trusts it and
// speaks websockets on /v1/graphql, and returns the Clerk and the
// GraphQL endpoint.
func exampleFakes(st *clerkhasuratest.StandaloneTester) (*clerkhasuratest.Clerk, string) {
	fc := clerkhasuratest.NewClerk(st, nil)
	eng, err := fakehasura.New(fakehasura.Config{
		JWT:        &fakehasura.JWTConfig{JWKURL: fc.JWKSURL(), ClaimsNamespace: fakehasura.DefaultClaimsNamespace},
		HTTPClient: fc.HTTPClient(),
	})
	if err != nil {
		log.Fatal(err)
	}
	ws := fakehasura.NewWSServer(eng, nil)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if fakehasura.IsWebSocketUpgrade(r) {
			ws.ServeHTTP(w, r)
			return
		}
		eng.ServeHTTP(w, r)
	}))
	st.Cleanup(func() {
		ws.Close()
		srv.Close()
		eng.Close()
	})
	return fc, srv.URL + "/v1/graphql"
}

// A SubscriptionClient runs the subscription functions genqlient
// generates. Every connection gets a fresh token from the source, and the
// client replaces its connection before the token expires.
func ExampleSubscriptionClient() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleFakes(&st)
	src := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_ada"), "hasura")
	ctx := context.Background()

	// Another client, over HTTP, creates and then renames the row.
	cache := clerkhasura.NewCachedTokenSource(src, nil)
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
	src := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_grace"), "hasura")
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

	cache := clerkhasura.NewCachedTokenSource(src, nil)
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
