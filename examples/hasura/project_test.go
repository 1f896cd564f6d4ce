package hasura

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

func TestParsedIsCurrent(t *testing.T) {
	parsed, err := hasuraproject.Parse(Project)
	require.NoError(t, err)
	assert.Equal(t, parsed, Parsed, "run go generate ./... in examples/hasura")
}

func TestProjectLoads(t *testing.T) {
	p, report, err := hasuraproject.LoadParsed(Project, Parsed)
	require.NoError(t, err)
	users := p.Table("public", "users")
	require.NotNil(t, users)
	assert.Equal(t, []string{"id"}, users.PrimaryKey.Columns)
	assert.Equal(t, []string{"user"}, p.Roles())
	assert.Equal(t, []string{"migrations/default/1700000000000_create_users/up.sql"}, report.Migrations)
}
