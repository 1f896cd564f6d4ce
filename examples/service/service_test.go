package main

import (
	"encoding/base64"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
)

func TestServiceEndToEnd(t *testing.T) {
	w := newWorld(t, nil, nil)
	alice := w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))

	me := w.do(t, "GET", "/me", alice, "")
	require.Equal(t, http.StatusOK, me.status, me.raw)
	assert.Equal(t, map[string]any{"id": "user_alice", "name": "Alice", "last_seen": "2024-05-01T10:20:30.5Z"}, me.body)

	seen := w.do(t, "POST", "/me/seen", alice, "")
	require.Equal(t, http.StatusOK, seen.status, seen.raw)
	stamp, err := time.Parse(time.RFC3339Nano, seen.body["last_seen"].(string))
	require.NoError(t, err)
	assert.WithinDuration(t, w.hasura.Now(), stamp, time.Minute)
	assert.Equal(t, seen.body["last_seen"], w.do(t, "GET", "/me", alice, "").body["last_seen"])

	users := w.do(t, "GET", "/users", alice, "")
	require.Equal(t, http.StatusOK, users.status, users.raw)
	list := users.body["users"].([]any)
	require.Len(t, list, 1, "Alice sees only her own row")
	assert.Equal(t, "user_alice", list[0].(map[string]any)["id"])
	assert.Empty(t, w.do(t, "GET", "/users?name=B%25", alice, "").body["users"])
	assert.Len(t, w.do(t, "GET", "/users?name=A%25&limit=1", alice, "").body["users"], 1)
	assert.Equal(t, http.StatusBadRequest, w.do(t, "GET", "/users?limit=x", alice, "").status)

	carol := w.clerk.SessionToken(w.clerk.CreateSession("user_carol"))
	missing := w.do(t, "GET", "/me", carol, "")
	assert.Equal(t, http.StatusNotFound, missing.status)
	assert.Equal(t, "not_found", missing.body["error"])
	assert.Equal(t, http.StatusNotFound, w.do(t, "POST", "/me/seen", carol, "").status)
	assert.Equal(t, http.StatusBadRequest, w.do(t, "PUT", "/me", carol, `{"name":""}`).status)
	created := w.do(t, "PUT", "/me", carol, `{"name":"Carol"}`)
	require.Equal(t, http.StatusOK, created.status, created.raw)
	assert.Equal(t, "Carol", created.body["name"])
	assert.Equal(t, "Carol", w.do(t, "GET", "/me", carol, "").body["name"])

	assert.Equal(t, http.StatusOK, w.do(t, "GET", "/healthz", "", "").status)
	anon := w.do(t, "GET", "/me", "", "")
	assert.Equal(t, http.StatusUnauthorized, anon.status)
	assert.Equal(t, "unauthenticated", anon.body["error"])

	st := w.svc.tokens.Stats()
	assert.Equal(t, uint64(2), st.Mints, "one Hasura token per session for all their requests")
	assert.Equal(t, 2, st.Sessions)

	logs := w.logLines(t)
	var requests int
	for _, rec := range logs {
		if rec["msg"] == "request" {
			requests++
			assert.Contains(t, rec, "status")
			assert.Contains(t, rec, "duration")
		}
	}
	assert.Equal(t, 14, requests, "one log record per request")
	text := w.logs.String()
	assert.Contains(t, text, `"user":"user_alice"`)
	assert.Contains(t, text, `"err":"clerkhasura: missing session token"`)
	for _, tok := range []string{alice, carol} {
		for _, part := range strings.Split(tok, ".") {
			assert.NotContains(t, text, part, "a token reached the log")
		}
	}
}

func TestServiceErrorStatuses(t *testing.T) {
	cases := []struct {
		name string
		env  map[string]string
		// other, when set, makes Hasura trust another Clerk instance.
		other bool
		// prepare returns the session token to send.
		prepare    func(w *world) string
		status     int
		code       string
		retryAfter string
	}{
		{name: "session ended", prepare: func(w *world) string {
			sid := w.clerk.CreateSession("user_alice")
			tok := w.clerk.SessionToken(sid)
			w.clerk.RevokeSession(sid)
			return tok
		}, status: http.StatusUnauthorized, code: "session_ended"},
		{name: "JWT template missing", env: map[string]string{"CLERK_JWT_TEMPLATE": "hasrua"},
			prepare: func(w *world) string {
				return w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
			}, status: http.StatusInternalServerError, code: "misconfigured"},
		{name: "Clerk rate limits", prepare: func(w *world) string {
			w.clerk.FailNext(1, clerkhasuratest.Fault{Status: 429, RetryAfter: 7 * time.Second, Path: "/tokens/"})
			return w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
		}, status: http.StatusServiceUnavailable, code: "clerk_unavailable", retryAfter: "7"},
		{name: "Clerk behind a failing proxy", prepare: func(w *world) string {
			w.clerk.FailNext(1, clerkhasuratest.Fault{Status: 502, Body: "<html>bad gateway</html>", Path: "/tokens/"})
			return w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
		}, status: http.StatusServiceUnavailable, code: "clerk_unavailable"},
		{name: "frontend not authorized", env: map[string]string{"CLERK_AUTHORIZED_PARTIES": "https://app.example.com"},
			prepare: func(w *world) string {
				return w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
			}, status: http.StatusUnauthorized, code: "unauthenticated"},
		{name: "token of another instance", env: map[string]string{
			"CLERK_PUBLISHABLE_KEY": "pk_test_" + base64.StdEncoding.EncodeToString([]byte("clerk.other.test$")),
		}, prepare: func(w *world) string {
			return w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
		}, status: http.StatusUnauthorized, code: "unauthenticated"},
		{name: "Hasura trusts another Clerk", other: true, prepare: func(w *world) string {
			return w.clerk.SessionToken(w.clerk.CreateSession("user_alice"))
		}, status: http.StatusBadGateway, code: "hasura_rejected_token"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var trust *clerkhasuratest.Clerk
			if tc.other {
				// Fake Clerks draw their first key from one pool, and Hasura
				// tries every key of the set whatever the kid: give the
				// other instance a key of its own.
				trust = clerkhasuratest.NewClerk(t, nil)
				first := trust.KeyIDs()[0]
				trust.RotateKey()
				trust.DropKey(first)
			}
			w := newWorld(t, tc.env, trust)
			got := w.do(t, "GET", "/me", tc.prepare(w), "")
			assert.Equal(t, tc.status, got.status, got.raw)
			assert.Equal(t, tc.code, got.body["error"])
			assert.Equal(t, tc.retryAfter, got.header.Get("Retry-After"))
			assert.NotContains(t, got.raw, "clerkhasura:", "an error's text reached the client")
		})
	}
}
