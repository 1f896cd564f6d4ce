package hasura_test

import (
	"context"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/Khan/genqlient/graphql"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit/sources"
)

// clStaticHeaders is the usual genqlient setup: a RoundTripper that adds
// fixed headers to a clone of each request.
type clStaticHeaders struct {
	header http.Header
	base   http.RoundTripper
}

func (s *clStaticHeaders) RoundTrip(r *http.Request) (*http.Response, error) {
	r = r.Clone(r.Context())
	for k, v := range s.header {
		r.Header[k] = v
	}
	return s.base.RoundTrip(r)
}

// BenchmarkUsers100 reads 100 rows through Client.Users and, in the same
// run, against the same fake Hasura with the same token and role, through
// plain genqlient with a static Authorization header: the difference is
// the cost of the Client (token cache, Transport, error wrapping, row
// conversion).
//
// The "user" role sees only its own row, so the token's template also
// allows the role "admin", which Hasura, like the fake, lets see every
// row; both sides send x-hasura-role: admin. The token lives an hour so
// that no refresh happens during the run.
func BenchmarkUsers100(b *testing.B) {
	tpl := clerkhasuratest.HasuraTemplate()
	tpl.Lifetime = time.Hour
	tpl.Claims = map[string]any{testkit.ClaimsNamespace: map[string]any{
		"x-hasura-user-id":       "{{user.id}}",
		"x-hasura-default-role":  "user",
		"x-hasura-allowed-roles": []any{"user", "admin"},
	}}
	fc := clerkhasuratest.NewClerk(b, &clerkhasuratest.ClerkOptions{
		Templates: map[string]clerkhasuratest.Template{"hasura": tpl},
	})
	fh := clerkhasuratest.NewHasura(b, &clerkhasuratest.HasuraOptions{JWKURL: fc.JWKSURL()})
	seen := time.Date(2026, 11, 26, 12, 0, 0, 123456000, time.UTC)
	rows := make([]clerkhasuratest.UserRow, 100)
	for i := range rows {
		name := fmt.Sprintf("User %03d", i)
		at := seen.Add(time.Duration(i) * time.Second)
		rows[i] = clerkhasuratest.UserRow{ID: fmt.Sprintf("user_%03d", i), Name: &name, LastSeen: &at}
	}
	fh.Seed(rows...)

	src := sources.Cached(b, sources.Session(b, fc.SessionClient(), fc.CreateSession("user_000"), "hasura", nil), nil)
	b.Cleanup(func() { src.Close() })
	ctx := context.Background()
	tok, err := src.Token(ctx)
	if err != nil {
		b.Fatal(err)
	}

	client, err := hasura.NewClient(fh.Endpoint(), src, &hasura.ClientOptions{Role: "admin"})
	if err != nil {
		b.Fatal(err)
	}
	plain := graphql.NewClient(fh.Endpoint(), &http.Client{Transport: &clStaticHeaders{
		header: http.Header{
			"Authorization": {"Bearer " + tok.Value},
			"X-Hasura-Role": {"admin"},
		},
		base: http.DefaultTransport,
	}})
	byID := []hgql.UsersOrderBy{{Id: hgql.OrderByAsc}}

	b.Run("Client", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			users, err := client.Users(ctx, nil)
			if err != nil || len(users) != 100 {
				b.Fatalf("got %d rows, %v", len(users), err)
			}
		}
	})
	b.Run("genqlient", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			resp, err := hgql.ListUsers(ctx, plain, nil, byID, nil, nil)
			if err != nil || len(resp.Users) != 100 {
				b.Fatalf("got %d rows, %v", len(resp.Users), err)
			}
		}
	})
	// The machine's load changes between the two runs above; here each
	// iteration makes one call of each kind, in alternating order, so both
	// see the same load, and their ratio is reported.
	b.Run("interleaved", func(b *testing.B) {
		var viaClient, viaGenqlient time.Duration
		callClient := func() {
			start := time.Now()
			users, err := client.Users(ctx, nil)
			viaClient += time.Since(start)
			if err != nil || len(users) != 100 {
				b.Fatalf("got %d rows, %v", len(users), err)
			}
		}
		callGenqlient := func() {
			start := time.Now()
			resp, err := hgql.ListUsers(ctx, plain, nil, byID, nil, nil)
			viaGenqlient += time.Since(start)
			if err != nil || len(resp.Users) != 100 {
				b.Fatalf("got %d rows, %v", len(resp.Users), err)
			}
		}
		odd := false
		for b.Loop() {
			if odd {
				callClient()
				callGenqlient()
			} else {
				callGenqlient()
				callClient()
			}
			odd = !odd
		}
		b.ReportMetric(float64(viaClient)/float64(viaGenqlient), "client/genqlient")
		b.ReportMetric(float64(viaClient.Nanoseconds())/float64(b.N), "client-ns/op")
		b.ReportMetric(float64(viaGenqlient.Nanoseconds())/float64(b.N), "genqlient-ns/op")
	})
}

// BenchmarkUsers100Canned is BenchmarkUsers100 without the fake Hasura's
// work: both clients read the same fixed 100-row answer from an httptest
// server, so the Client's own cost is a larger share of each call.
func BenchmarkUsers100Canned(b *testing.B) {
	var body strings.Builder
	body.WriteString(`{"data":{"users":[`)
	for i := range 100 {
		if i > 0 {
			body.WriteString(", ")
		}
		fmt.Fprintf(&body, `{"id":"user_%03d","name":"User %03d","last_seen":"2026-11-26T12:%02d:%02d.123456"}`, i, i, i/60, i%60)
	}
	body.WriteString(`]}}`)
	h := newClHasura(b, clAnswer(body.String()))

	src := sources.Cached(b, sources.FromClaims(b, testkit.HasuraClaims("user_000")), nil)
	b.Cleanup(func() { src.Close() })
	ctx := context.Background()
	tok, err := src.Token(ctx)
	if err != nil {
		b.Fatal(err)
	}
	client, err := hasura.NewClient(h.endpoint(), src, nil)
	if err != nil {
		b.Fatal(err)
	}
	plain := graphql.NewClient(h.endpoint(), &http.Client{Transport: &clStaticHeaders{
		header: http.Header{"Authorization": {"Bearer " + tok.Value}},
		base:   http.DefaultTransport,
	}})
	byID := []hgql.UsersOrderBy{{Id: hgql.OrderByAsc}}

	var viaClient, viaGenqlient time.Duration
	odd := false
	b.ReportAllocs()
	for b.Loop() {
		for j := range 2 {
			start := time.Now()
			if (j == 0) == odd {
				users, err := client.Users(ctx, nil)
				viaClient += time.Since(start)
				if err != nil || len(users) != 100 {
					b.Fatalf("got %d rows, %v", len(users), err)
				}
				continue
			}
			resp, err := hgql.ListUsers(ctx, plain, nil, byID, nil, nil)
			viaGenqlient += time.Since(start)
			if err != nil || len(resp.Users) != 100 {
				b.Fatalf("got %d rows, %v", len(resp.Users), err)
			}
		}
		odd = !odd
	}
	b.ReportMetric(float64(viaClient)/float64(viaGenqlient), "client/genqlient")
	b.ReportMetric(float64(viaClient.Nanoseconds())/float64(b.N), "client-ns/op")
	b.ReportMetric(float64(viaGenqlient.Nanoseconds())/float64(b.N), "genqlient-ns/op")
}
