package main

import (
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// world is a fake Clerk, a fake Hasura, and the service configured for
// them through its environment, served by an httptest server.
type world struct {
	clerk  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
	svc    *service
	server *httptest.Server
	logs   *testkit.LogBuffer
}

// newWorld starts the world. env adds to or overrides the environment (an
// empty value unsets a variable); trust, when not nil, is the Clerk whose
// keys the fake Hasura trusts.
func newWorld(t *testing.T, env map[string]string, trust *clerkhasuratest.Clerk) *world {
	t.Helper()
	w := &world{logs: &testkit.LogBuffer{}}
	w.clerk = clerkhasuratest.NewClerk(t, nil)
	if trust == nil {
		trust = w.clerk
	}
	w.hasura = clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{JWKURL: trust.JWKSURL(), HTTPClient: trust.HTTPClient()})
	alice, bob := "Alice", "Bob"
	w.hasura.Seed(
		clerkhasuratest.UserRow{ID: "user_alice", Name: &alice, LastSeenText: "2024-05-01T10:20:30.5"},
		clerkhasuratest.UserRow{ID: "user_bob", Name: &bob},
	)
	vars := map[string]string{
		"CLERK_SECRET_KEY":         w.clerk.SecretKey(),
		"CLERK_API_URL":            w.clerk.APIURL(),
		"HASURA_GRAPHQL_ENDPOINT":  w.hasura.Endpoint(),
		"CLERK_AUTHORIZED_PARTIES": clerkhasuratest.DefaultAuthorizedParty,
		"CLERK_PUBLISHABLE_KEY":    w.clerk.PublishableKey(),
		"CLERK_WEBHOOK_SECRET":     w.clerk.WebhookSecret(),
	}
	for k, v := range env {
		vars[k] = v
	}
	cfg, err := parseConfig(nil, func(k string) string { return vars[k] })
	require.NoError(t, err)
	w.svc, err = newService(cfg, slog.New(slog.NewJSONHandler(w.logs, nil)))
	require.NoError(t, err)
	w.server = httptest.NewServer(newHandler(w.svc))
	t.Cleanup(func() {
		w.server.Close()
		w.svc.Close()
	})
	return w
}

// answer is a response of the service.
type answer struct {
	status int
	header http.Header
	body   map[string]any
	raw    string
}

// do sends a request with the session token, if not empty, and a JSON
// body, if not empty.
func (w *world) do(t *testing.T, method, path, token, body string) answer {
	t.Helper()
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, w.server.URL+path, rd)
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := w.server.Client().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	a := answer{status: resp.StatusCode, header: resp.Header, raw: string(raw)}
	_ = json.Unmarshal(raw, &a.body)
	return a
}

// logLines returns the service's log records.
func (w *world) logLines(t *testing.T) []map[string]any {
	t.Helper()
	var lines []map[string]any
	for _, line := range strings.Split(strings.TrimSpace(w.logs.String()), "\n") {
		if line == "" {
			continue
		}
		var rec map[string]any
		require.NoError(t, json.Unmarshal([]byte(line), &rec), line)
		lines = append(lines, rec)
	}
	return lines
}
