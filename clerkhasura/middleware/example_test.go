package middleware_test

import (
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"os"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/middleware"
)

// exampleService starts a fake Clerk and a fake Hasura holding Alice's
// row, and returns the Clerk and the Hasura endpoint.
func exampleService(st *clerkhasuratest.StandaloneTester) (*clerkhasuratest.Clerk, string) {
	fc := clerkhasuratest.NewClerk(st, nil)
	fh := clerkhasuratest.NewHasura(st, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL()})
	alice := "Alice"
	fh.Seed(clerkhasuratest.UserRow{ID: "user_alice", Name: &alice})
	return fc, fh.Endpoint()
}

// exampleGet sends GET url with the session token, if any, and prints
// the answer.
func exampleGet(url, token string) {
	req, err := http.NewRequest(http.MethodGet, url, nil)
	if err != nil {
		panic(err)
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Printf("%d %s", resp.StatusCode, body)
}

// A service verifies the Clerk session token of each request and calls
// Hasura as the request's user, with tokens from one shared cache. The
// browser sends its session token as "Authorization: Bearer …"; the fake
// Clerk mints one here.
func ExampleMiddleware_Handler() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleService(&st)

	tokens, err := clerkhasura.NewSessionTokens(fc.SessionClient(), "hasura", nil)
	if err != nil {
		panic(err)
	}
	defer tokens.Close()
	mw, err := middleware.New(endpoint, tokens, &middleware.Options{
		JWKSClient:        fc.JWKSClient(),
		AuthorizedParties: []string{"http://localhost:3000"},
	})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /me", func(w http.ResponseWriter, r *http.Request) {
		hc, ok := middleware.ClientFromContext(r.Context())
		if !ok { // a route mounted outside mw.Handler
			http.Error(w, "no session", http.StatusInternalServerError)
			return
		}
		me, err := hc.Me(r.Context())
		if err != nil {
			middleware.WriteError(w, r, err)
			return
		}
		name := "(no name yet)" // the column is nullable
		if me.Name != nil {
			name = *me.Name
		}
		fmt.Fprintf(w, "hello %s (%s)\n", name, me.ID)
	})
	srv := httptest.NewServer(mw.Handler(mux))
	defer srv.Close()

	sessionToken := fc.SessionToken(fc.CreateSession("user_alice"))
	exampleGet(srv.URL+"/me", sessionToken)
	exampleGet(srv.URL+"/me", sessionToken)
	exampleGet(srv.URL+"/me", "")
	fmt.Println("Hasura tokens minted:", tokens.Stats().Mints)
	// Output:
	// 200 hello Alice (user_alice)
	// 200 hello Alice (user_alice)
	// 401 {"error":"unauthenticated","message":"missing session token"}
	// Hasura tokens minted: 1
}

// An ErrorHandler can log why a request was refused, then answer as the
// middleware would. The reason never holds the token.
func ExampleOptions_errorHandler() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleService(&st)
	tokens, err := clerkhasura.NewSessionTokens(fc.SessionClient(), "hasura", nil)
	if err != nil {
		panic(err)
	}
	defer tokens.Close()

	logger := slog.New(slog.NewTextHandler(os.Stdout, &slog.HandlerOptions{
		ReplaceAttr: func(_ []string, a slog.Attr) slog.Attr {
			if a.Key == slog.TimeKey {
				return slog.Attr{} // keep the output stable
			}
			return a
		},
	}))
	mw, err := middleware.New(endpoint, tokens, &middleware.Options{
		JWKSClient: fc.JWKSClient(),
		ErrorHandler: func(w http.ResponseWriter, r *http.Request, err *middleware.AuthError) {
			logger.Info("refused", "path", r.URL.Path, "status", err.StatusCode(), "err", err)
			err.ServeHTTP(w, r)
		},
	})
	if err != nil {
		panic(err)
	}
	srv := httptest.NewServer(mw.Handler(http.NotFoundHandler()))
	defer srv.Close()

	exampleGet(srv.URL+"/me", "not.a.token")
	// Output:
	// level=INFO msg=refused path=/me status=401 err="clerkhasura: malformed session token"
	// 401 {"error":"unauthenticated","message":"malformed session token"}
}

// WriteError answers a handler's error with the status of its class and
// the JSON shape of the middleware's own refusals, never the error's text.
// Here one session was revoked in Clerk after its browser got its session
// token, and another asks for a row its role may not see.
func ExampleWriteError() {
	var st clerkhasuratest.StandaloneTester
	defer st.Close()
	fc, endpoint := exampleService(&st)
	tokens, err := clerkhasura.NewSessionTokens(fc.SessionClient(), "hasura", nil)
	if err != nil {
		panic(err)
	}
	defer tokens.Close()
	mw, err := middleware.New(endpoint, tokens, &middleware.Options{JWKSClient: fc.JWKSClient()})
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /users/{id}", func(w http.ResponseWriter, r *http.Request) {
		hc, ok := middleware.ClientFromContext(r.Context())
		if !ok {
			http.Error(w, "no session", http.StatusInternalServerError)
			return
		}
		u, err := hc.User(r.Context(), r.PathValue("id"))
		if err != nil {
			middleware.WriteError(w, r, err)
			return
		}
		fmt.Fprintln(w, u.ID)
	})
	srv := httptest.NewServer(mw.Handler(mux))
	defer srv.Close()

	revoked := fc.CreateSession("user_alice")
	revokedToken := fc.SessionToken(revoked)
	fc.RevokeSession(revoked)
	exampleGet(srv.URL+"/users/user_alice", revokedToken)
	exampleGet(srv.URL+"/users/user_bob", fc.SessionToken(fc.CreateSession("user_alice")))
	// Output:
	// 401 {"error":"session_ended","message":"the Clerk session has ended: sign in again"}
	// 404 {"error":"not_found","message":"no such row, or not yours to see"}
}
