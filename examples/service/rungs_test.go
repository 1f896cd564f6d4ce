package main

import (
	"context"
	"encoding/json"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strconv"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// newFakesWorld starts the demo's fakes for rung and the service on them,
// as run does without CLERK_SECRET_KEY.
func newFakesWorld(t *testing.T, rung int) (*world, *fakes) {
	t.Helper()
	f, err := startFakes(rung)
	require.NoError(t, err)
	t.Cleanup(f.Close)
	cfg, err := parseConfig([]string{"-rung", strconv.Itoa(rung)}, f.getenv(func(string) string { return "" }))
	require.NoError(t, err)
	cfg.clock = f.clock
	w := &world{clerk: f.clerk, hasura: f.hasura, logs: &testkit.LogBuffer{}}
	w.svc, err = newService(cfg, slog.New(slog.NewJSONHandler(w.logs, nil)))
	require.NoError(t, err)
	w.server = httptest.NewServer(newHandler(w.svc))
	t.Cleanup(func() {
		w.server.Close()
		w.svc.Close()
	})
	return w, f
}

// TestServiceRungs drives the service at each rung against the fakes:
// the browser's token of the rung reads and writes Alice's row, the other
// kind of token is refused, rungs 2 and 3 have Clerk mint nothing, and
// rung 3 publishes its keys.
func TestServiceRungs(t *testing.T) {
	for rung := 1; rung <= 3; rung++ {
		t.Run("rung "+strconv.Itoa(rung), func(t *testing.T) {
			w, f := newFakesWorld(t, rung)
			minted := w.clerk.Stats().TokensMinted

			me := w.do(t, "GET", "/me", f.token, "")
			require.Equal(t, http.StatusOK, me.status, me.raw)
			assert.Equal(t, "Alice", me.body["name"])
			renamed := w.do(t, "PUT", "/me", f.token, `{"name":"Ada"}`)
			require.Equal(t, http.StatusOK, renamed.status, renamed.raw)
			assert.Equal(t, "Ada", w.do(t, "GET", "/me", f.token, "").body["name"])

			sid := w.clerk.CreateSession("user_alice")
			other, reason := w.clerk.TemplateToken(sid, "hasura"), "template tokens are not accepted here"
			if rung == 2 {
				other, reason = w.clerk.SessionToken(sid), "session tokens are not accepted here"
			}
			refused := w.do(t, "GET", "/me", other, "")
			assert.Equal(t, http.StatusUnauthorized, refused.status)
			assert.Equal(t, reason, refused.body["message"])

			// Less the token refused above, which the test minted.
			mintedNow := w.clerk.Stats().TokensMinted - minted - 1
			if rung == 1 {
				assert.Equal(t, int64(1), mintedNow, "one Hasura token for all of the session's requests")
			} else {
				assert.Zero(t, mintedNow, "Clerk minted a token")
			}

			jwks := w.do(t, "GET", jwksPath, "", "")
			if rung == 3 {
				require.Equal(t, http.StatusOK, jwks.status)
				assert.Len(t, jwks.body["keys"], 1)
			} else {
				assert.Equal(t, http.StatusUnauthorized, jwks.status, "no keys published below rung 3")
			}
		})
	}
}

// TestServiceRungThreeEndsSessions: at rung 3, Clerk's webhook ends the
// session in the Signer and the middleware: its session token, still
// valid, is refused at once.
func TestServiceRungThreeEndsSessions(t *testing.T) {
	w, f := newFakesWorld(t, 3)
	w.clerk.SetWebhookURL(w.server.URL + "/webhooks/clerk")
	sid := w.clerk.CreateSession("user_alice")
	tok := w.clerk.SessionToken(sid)
	require.Equal(t, http.StatusOK, w.do(t, "GET", "/me", tok, "").status)
	w.clerk.RevokeSession(sid)
	require.Equal(t, int64(1), w.clerk.Stats().WebhooksDelivered)
	got := w.do(t, "GET", "/me", tok, "")
	assert.Equal(t, http.StatusUnauthorized, got.status)
	assert.Equal(t, "session ended", got.body["message"])
	assert.Equal(t, http.StatusOK, w.do(t, "GET", "/me", f.token, "").status, "Alice's other session")
}

// curlLine is the demo's command: its token and URL.
var curlLine = regexp.MustCompile(`curl -H 'Authorization: Bearer ([A-Za-z0-9_.-]+)' (http://\S+/me)`)

// TestRunOnFakes runs the program without Clerk's variables, at each rung
// chosen by flag or environment: it prints a curl command that works,
// and stops when interrupted.
func TestRunOnFakes(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
		env  map[string]string
	}{
		{"default rung 1", nil, nil},
		{"rung 2 by flag", []string{"-rung", "2"}, nil},
		{"rung 3 by environment", nil, map[string]string{"CLERKHASURA_RUNG": "3"}},
		{"flag over environment", []string{"-rung=3"}, map[string]string{"CLERKHASURA_RUNG": "2"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			testkit.CheckLeaks(t)
			env := map[string]string{"ADDR": "127.0.0.1:0"}
			for k, v := range tc.env {
				env[k] = v
			}
			stdout, stderr := &testkit.LogBuffer{}, &testkit.LogBuffer{}
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			code := make(chan int, 1)
			go func() { code <- run(ctx, tc.args, func(k string) string { return env[k] }, stdout, stderr) }()

			var m []string
			testkit.WaitFor(t, "the curl line", func() bool {
				m = curlLine.FindStringSubmatch(stdout.String())
				return m != nil
			})
			req, err := http.NewRequest(http.MethodGet, m[2], nil)
			require.NoError(t, err)
			req.Header.Set("Authorization", "Bearer "+m[1])
			client := &http.Client{Transport: &http.Transport{DisableKeepAlives: true}}
			resp, err := client.Do(req)
			require.NoError(t, err)
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			require.Equal(t, http.StatusOK, resp.StatusCode, string(body))
			var me map[string]any
			require.NoError(t, json.Unmarshal(body, &me))
			assert.Equal(t, "user_alice", me["id"])
			want := "rung 1"
			if len(tc.args) > 0 {
				want = "rung 3"
				if tc.args[0] == "-rung" {
					want = "rung " + tc.args[1]
				}
			} else if r := tc.env["CLERKHASURA_RUNG"]; r != "" {
				want = "rung " + r
			}
			assert.Contains(t, stderr.String(), want)
			assert.Regexp(t, `^curl [^\n]*\n$`, stdout.String(), "stdout holds the bare curl line, ready to run")

			cancel()
			assert.Equal(t, 0, <-code, stderr.String())
		})
	}
}
