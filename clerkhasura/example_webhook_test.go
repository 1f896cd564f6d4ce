package clerkhasura_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

// A service mounts Clerk's webhook beside its API, with the signing secret
// of the webhook endpoint and the cache its middleware mints with. When a
// session is revoked, Clerk's delivery drops the session's cached Hasura
// token, and the session gets no other. The fake Clerk delivers its
// revocations to the URL it is given, signed as Svix signs Clerk's.
func ExampleWebhookHandler() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, _ := exampleService(&st)

	tokens := clerkhasura.NewSessionTokens(fc.SessionClient(), "hasura", nil)
	defer tokens.Close()
	webhook, err := clerkhasura.NewWebhookHandler(fc.WebhookSecret(), nil, tokens)
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.Handle("POST /webhooks/clerk", webhook) // outside the middleware: Svix signs it
	srv := httptest.NewServer(mux)
	defer srv.Close()
	fc.SetWebhookURL(srv.URL + "/webhooks/clerk")

	ctx := context.Background()
	sid := fc.CreateSession("user_alice")
	_, err = tokens.Source(sid).Token(ctx)
	fmt.Println("before the revocation:", err)

	fc.RevokeSession(sid)
	_, err = tokens.Source(sid).Token(ctx)
	fmt.Println("after it:", errors.Is(err, clerkhasura.ErrSessionGone))
	fmt.Printf("%+v\n", webhook.Stats())
	// Output:
	// before the revocation: <nil>
	// after it: true
	// {Invalidated:1 Ignored:0 Refused:0}
}
