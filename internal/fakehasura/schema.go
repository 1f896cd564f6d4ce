package fakehasura

import (
	"fmt"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/graphql"
)

// adminRole is the role Hasura gives every permission to.
const adminRole = "admin"

// adminExtension turns the user SDL into the admin schema for the fake: the
// columns and root fields the user role lacks. Hasura's admin schema has
// more (users_aggregate, the _inc-less update_users_many variants, …);
// those are reported as not emulated.
const adminExtension = `
extend input users_insert_input { last_seen: timestamp }
extend input users_set_input { id: String }
extend enum users_update_column { id }
extend type mutation_root {
  delete_users(where: users_bool_exp!): users_mutation_response
  delete_users_by_pk(id: String!): users
}
`

// TablePermissions is one role's permissions on public.users, as
// examples/hasura/metadata declares them. Filters and checks keep the
// metadata's boolean-expression shape, with session variables as strings
// such as "X-Hasura-User-Id".
type TablePermissions struct {
	SelectColumns     []string
	SelectFilter      map[string]any
	AllowAggregations bool
	InsertColumns     []string
	InsertCheck       map[string]any
	UpdateColumns     []string
	UpdateFilter      map[string]any
	UpdateCheck       map[string]any
}

func userIsSessionUser() map[string]any {
	return map[string]any{"id": map[string]any{"_eq": "X-Hasura-User-Id"}}
}

// Permissions are the roles the metadata grants access to public.users.
// Every other role except admin has no access at all.
var Permissions = map[string]TablePermissions{
	"user": {
		SelectColumns: []string{"id", "last_seen", "name"},
		SelectFilter:  userIsSessionUser(),
		InsertColumns: []string{"id", "name"},
		InsertCheck:   userIsSessionUser(),
		UpdateColumns: []string{"last_seen", "name"},
		UpdateFilter:  userIsSessionUser(),
		UpdateCheck:   userIsSessionUser(),
	},
}

// roleSchema is what one role may do: its GraphQL schema (nil when the role
// has no permissions: only __typename exists) and its compiled permissions
// (nil for admin, which bypasses them).
type roleSchema struct {
	name   string
	schema *ast.Schema
	admin  bool
	perms  *compiledPermissions
}

type compiledPermissions struct {
	selectFilter boolExp
	insertCheck  boolExp
	updateFilter boolExp
	updateCheck  boolExp
}

type schemas struct {
	user   *ast.Schema
	admin  *ast.Schema
	byRole map[string]*roleSchema
}

func loadSchemas() (*schemas, error) {
	user, err := gqlparser.LoadSchema(&ast.Source{Name: "schema.graphql", Input: graphql.Schema})
	if err != nil {
		return nil, fmt.Errorf("fakehasura: load schema: %w", err)
	}
	admin, err := gqlparser.LoadSchema(
		&ast.Source{Name: "schema.graphql", Input: graphql.Schema},
		&ast.Source{Name: "admin.graphql", Input: adminExtension},
	)
	if err != nil {
		return nil, fmt.Errorf("fakehasura: load admin schema: %w", err)
	}
	s := &schemas{user: user, admin: admin, byRole: map[string]*roleSchema{
		adminRole: {name: adminRole, schema: admin, admin: true},
	}}
	for role, p := range Permissions {
		cp := &compiledPermissions{}
		for _, c := range []struct {
			dst *boolExp
			src map[string]any
		}{{&cp.selectFilter, p.SelectFilter}, {&cp.insertCheck, p.InsertCheck}, {&cp.updateFilter, p.UpdateFilter}, {&cp.updateCheck, p.UpdateCheck}} {
			e, err := compileMetadataBoolExp(c.src)
			if err != nil {
				return nil, fmt.Errorf("fakehasura: permissions of role %s: %w", role, err)
			}
			*c.dst = e
		}
		s.byRole[role] = &roleSchema{name: role, schema: user, perms: cp}
	}
	return s, nil
}

func (s *schemas) forRole(role string) *roleSchema {
	if rs, ok := s.byRole[role]; ok {
		return rs
	}
	return &roleSchema{name: role}
}

// rootType returns the role's root object type for an operation, or nil
// when the role has none.
func (rs *roleSchema) rootType(op ast.Operation) *ast.Definition {
	if rs.schema == nil {
		if op == ast.Query {
			return emptyQueryRoot
		}
		return nil
	}
	switch op {
	case ast.Mutation:
		return rs.schema.Mutation
	case ast.Subscription:
		return rs.schema.Subscription
	default:
		return rs.schema.Query
	}
}

func (rs *roleSchema) def(name string) *ast.Definition {
	if rs.schema == nil {
		return nil
	}
	return rs.schema.Types[name]
}

// emptyQueryRoot is the query root of a role without permissions: Hasura
// still builds query_root (introspection lives there) but with no fields.
var emptyQueryRoot = &ast.Definition{Kind: ast.Object, Name: "query_root"}
