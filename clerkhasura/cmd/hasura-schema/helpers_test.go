package main

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"os"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
	"github.com/clerkhasura/clerkhasura-go/internal/testkit"
)

// world is a fake Clerk whose hasura template allows the roles user and
// anonymous, a fake Hasura trusting it that serves a project, and the
// environment that points the command at them.
type world struct {
	clerk  *clerkhasuratest.Clerk
	hasura *httptest.Server
	env    map[string]string
}

func newWorld(t *testing.T, p *hasuraproject.Project) *world {
	t.Helper()
	tpl := clerkhasuratest.HasuraTemplate()
	tpl.Claims[testkit.ClaimsNamespace].(map[string]any)["x-hasura-allowed-roles"] = []any{"user", "anonymous"}
	w := &world{clerk: clerkhasuratest.NewClerk(t, &clerkhasuratest.ClerkOptions{Templates: map[string]clerkhasuratest.Template{"hasura": tpl}})}
	secret, err := fakehasura.ParseJWTSecret(`{"jwk_url":"` + w.clerk.JWKSURL() + `"}`)
	require.NoError(t, err)
	e, err := fakehasura.New(fakehasura.Config{JWT: secret, HTTPClient: w.clerk.HTTPClient(), Project: p})
	require.NoError(t, err)
	w.hasura = httptest.NewServer(e)
	t.Cleanup(func() {
		w.hasura.Close()
		e.Close()
	})
	w.env = map[string]string{
		"CLERK_SECRET_KEY":        w.clerk.SecretKey(),
		"CLERK_API_URL":           w.clerk.APIURL(),
		"HASURA_GRAPHQL_ENDPOINT": w.hasura.URL + "/v1/graphql",
	}
	return w
}

// run runs the command and returns its exit status, stdout and stderr.
func (w *world) run(args ...string) (int, string, string) {
	var stdout, stderr bytes.Buffer
	code := run(args, func(k string) string { return w.env[k] }, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

// endpoint points the command at another server.
func (w *world) endpoint(t *testing.T, h http.Handler) {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	w.env["HASURA_GRAPHQL_ENDPOINT"] = srv.URL + "/v1/graphql"
}

var (
	shopOnce    sync.Once
	shopProject *hasuraproject.Project
	shopErr     error
)

// shop is the fake Hasura's test project: role user sees its tables,
// role anonymous may not introspect.
func shop(t *testing.T) *hasuraproject.Project {
	t.Helper()
	shopOnce.Do(func() {
		var parsed []byte
		const dir = "../../../internal/fakehasura/testdata/"
		if parsed, shopErr = os.ReadFile(dir + "shop.parsed"); shopErr == nil {
			shopProject, _, shopErr = hasuraproject.LoadParsed(os.DirFS(dir+"shop"), parsed)
		}
	})
	require.NoError(t, shopErr)
	return shopProject
}

func defaultProject(t *testing.T) *hasuraproject.Project {
	t.Helper()
	p, err := fakehasura.DefaultProject()
	require.NoError(t, err)
	return p
}

// formatted is sdl loaded and printed by gqlparser.
func formatted(t *testing.T, sdl string) string {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "want.graphql", Input: sdl})
	require.NoError(t, err)
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(s)
	return b.String()
}

// jwtShape is a compact JWS: a random ID may hold "eyJ", not this.
var jwtShape = regexp.MustCompile(`eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.`)

// assertOneErrorLine checks what every failure writes: one line on
// stderr, with the command's name, and no credential.
func (w *world) assertOneErrorLine(t *testing.T, stderr string) {
	t.Helper()
	assert.True(t, strings.HasPrefix(stderr, "hasura-schema: "), stderr)
	assert.Equal(t, 1, strings.Count(stderr, "\n"), stderr)
	assert.NotContains(t, stderr, w.clerk.SecretKey())
	assert.NotRegexp(t, jwtShape, stderr, "a JWT reached stderr")
}
