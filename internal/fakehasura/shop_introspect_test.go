package fakehasura

import (
	"encoding/json"
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraschema"
)

// introspectionQuery is the query GraphiQL and code generators send.
const introspectionQuery = `query IntrospectionQuery {
  __schema {
    queryType { name } mutationType { name } subscriptionType { name }
    types { ...FullType }
    directives { name description locations args { ...InputValue } }
  }
}
fragment FullType on __Type {
  kind name description
  fields(includeDeprecated: true) { name description args { ...InputValue } type { ...TypeRef } isDeprecated deprecationReason }
  inputFields { ...InputValue }
  interfaces { ...TypeRef }
  enumValues(includeDeprecated: true) { name description isDeprecated deprecationReason }
  possibleTypes { ...TypeRef }
}
fragment InputValue on __InputValue { name description type { ...TypeRef } defaultValue }
fragment TypeRef on __Type { kind name ofType { kind name ofType { kind name ofType { kind name ofType { kind name } } } } }`

type introType struct {
	Kind          string `json:"kind"`
	Name          string `json:"name"`
	Description   *string
	Fields        []introValue `json:"fields"`
	InputFields   []introValue `json:"inputFields"`
	EnumValues    []introValue `json:"enumValues"`
	Interfaces    []introRef   `json:"interfaces"`
	PossibleTypes []introRef   `json:"possibleTypes"`
}

type introValue struct {
	Name         string       `json:"name"`
	Description  *string      `json:"description"`
	Args         []introValue `json:"args"`
	Type         *introRef    `json:"type"`
	DefaultValue *string      `json:"defaultValue"`
}

type introRef struct {
	Kind   string    `json:"kind"`
	Name   *string   `json:"name"`
	OfType *introRef `json:"ofType"`
}

// String prints a type reference as SDL does: [users!]!.
func (r *introRef) String() string {
	switch r.Kind {
	case "NON_NULL":
		return r.OfType.String() + "!"
	case "LIST":
		return "[" + r.OfType.String() + "]"
	}
	return *r.Name
}

func TestIntrospectionMatchesTheRolesSchema(t *testing.T) {
	f := newShopFixture(t)
	for _, role := range []string{"user", "admin"} {
		t.Run(role, func(t *testing.T) {
			var body string
			if role == "admin" {
				body = f.admin(introspectionQuery, nil)
			} else {
				body = f.as("alice", introspectionQuery, nil)
			}
			var r struct {
				Data struct {
					Schema struct {
						QueryType, MutationType, SubscriptionType *struct{ Name string }
						Types                                     []introType
						Directives                                []struct {
							Name      string
							Locations []string
							Args      []introValue
						}
					} `json:"__schema"`
				} `json:"data"`
			}
			require.NoError(t, json.Unmarshal([]byte(body), &r), body)
			s := r.Data.Schema
			want, err := hasuraschema.Generate(shop(t), role)
			require.NoError(t, err)
			assert.Equal(t, "query_root", s.QueryType.Name)
			assert.Equal(t, "mutation_root", s.MutationType.Name)
			assert.Equal(t, "subscription_root", s.SubscriptionType.Name)

			var names []string
			for _, typ := range s.Types {
				names = append(names, typ.Name)
				d := want.AST.Types[typ.Name]
				require.NotNil(t, d, typ.Name)
				assert.Equal(t, map[ast.DefinitionKind]string{ast.Object: "OBJECT", ast.InputObject: "INPUT_OBJECT", ast.Enum: "ENUM", ast.Scalar: "SCALAR"}[d.Kind], typ.Kind, typ.Name)
				assert.Equal(t, sdlFields(d, ast.Object), introFields(typ.Fields), typ.Name)
				assert.Equal(t, sdlFields(d, ast.InputObject), introFields(typ.InputFields), typ.Name)
				var enums []string
				for _, v := range d.EnumValues {
					enums = append(enums, v.Name)
				}
				var gotEnums []string
				for _, v := range typ.EnumValues {
					gotEnums = append(gotEnums, v.Name)
				}
				sort.Strings(enums)
				assert.Equal(t, enums, gotEnums, typ.Name)
			}
			assert.True(t, sort.StringsAreSorted(names), "types in name order")
			assert.NotContains(t, names, "__Type", "Hasura lists no introspection type")
			assert.NotContains(t, names, "ID", "nor unused built-in scalars")
			assert.Contains(t, names, "billing_invoices")

			var dirs []string
			for _, d := range s.Directives {
				dirs = append(dirs, d.Name+"@"+strings.Join(d.Locations, ","))
			}
			assert.Equal(t, []string{"include@FIELD,FRAGMENT_SPREAD,INLINE_FRAGMENT", "skip@FIELD,FRAGMENT_SPREAD,INLINE_FRAGMENT", "cached@QUERY"}, dirs)
			assert.Equal(t, "60", *s.Directives[2].Args[0].DefaultValue)
		})
	}
}

// sdlFields lists a definition's fields with their arguments and types,
// as a schema of kind would have them.
func sdlFields(d *ast.Definition, kind ast.DefinitionKind) []string {
	if d.Kind != kind {
		return nil
	}
	var out []string
	for _, f := range d.Fields {
		if strings.HasPrefix(f.Name, "__") {
			continue
		}
		s := f.Name
		var args []string
		for _, a := range f.Arguments {
			args = append(args, a.Name+":"+a.Type.String())
		}
		sort.Strings(args)
		if len(args) > 0 {
			s += "(" + strings.Join(args, ",") + ")"
		}
		if f.DefaultValue != nil {
			s += "=" + f.DefaultValue.String()
		}
		out = append(out, s+":"+f.Type.String())
	}
	sort.Strings(out)
	return out
}

func introFields(vals []introValue) []string {
	var out []string
	for _, v := range vals {
		s := v.Name
		var args []string
		for _, a := range v.Args {
			args = append(args, a.Name+":"+a.Type.String())
		}
		if len(args) > 0 {
			s += "(" + strings.Join(args, ",") + ")"
		}
		if v.DefaultValue != nil {
			s += "=" + *v.DefaultValue
		}
		out = append(out, s+":"+v.Type.String())
	}
	return out
}

func TestIntrospectionAnswers(t *testing.T) {
	f := newShopFixture(t)
	assert.Equal(t,
		`{"data":{"t":{"kind":"OBJECT","name":"user_stats","description":"columns and relationships of \"user_stats\"","fields":[{"name":"open_todos","type":{"kind":"SCALAR","name":"bigint","ofType":null}},{"name":"user","type":{"kind":"OBJECT","name":"users","ofType":null}},{"name":"user_id","type":{"kind":"SCALAR","name":"String","ofType":null}}],"__typename":"__Type"},"missing":null}}`,
		f.as("alice", `{ t: __type(name: "user_stats") { kind name description fields { name type { kind name ofType { name } } } __typename } missing: __type(name: "nope") { name } }`, nil))
	assert.Equal(t,
		`{"data":{"__type":{"name":"todos_pk_columns_input","inputFields":[{"name":"id","type":{"kind":"NON_NULL","name":null,"description":null,"ofType":{"name":"Int","description":null}}}]}}}`,
		f.as("alice", `{ __type(name: "todos_pk_columns_input") { name inputFields { name type { kind name description ofType { name description } } } } }`, nil),
		"a non-null type reads its named type's description, which Int lacks")
}

func TestIntrospectionDisabledForRole(t *testing.T) {
	f := newShopFixture(t)
	disabled := errBody(`introspection is disabled for role: "anonymous"`, "$", "not-supported")
	assert.Equal(t, disabled, f.anonymous(`{ __schema { queryType { name } } }`))
	assert.Equal(t, disabled, f.anonymous(`{ users { id } __type(name: "users") { name } }`))
	assert.Equal(t, errBody("field 'nope' not found in type: 'users'", "$.selectionSet.users.selectionSet.nope", "validation-failed"),
		f.anonymous(`{ users { nope } __schema { queryType { name } } }`), "validation comes first")
	assert.Equal(t, `{"data":{"__typename":"query_root","users":[]}}`, f.anonymous(`{ __typename users { id } }`), "__typename is not introspection")
	assert.Contains(t, f.as("alice", `{ __schema { queryType { name } } }`, nil), `"queryType":{"name":"query_root"}`)
}
