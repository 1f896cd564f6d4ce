package clerkhasura_test

import (
	"context"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
)

// exampleMinter stands in for a Clerk-backed source: every call mints a new
// token, "jwt-1", "jwt-2", …
type exampleMinter struct{ n atomic.Int64 }

func (m *exampleMinter) Token(context.Context) (*clerkhasura.Token, error) {
	n := m.n.Add(1)
	return &clerkhasura.Token{Value: fmt.Sprintf("jwt-%d", n), Expiry: time.Now().Add(time.Minute)}, nil
}

// The stand-in for Hasura rejects the first token as expired, the way
// Hasura does (with HTTP 200); the Transport gets a new token and sends the
// request again.
func ExampleTransport() {
	hasura := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		auth := r.Header.Get("Authorization")
		if auth == "Bearer jwt-1" {
			_, _ = io.WriteString(w, `{"errors":[{"message":"Could not verify JWT: JWTExpired","extensions":{"path":"$","code":"invalid-jwt"}}]}`)
			return
		}
		fmt.Fprintf(w, `{"data":{"seen":%q,"role":%q}}`, auth, r.Header.Get("X-Hasura-Role"))
	}))
	defer hasura.Close()
	endpoint := hasura.URL + "/v1/graphql"

	tr, err := clerkhasura.NewTransport(endpoint, &exampleMinter{}, &clerkhasura.TransportOptions{Role: "user"})
	if err != nil {
		log.Fatal(err)
	}
	client := &http.Client{Transport: tr}
	resp, err := client.Post(endpoint, "application/json", strings.NewReader(`{"query":"{ users { id } }"}`))
	if err != nil {
		log.Fatal(err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(resp.StatusCode, string(body))
	// Output:
	// 200 {"data":{"seen":"Bearer jwt-2","role":"user"}}
}
