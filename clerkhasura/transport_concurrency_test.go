package clerkhasura_test

import (
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// TestTransportConcurrentRejections sends many requests at once through one
// Transport while Hasura rejects the first token: every request succeeds,
// the shared source mints just one replacement, and no connection or
// goroutine is left behind.
func TestTransportConcurrentRejections(t *testing.T) {
	testkit.CheckLeaks(t)

	hasura := newTrHasura(t, func(tok string) bool { return tok != "tok-1" }, trRejectWith(http.StatusOK, trExpiredBody))
	base := &http.Transport{}
	defer base.CloseIdleConnections()
	defer hasura.Close()
	src := &sources.Counting{}
	client := &http.Client{Transport: newTransport(t, hasura.endpoint(), src, &clerkhasura.TransportOptions{Base: base, Role: "user"})}

	const workers, perWorker = 8, 25
	var wg sync.WaitGroup
	errs := make(chan error, workers*perWorker)
	bodies := make(chan string, workers*perWorker)
	for range workers {
		wg.Go(func() {
			for range perWorker {
				resp, err := client.Post(hasura.endpoint(), "application/json", strings.NewReader(`{"query":"{ users { id } }"}`))
				if err != nil {
					errs <- err
					continue
				}
				b, err := io.ReadAll(resp.Body)
				resp.Body.Close()
				if err != nil {
					errs <- err
					continue
				}
				bodies <- string(b)
			}
		})
	}
	wg.Wait()
	close(errs)
	close(bodies)

	for err := range errs {
		require.NoError(t, err)
	}
	n := 0
	for b := range bodies {
		assert.Equal(t, trDataBody, b)
		n++
	}
	assert.Equal(t, workers*perWorker, n)
	minted := src.Minted()
	invalidated := src.Invalidated()
	assert.Equal(t, 2, minted, "one replacement for everyone")
	for _, tok := range invalidated {
		assert.Equal(t, "tok-1", tok, "only the rejected token is invalidated")
	}
	for _, seen := range hasura.requests() {
		assert.Contains(t, []string{"Bearer tok-1", "Bearer tok-2"}, seen.Authorization)
		assert.Equal(t, "user", seen.Role)
	}
}

// TestTransportEndpointsInParallel runs Transports for different endpoints
// side by side: each authorizes exactly its own origin.
func TestTransportEndpointsInParallel(t *testing.T) {
	endpoints := []string{"https://a.hasura.app/v1/graphql", "https://b.hasura.app/v1/graphql", "http://localhost:8080/v1/graphql"}
	var wg sync.WaitGroup
	for i, own := range endpoints {
		wg.Go(func() {
			base := &trRoundTripper{}
			tr := newTransport(t, own, &sources.Counting{}, &clerkhasura.TransportOptions{Base: base})
			for range 50 {
				for _, target := range endpoints {
					req, _ := http.NewRequest(http.MethodGet, target, nil)
					resp, err := tr.RoundTrip(req)
					if !assert.NoError(t, err) {
						return
					}
					resp.Body.Close()
				}
			}
			for j, sent := range base.requests() {
				want := j%len(endpoints) == i
				assert.Equal(t, want, sent.Header.Get("Authorization") != "", "transport for %s sent to %s", own, sent.URL)
			}
		})
	}
	wg.Wait()
}
