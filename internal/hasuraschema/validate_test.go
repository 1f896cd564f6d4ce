package hasuraschema

import (
	"encoding/json"
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
)

// TestGeneratedSchemaValidatesOperations: the SDK's own operations (the
// allow list graphql/operations.json) validate against the generated user
// schema, and operations outside the role's permissions do not.
func TestGeneratedSchemaValidatesOperations(t *testing.T) {
	p := loadProject(t, "../../examples/hasura")
	user := generate(t, p, "user")
	admin := generate(t, p, AdminRole)

	b, err := os.ReadFile("../../graphql/operations.json")
	require.NoError(t, err)
	var doc struct {
		Operations []struct {
			OperationName string `json:"operationName"`
			Query         string `json:"query"`
		} `json:"operations"`
	}
	require.NoError(t, json.Unmarshal(b, &doc))
	require.NotEmpty(t, doc.Operations)
	for _, op := range doc.Operations {
		_, errs := gqlparser.LoadQueryWithRules(user.AST, op.Query, nil)
		assert.Empty(t, errs, op.OperationName)
	}

	for name, c := range map[string]struct {
		query      string
		user, root bool
	}{
		"filtered, ordered select":      {`{ users(where: {name: {_ilike: "a%"}}, order_by: {last_seen: desc_nulls_last}, distinct_on: [name]) { id } }`, true, true},
		"by primary key":                {`{ users_by_pk(id: "u") { name } }`, true, true},
		"upsert doing nothing":          {`mutation { insert_users_one(object: {id: "u"}, on_conflict: {constraint: users_pkey, update_columns: []}) { id } }`, true, true},
		"delete":                        {`mutation { delete_users(where: {}) { affected_rows } }`, false, true},
		"aggregate":                     {`{ users_aggregate { aggregate { count(distinct: true) max { last_seen } } } }`, false, true},
		"insert a column not permitted": {`mutation { insert_users(objects: [{last_seen: "now()"}]) { affected_rows } }`, false, true},
		"update the primary key":        {`mutation { update_users(where: {}, _set: {id: "x"}) { affected_rows } }`, false, true},
		"stream":                        {`subscription { users_stream(batch_size: 10, cursor: [{initial_value: {last_seen: "2024-01-01"}, ordering: ASC}]) { id } }`, true, true},
	} {
		t.Run(name, func(t *testing.T) {
			_, errs := gqlparser.LoadQueryWithRules(user.AST, c.query, nil)
			assert.Equal(t, c.user, len(errs) == 0, "user: %v", errs)
			_, errs = gqlparser.LoadQueryWithRules(admin.AST, c.query, nil)
			assert.Equal(t, c.root, len(errs) == 0, "admin: %v", errs)
		})
	}
}

func TestSDLRoundTrips(t *testing.T) {
	s := generate(t, loadProject(t, "../hasuraproject/testdata/yardstick-pgdump"), AdminRole)
	again := loadSchemaFile(t, "sdl", s.SDL())
	c := compareSchemas(s.AST, again)
	assert.Empty(t, c.diffs)
	assert.Contains(t, s.SDL(), "type users_aggregate_fields {")
}
