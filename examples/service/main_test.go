package main

import (
	"bytes"
	"context"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func TestRunRefusesBadConfiguration(t *testing.T) {
	const endpoint = "https://my-project.hasura.app/v1/graphql"
	cases := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"endpoint without secret key", map[string]string{"HASURA_GRAPHQL_ENDPOINT": endpoint},
			"service: CLERK_SECRET_KEY is not set (set it and HASURA_GRAPHQL_ENDPOINT, or neither"},
		{"rung not a rung", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERKHASURA_RUNG": "4"}, "service: -rung and CLERKHASURA_RUNG take 1, 2 or 3"},
		{"rung not a rung on the fakes", map[string]string{"CLERKHASURA_RUNG": "two"}, "service: -rung and CLERKHASURA_RUNG take 1, 2 or 3"},
		{"rung 3 without a key", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERKHASURA_RUNG": "3", "CLERKHASURA_ISSUER": "https://api.example.com"}, "service: rung 3 needs CLERKHASURA_SIGNING_KEY"},
		{"rung 3 key not a key", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERKHASURA_RUNG": "3", "CLERKHASURA_ISSUER": "https://api.example.com", "CLERKHASURA_SIGNING_KEY": "serviceSecret"},
			"service: CLERKHASURA_SIGNING_KEY is not an Ed25519 private key"},
		{"no endpoint", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret"}, "service: HASURA_GRAPHQL_ENDPOINT is not set"},
		{"publishable key", map[string]string{"CLERK_SECRET_KEY": "pk_test_x", "HASURA_GRAPHQL_ENDPOINT": endpoint},
			"service: CLERK_SECRET_KEY is not a Clerk secret key"},
		{"endpoint not a URL", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": "hasura.app"},
			"service: HASURA_GRAPHQL_ENDPOINT is not an http(s) URL"},
		{"party not an origin", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERK_AUTHORIZED_PARTIES": "https://app.example.com, app.example.com"},
			"service: CLERK_AUTHORIZED_PARTIES holds an entry that is not an origin"},
		{"API URL not a URL", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERK_API_URL": "api.clerk.com"}, "service: CLERK_API_URL is not an http(s) URL"},
		{"publishable key not one", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERK_PUBLISHABLE_KEY": "sk_test_serviceSecret"}, "service: CLERK_PUBLISHABLE_KEY is not a Clerk publishable key"},
		{"publishable key garbled", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERK_PUBLISHABLE_KEY": "pk_test_serviceSecret"}, "service: clerkhasura: invalid middleware.Options.Issuer"},
		{"webhook secret not one", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERK_WEBHOOK_SECRET": "serviceSecret"}, "service: CLERK_WEBHOOK_SECRET is not a webhook signing secret"},
		{"webhook secret garbled", map[string]string{"CLERK_SECRET_KEY": "sk_test_serviceSecret", "HASURA_GRAPHQL_ENDPOINT": endpoint,
			"CLERK_WEBHOOK_SECRET": "whsec_serviceSecret!"}, "service: clerkhasura: invalid webhook secret"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var stderr bytes.Buffer
			code := run(context.Background(), nil, func(k string) string { return tc.env[k] }, io.Discard, &stderr)
			assert.Equal(t, 2, code)
			assert.True(t, strings.HasPrefix(stderr.String(), tc.want), stderr.String())
			assert.Equal(t, 1, strings.Count(stderr.String(), "\n"))
			assert.NotContains(t, stderr.String(), "serviceSecret")
		})
	}
}

func TestParseConfigDefaults(t *testing.T) {
	cfg, err := parseConfig(nil, func(k string) string {
		return map[string]string{
			"CLERK_SECRET_KEY":         "sk_test_x",
			"HASURA_GRAPHQL_ENDPOINT":  "http://localhost:8080",
			"CLERK_AUTHORIZED_PARTIES": " http://localhost:3000 ,https://app.example.com,",
		}[k]
	})
	require.NoError(t, err)
	assert.Equal(t, config{
		secretKey: "sk_test_x",
		endpoint:  "http://localhost:8080/v1/graphql",
		template:  "hasura",
		parties:   []string{"http://localhost:3000", "https://app.example.com"},
		addr:      ":8080",
		rung:      1,
	}, cfg)
}

// A request under way when the signal comes is answered before serve
// returns; the listener is closed first.
func TestServeShutsDownGracefully(t *testing.T) {
	entered, release := make(chan struct{}), make(chan struct{})
	h := http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		close(entered)
		<-release
		_, _ = io.WriteString(w, "finished")
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	ctx, stop := context.WithCancel(context.Background())
	logs := &testkit.LogBuffer{}
	served := make(chan error, 1)
	go func() { served <- serve(ctx, ln, h, slog.New(slog.NewJSONHandler(logs, nil))) }()

	client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
	answered := make(chan string, 1)
	go func() {
		resp, err := client.Get("http://" + ln.Addr().String() + "/slow")
		if err != nil {
			answered <- "error: " + err.Error()
			return
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		answered <- string(body)
	}()
	<-entered
	stop()

	// Shutdown closes the listener before it waits for the request.
	testkit.WaitFor(t, "the listener closes", func() bool {
		conn, err := net.DialTimeout("tcp", ln.Addr().String(), time.Second)
		if err != nil {
			return true
		}
		conn.Close()
		return false
	})
	select {
	case err := <-served:
		t.Fatalf("serve returned before the request finished: %v", err)
	default:
	}
	close(release)
	assert.Equal(t, "finished", <-answered)
	require.NoError(t, <-served)
	assert.Contains(t, logs.String(), "shutting down")
	assert.Contains(t, logs.String(), `"msg":"stopped"`)
}
