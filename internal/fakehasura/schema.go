package fakehasura

import (
	"fmt"
	"slices"
	"sync"

	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraschema"
)

// adminRole is the role Hasura gives every permission to.
const adminRole = hasuraschema.AdminRole

// roleSchema is what one role may do: its GraphQL schema, as Hasura
// generates it from the project, and its compiled permissions (nil for
// admin, which bypasses them).
type roleSchema struct {
	name   string
	admin  bool
	schema *hasuraschema.Schema
	perms  map[*tableInfo]*tablePerms
	// noIntrospection is set for the roles of the project's
	// graphql_schema_introspection.yaml.
	noIntrospection bool
}

// schemas generates each role's schema on first use. Roles the project
// gives no permission share one schema, so that role names from tokens
// cannot grow the cache.
type schemas struct {
	cat    *catalog
	mu     sync.Mutex
	byRole map[string]*roleSchema
	bare   *hasuraschema.Schema
}

func newSchemas(cat *catalog) (*schemas, error) {
	s := &schemas{cat: cat, byRole: map[string]*roleSchema{}}
	// The admin schema names every table, column and relationship: when it
	// generates, so does every other role's.
	if _, err := s.forRole(adminRole); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *schemas) forRole(role string) (*roleSchema, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if rs, ok := s.byRole[role]; ok {
		return rs, nil
	}
	p := s.cat.project
	known := role == adminRole || slices.Contains(p.Roles(), role)
	rs := &roleSchema{name: role, admin: role == adminRole, noIntrospection: slices.Contains(p.IntrospectionDisabledFor, role)}
	switch {
	case known:
		sch, err := hasuraschema.Generate(p, role)
		if err != nil {
			return nil, fmt.Errorf("fakehasura: %w", err)
		}
		rs.schema = sch
	default:
		if s.bare == nil {
			sch, err := hasuraschema.Generate(p, role)
			if err != nil {
				return nil, fmt.Errorf("fakehasura: %w", err)
			}
			s.bare = sch
		}
		rs.schema = s.bare
	}
	if !rs.admin {
		rs.perms = map[*tableInfo]*tablePerms{}
		for _, ti := range s.cat.tables {
			rs.perms[ti] = compilePerms(ti, ti.t.Permissions[role])
		}
	}
	if known || rs.noIntrospection {
		s.byRole[role] = rs
	}
	return rs, nil
}

// rootType returns the role's root object type for an operation, or nil
// when the role has none.
func (rs *roleSchema) rootType(op ast.Operation) *ast.Definition {
	switch op {
	case ast.Mutation:
		return rs.schema.AST.Mutation
	case ast.Subscription:
		return rs.schema.AST.Subscription
	default:
		return rs.schema.AST.Query
	}
}

func (rs *roleSchema) def(name string) *ast.Definition { return rs.schema.AST.Types[name] }

// perm returns the role's permissions on a table; nil for admin.
func (rs *roleSchema) perm(ti *tableInfo) *tablePerms {
	if rs.admin {
		return nil
	}
	return rs.perms[ti]
}
