package graphql_test

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"go.yaml.in/yaml/v3"

	hgql "github.com/clerkhasura/clerkhasura-go/graphql"
)

// exportedOperation is one entry of operations.json.
type exportedOperation struct {
	OperationName  string `json:"operationName"`
	Query          string `json:"query"`
	SourceLocation string `json:"sourceLocation"`
}

func loadExportedOperations(t *testing.T) []exportedOperation {
	t.Helper()
	b, err := os.ReadFile("operations.json")
	require.NoError(t, err)
	var doc struct {
		Operations []exportedOperation `json:"operations"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.Operations)
	return doc.Operations
}

func TestOperationsValidateAgainstSchema(t *testing.T) {
	schema, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: hgql.Schema})
	require.NoError(t, err)
	for _, op := range loadExportedOperations(t) {
		t.Run(op.OperationName, func(t *testing.T) {
			doc, errs := gqlparser.LoadQueryWithRules(schema, op.Query, nil)
			require.Empty(t, errs, "operation %s does not validate", op.OperationName)
			require.Len(t, doc.Operations, 1)
			assert.Equal(t, op.OperationName, doc.Operations[0].Name)
		})
	}
	t.Run("a column the role may not see is rejected", func(t *testing.T) {
		_, errs := gqlparser.LoadQueryWithRules(schema, `query { users { id password } }`, nil)
		require.NotEmpty(t, errs)
	})
}

// TestExportedOperationsMatchGenerated keeps operations.json, the allow list
// users hand to Hasura, in step with the documents the generated functions
// send.
func TestExportedOperationsMatchGenerated(t *testing.T) {
	generated := map[string]string{
		"GetUser":       hgql.GetUser_Operation,
		"ListUsers":     hgql.ListUsers_Operation,
		"TouchLastSeen": hgql.TouchLastSeen_Operation,
		"UpdateUser":    hgql.UpdateUser_Operation,
		"UpsertUser":    hgql.UpsertUser_Operation,
		"WatchUser":     hgql.WatchUser_Operation,
	}
	exported := map[string]string{}
	for _, op := range loadExportedOperations(t) {
		exported[op.OperationName] = op.Query
	}
	assert.Equal(t, generated, exported)
}

// TestEveryOperationFileIsGenerated guards against an operations file that
// genqlient.yaml does not list, whose operations would silently not exist.
func TestEveryOperationFileIsGenerated(t *testing.T) {
	b, err := os.ReadFile("genqlient.yaml")
	require.NoError(t, err)
	var cfg struct {
		Schema     string   `yaml:"schema"`
		Operations []string `yaml:"operations"`
	}
	require.NoError(t, yaml.Unmarshal(b, &cfg))

	files, err := filepath.Glob("*.graphql")
	require.NoError(t, err)
	files = slices.DeleteFunc(files, func(f string) bool { return f == cfg.Schema })
	slices.Sort(files)
	listed := slices.Sorted(slices.Values(cfg.Operations))
	assert.Equal(t, files, listed)
}
