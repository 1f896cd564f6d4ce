package clerkhasuratest_test

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/session"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func TestClerkConcurrentUse(t *testing.T) {
	const goroutines, perGoroutine = 64, 5
	clock := clerkhasuratest.NewClock(time.Now())
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clock})
	client := fc.SessionClient()
	sessions := make([]string, goroutines)
	for i := range sessions {
		sessions[i] = fc.CreateSession(fmt.Sprintf("user_%d", i))
	}
	fc.FailNext(10, clerkhasuratest.Fault{Status: 500, Path: "/tokens/"})

	var wg sync.WaitGroup
	errs := make(chan error, goroutines*perGoroutine)
	for i := range goroutines {
		wg.Go(func() {
			for range perGoroutine {
				tok, err := client.CreateToken(context.Background(), &session.CreateTokenParams{
					ID: sessions[i], TemplateName: "hasura",
				})
				if err != nil {
					errs <- err
					continue
				}
				if _, err := verify(t, fc, tok.JWT); err != nil {
					errs <- fmt.Errorf("verify: %w", err)
				}
			}
		})
	}
	wg.Go(func() {
		for range 3 {
			clock.Advance(time.Millisecond)
			fc.SetTemplate("other", clerkhasuratest.HasuraTemplate())
			_ = fc.Stats()
			_ = fc.KeyIDs()
		}
	})
	wg.Go(func() { fc.RotateKey() })
	wg.Wait()
	close(errs)

	failures := 0
	for err := range errs {
		assert.Equal(t, 500, apiError(t, err).HTTPStatusCode, "only injected faults fail")
		failures++
	}
	assert.Equal(t, 10, failures)
	st := fc.Stats()
	assert.Equal(t, int64(goroutines*perGoroutine-10), st.TokensMinted)
	assert.Equal(t, int64(10), st.Faults)
	assert.Equal(t, st.TokensMinted, st.JWKSRequests, "one JWKS fetch per verification")
	assert.Equal(t, int64(goroutines*perGoroutine)+st.JWKSRequests, st.Requests)
}

func TestClerkCloseLeaksNothing(t *testing.T) {
	testkit.CheckLeaks(t)

	fc := clerkhasuratest.NewClerk(t, nil)
	sid := fc.CreateSession("user_1")
	mint(t, fc, sid, "hasura")
	fc.FailNext(1, clerkhasuratest.Fault{Status: 500, Latency: time.Hour})
	errc := make(chan error, 1)
	go func() { errc <- createToken(fc, context.Background(), sid) }()
	testkit.WaitFor(t, "the fault holds the request", func() bool { return fc.Stats().Faults == 1 })

	fc.Close()
	fc.Close()
	require.Error(t, <-errc)
	_, err := fc.SessionClient().Get(context.Background(), sid)
	assert.Error(t, err, "a closed fake answers nothing")
}
