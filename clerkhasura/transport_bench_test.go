package clerkhasura_test

import (
	"bytes"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"golang.org/x/oauth2"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// benchStaticAuth is the least a transport can do: set fixed headers on a
// copy of the request.
type benchStaticAuth struct {
	base http.RoundTripper
	auth string
}

func (t *benchStaticAuth) RoundTrip(req *http.Request) (*http.Response, error) {
	r := req.Clone(req.Context())
	r.Header.Set("Authorization", t.auth)
	r.Header.Set("X-Hasura-Role", "user")
	return t.base.RoundTrip(r)
}

// benchCanned answers every request from memory, so that only the
// transports' own work is measured.
type benchCanned struct{}

func (benchCanned) RoundTrip(req *http.Request) (*http.Response, error) {
	if req.Body != nil {
		_, _ = io.Copy(io.Discard, req.Body)
		req.Body.Close()
	}
	return &http.Response{
		StatusCode:    http.StatusOK,
		Header:        http.Header{"Content-Type": {"application/json; charset=utf-8"}},
		Body:          io.NopCloser(strings.NewReader(trDataBody)),
		ContentLength: int64(len(trDataBody)),
		Request:       req,
	}, nil
}

// BenchmarkTransport compares a request through Transport with the same
// request through a RoundTripper that sets a fixed Authorization header, and
// through golang.org/x/oauth2's Transport, over loopback HTTP and in memory.
func BenchmarkTransport(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		_, _ = io.WriteString(w, trDataBody)
	}))
	defer srv.Close()
	endpoint := srv.URL + "/v1/graphql"
	network := &http.Transport{MaxIdleConnsPerHost: 16}
	defer network.CloseIdleConnections()

	// A Clerk template token for Hasura is about 700 bytes.
	tok := &clerkhasura.Token{Value: strings.Repeat("x", 700), Expiry: time.Now().Add(time.Hour)}
	query := []byte(`{"query":"query Users { users(limit: 10) { id name last_seen } }","operationName":"Users"}`)

	bases := []struct {
		name string
		rt   http.RoundTripper
	}{{"loopback", network}, {"in-memory", benchCanned{}}}
	for _, base := range bases {
		transports := []struct {
			name string
			rt   http.RoundTripper
		}{
			{"static-header", &benchStaticAuth{base: base.rt, auth: "Bearer " + tok.Value}},
			{"oauth2", &oauth2.Transport{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok.Value}), Base: base.rt}},
			{"clerkhasura", newTransport(b, endpoint, sources.Static{Tok: tok}, &clerkhasura.TransportOptions{Base: base.rt, Role: "user"})},
		}
		for _, tr := range transports {
			b.Run(base.name+"/"+tr.name, func(b *testing.B) {
				client := &http.Client{Transport: tr.rt}
				b.ReportAllocs()
				for b.Loop() {
					req, err := http.NewRequest(http.MethodPost, endpoint, bytes.NewReader(query))
					if err != nil {
						b.Fatal(err)
					}
					req.Header.Set("Content-Type", "application/json")
					resp, err := client.Do(req)
					if err != nil {
						b.Fatal(err)
					}
					n, _ := io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if n != int64(len(trDataBody)) {
						b.Fatalf("read %d bytes, want %d", n, len(trDataBody))
					}
				}
			})
		}
	}
}
