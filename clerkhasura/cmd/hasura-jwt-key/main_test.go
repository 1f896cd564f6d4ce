package main

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/clerk/clerk-sdk-go/v2/jwt"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/localjwt"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

const issuer = "https://api.example.test"

var epoch = time.Date(2026, 11, 26, 12, 0, 0, 0, time.UTC)

func newClock() *clerkhasuratest.Clock { return clerkhasuratest.NewClock(epoch) }

// runCmd runs the command and returns its status, stdout and stderr.
func runCmd(args ...string) (int, string, string) {
	var out, errOut bytes.Buffer
	code := run(args, &out, &errOut, func() time.Time { return epoch })
	return code, out.String(), errOut.String()
}

// envValue is the value of the nth assignment of name in the output,
// unquoted as a shell would.
func envValue(t *testing.T, out, name string, nth int) string {
	t.Helper()
	var found []string
	for _, line := range strings.Split(out, "\n") {
		if v, ok := strings.CutPrefix(line, name+"='"); ok {
			found = append(found, strings.ReplaceAll(strings.TrimSuffix(v, "'"), `'\''`, `'`))
		}
	}
	require.Greater(t, len(found), nth, "no %s #%d in:\n%s", name, nth, out)
	return found[nth]
}

// TestPrintedSecretsWork configures the fake Hasura with each value the
// command prints and signs with the key it printed.
func TestPrintedSecretsWork(t *testing.T) {
	clk := newClock()
	fc := clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Clock: clk})
	var handler atomic.Pointer[http.Handler]
	jwksSrv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { (*handler.Load()).ServeHTTP(w, r) }))
	t.Cleanup(jwksSrv.Close)

	code, out, errOut := runCmd("-issuer", issuer, "-clerk", clerkhasuratest.DefaultIssuer+"/",
		"-clerk-jwks-url", fc.JWKSURL(), "-jwks-url", jwksSrv.URL+"/.well-known/hasura-jwks.json")
	require.Equal(t, 0, code, errOut)
	key, err := localjwt.ParseKey([]byte(out))
	require.NoError(t, err, "the printed PEM")
	assert.Contains(t, out, "# Signing key "+key.KeyID()+". It is the secret")
	assert.Contains(t, out, "such as 2026-11-27T12:00:00Z")

	signer, err := localjwt.New(&localjwt.Options{Issuer: issuer, Clock: clk, Keys: []localjwt.ScheduledKey{{Key: key, SignFrom: epoch}}})
	require.NoError(t, err)
	h := signer.JWKSHandler(&localjwt.JWKSOptions{ClerkJWKS: fc.JWKSClient()})
	handler.Store(&h)

	sid := fc.CreateSession("user_alice")
	claims, err := jwt.Verify(context.Background(), &jwt.VerifyParams{Token: fc.SessionToken(sid), JWKSClient: fc.JWKSClient(), Clock: clk})
	require.NoError(t, err)
	src, err := signer.Source(claims)
	require.NoError(t, err)
	local, err := src.Token(context.Background())
	require.NoError(t, err)
	clerkToken := fc.TemplateToken(sid, "hasura")

	const rows = `{"data":{"users":[{"id":"user_alice"}]}}`
	for _, tt := range []struct {
		name      string
		opts      clerkhasuratest.HasuraOptions
		clerkWant string
	}{
		{"Cloud and EE", clerkhasuratest.HasuraOptions{JWTSecrets: envValue(t, out, "HASURA_GRAPHQL_JWT_SECRETS", 0)}, rows},
		{"open source jwk_url", clerkhasuratest.HasuraOptions{JWTSecret: envValue(t, out, "HASURA_GRAPHQL_JWT_SECRET", 0)}, rows},
		{"open source static key", clerkhasuratest.HasuraOptions{JWTSecret: envValue(t, out, "HASURA_GRAPHQL_JWT_SECRET", 1)},
			`{"errors":[{"message":"Could not verify JWT: JWTNotInIssuer","extensions":{"path":"$","code":"invalid-jwt"}}]}`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tt.opts.Clock, tt.opts.StrictJWKSRefresh = clk, true
			fh := clerkhasuratest.NewHasura(t, &tt.opts)
			fh.Seed(clerkhasuratest.UserRow{ID: "user_alice"})
			assert.Equal(t, rows, query(t, fh, local.Value), "the service's token")
			assert.Equal(t, tt.clerkWant, query(t, fh, clerkToken), "Clerk's token")
		})
	}
}

func query(t *testing.T, fh *clerkhasuratest.Hasura, token string) string {
	t.Helper()
	req, err := http.NewRequest(http.MethodPost, fh.Endpoint(), strings.NewReader(`{"query":"{ users { id } }"}`))
	require.NoError(t, err)
	req.Header.Set("Authorization", "Bearer "+token)
	resp, err := fh.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return string(body)
}

func TestOutWritesThePrivateKeyOnly(t *testing.T) {
	path := filepath.Join(t.TempDir(), "hasura.pem")
	code, out, errOut := runCmd("-issuer", issuer, "-clerk", "https://clerk.example.test", "-out", path, "-audience", "a&b")
	require.Equal(t, 0, code, errOut)
	info, err := os.Stat(path)
	require.NoError(t, err)
	assert.Equal(t, os.FileMode(0o600), info.Mode().Perm())
	pemBytes, err := os.ReadFile(path)
	require.NoError(t, err)
	key, err := localjwt.ParseKey(pemBytes)
	require.NoError(t, err)
	assert.NotContains(t, out, "PRIVATE KEY")
	assert.Contains(t, out, "# Signing key "+key.KeyID()+", written to "+path)
	assert.Contains(t, out, `{"jwk_url":"https://api.example.test/.well-known/hasura-jwks.json","issuer":"https://api.example.test","audience":"a&b"}`)
	assert.Contains(t, out, `{"jwk_url":"https://clerk.example.test/.well-known/jwks.json","issuer":"https://clerk.example.test"}`)

	code, _, errOut = runCmd("-issuer", issuer, "-clerk", "https://clerk.example.test", "-out", path)
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "file exists")
	again, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, pemBytes, again, "an existing key is never overwritten")

	code, out, errOut = runCmd("-issuer", issuer, "-clerk", "https://clerk.example.test", "-key", path)
	require.Equal(t, 0, code, errOut)
	assert.Contains(t, out, "# Signing key "+key.KeyID()+", read from "+path)
	assert.NotContains(t, out, "PRIVATE KEY")
	assert.Contains(t, out, strings.ReplaceAll(strings.TrimSpace(string(key.PublicPEM())), "\n", `\n`))
}

func TestRefusals(t *testing.T) {
	notKey := filepath.Join(t.TempDir(), "not.pem")
	require.NoError(t, os.WriteFile(notKey, []byte("secret material"), 0o600))
	for _, tt := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"no issuer", []string{"-clerk", "https://clerk.example.test"}, 2, "-issuer and -clerk are required"},
		{"no Clerk", []string{"-issuer", issuer}, 2, "-issuer and -clerk are required"},
		{"http issuer", []string{"-issuer", "http://api.example.test", "-clerk", "https://clerk.example.test"}, 2, "-issuer: not an https URL"},
		{"issuer with user info", []string{"-issuer", "https://u:p@api.example.test", "-clerk", "https://clerk.example.test"}, 2, "-issuer: not an https URL"},
		{"Clerk's issuer", []string{"-issuer", "https://clerk.example.test", "-clerk", "https://clerk.example.test"}, 2, "-issuer must differ from -clerk"},
		{"Clerk-like issuer", []string{"-issuer", "https://clerk.api.example.test", "-clerk", "https://clerk.example.test"}, 1, "looks like a Clerk Frontend API"},
		{"ftp jwk_url", []string{"-issuer", issuer, "-clerk", "https://clerk.example.test", "-jwks-url", "ftp://x/y"}, 2, "-jwks-url: not an http or https URL"},
		{"out and key", []string{"-issuer", issuer, "-clerk", "https://clerk.example.test", "-out", "a", "-key", "b"}, 2, "not both"},
		{"not a key", []string{"-issuer", issuer, "-clerk", "https://clerk.example.test", "-key", notKey}, 1, "invalid signing key: no PEM block"},
		{"argument", []string{"-issuer", issuer, "-clerk", "https://clerk.example.test", "extra"}, 2, `unexpected argument "extra"`},
		{"unknown flag", []string{"-nope"}, 2, "flag provided but not defined"},
	} {
		t.Run(tt.name, func(t *testing.T) {
			code, out, errOut := runCmd(tt.args...)
			assert.Equal(t, tt.code, code)
			assert.Empty(t, out)
			assert.Contains(t, errOut, tt.want)
			assert.NotContains(t, errOut, "secret material")
		})
	}
}
