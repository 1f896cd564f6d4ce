package introspection

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"

	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

const adminSecret = "introspection-test-admin-secret"

// fakeEngine is the fake Hasura serving p; requests with the admin secret
// pick their role with x-hasura-role.
func fakeEngine(t testing.TB, p *hasuraproject.Project) *fakehasura.Engine {
	t.Helper()
	e, err := fakehasura.New(fakehasura.Config{
		JWT:         &fakehasura.JWTConfig{Key: []byte("0123456789abcdef0123456789abcdef")},
		AdminSecret: adminSecret,
		Project:     p,
	})
	require.NoError(t, err)
	t.Cleanup(e.Close)
	return e
}

// introspect sends Query to the fake as role and returns the answer's
// data member.
func introspect(t testing.TB, e *fakehasura.Engine, role string) []byte {
	t.Helper()
	body, err := json.Marshal(map[string]string{"query": Query})
	require.NoError(t, err)
	req := httptest.NewRequest(http.MethodPost, "/v1/graphql", bytes.NewReader(body))
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("X-Hasura-Admin-Secret", adminSecret)
	req.Header.Set("X-Hasura-Role", role)
	rec := httptest.NewRecorder()
	e.ServeHTTP(rec, req)
	require.Equal(t, http.StatusOK, rec.Code)
	var resp struct {
		Data   json.RawMessage `json:"data"`
		Errors []any           `json:"errors"`
	}
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &resp))
	require.Empty(t, resp.Errors, "%s", rec.Body.String())
	return resp.Data
}

// formatted is sdl loaded and printed by gqlparser, as the repository's
// schemas are compared.
func formatted(t testing.TB, sdl string) string {
	t.Helper()
	s, err := gqlparser.LoadSchema(&ast.Source{Name: "want.graphql", Input: sdl})
	require.NoError(t, err)
	var b bytes.Buffer
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(s)
	return b.String()
}

// loadProject reads a Hasura project directory with the SQL parser.
func loadProject(t testing.TB, dir string) *hasuraproject.Project {
	t.Helper()
	p, _, err := hasuraproject.Load(os.DirFS(dir))
	require.NoError(t, err)
	return p
}

func mustRead(t testing.TB, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	require.NoError(t, err)
	return b
}
