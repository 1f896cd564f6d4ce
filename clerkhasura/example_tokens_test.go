package clerkhasura_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func ExampleNewSessionTokenSource() {
	var t clerkhasuratest.StandaloneTester
	defer t.Close()
	fc := clerkhasuratest.NewClerk(&t, nil) // a fake Clerk with a 60 s "hasura" template
	sessionID := fc.CreateSession("user_1")

	src, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), sessionID, "hasura", nil)
	if err != nil {
		panic(err)
	}
	start := time.Now()
	tok, err := src.Token(context.Background())
	if err != nil {
		panic(err)
	}
	left := tok.Expiry.Sub(start)
	// exp − iat, less the second by which the whole-second iat may
	// precede the mint.
	fmt.Println("valid for just under a minute:", left > 58*time.Second && left < time.Minute)
	fmt.Println("printing shows the JWT:", strings.Contains(fmt.Sprint(tok), tok.Value))

	fc.RevokeSession(sessionID)
	_, err = src.Token(context.Background())
	fmt.Println("session gone:", errors.Is(err, clerkhasura.ErrSessionGone))
	// Output:
	// valid for just under a minute: true
	// printing shows the JWT: false
	// session gone: true
}

func ExampleNewCachedTokenSource() {
	var t clerkhasuratest.StandaloneTester
	defer t.Close()
	fc := clerkhasuratest.NewClerk(&t, nil)
	minter, err := clerkhasura.NewSessionTokenSource(fc.SessionClient(), fc.CreateSession("user_1"), "hasura", nil)
	if err != nil {
		panic(err)
	}
	src, err := clerkhasura.NewCachedTokenSource(minter, nil)
	if err != nil {
		panic(err)
	}
	defer src.Close()

	ctx := context.Background()
	first, _ := src.Token(ctx)
	for range 99 {
		if tok, _ := src.Token(ctx); tok != first {
			panic("not cached")
		}
	}
	st := src.Stats()
	fmt.Println("minted:", fc.Stats().TokensMinted, "waits:", st.Waits)

	// Hasura rejected the token: drop exactly that one.
	src.Invalidate(first)
	next, _ := src.Token(ctx)
	fmt.Println("new token:", next.Value != first.Value, "minted:", fc.Stats().TokensMinted)
	// Output:
	// minted: 1 waits: 1
	// new token: true minted: 2
}

func ExampleSessionTokens() {
	var t clerkhasuratest.StandaloneTester
	defer t.Close()
	fc := clerkhasuratest.NewClerk(&t, nil)
	tokens, err := clerkhasura.NewSessionTokens(fc.SessionClient(), "hasura", &clerkhasura.SessionTokensOptions{MaxSessions: 2})
	if err != nil {
		panic(err)
	}
	defer tokens.Close()

	ctx := context.Background()
	alice, bob, carol := fc.CreateSession("alice"), fc.CreateSession("bob"), fc.CreateSession("carol")
	for range 3 {
		for _, sid := range []string{alice, bob} {
			if _, err := tokens.Source(sid).Token(ctx); err != nil {
				panic(err)
			}
		}
	}
	_, _ = tokens.Source(carol).Token(ctx) // a third session: the least recently used goes

	st := tokens.Stats()
	fmt.Printf("sessions %d, mints %d, evictions %d\n", st.Sessions, st.Mints, st.Evictions)

	_, err = tokens.Source("not a session ID").Token(ctx)
	fmt.Println(err)
	// Output:
	// sessions 2, mints 3, evictions 1
	// clerkhasura: invalid session ID: may hold only letters, digits, '_' and '-'
}
