package introspection

import (
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// answerWith is an answer whose query type Query has the field
// a: Int, plus the given types and directives (JSON array items).
func answerWith(types, directives string) []byte {
	query := `{"kind":"OBJECT","name":"Query","description":null,"fields":[{"name":"a","description":null,"args":[],
		"type":{"kind":"SCALAR","name":"Int","ofType":null},"isDeprecated":false,"deprecationReason":null}],
		"inputFields":null,"interfaces":[],"enumValues":null,"possibleTypes":null}`
	if types != "" {
		query += "," + types
	}
	return fmt.Appendf(nil, `{"__schema":{"queryType":{"name":"Query"},"mutationType":null,"subscriptionType":null,
		"types":[%s,{"kind":"SCALAR","name":"Int","description":"builtin","fields":null,"inputFields":null,"interfaces":null,"enumValues":null,"possibleTypes":null}],
		"directives":[%s]}}`, query, directives)
}

// scalarRef is a type reference to a named type of kind SCALAR wrapped
// in the given kinds, outermost first.
func typeRefJSONText(wrappers []string, name string) string {
	s := fmt.Sprintf(`{"kind":"SCALAR","name":%q,"ofType":null}`, name)
	for i := len(wrappers) - 1; i >= 0; i-- {
		s = fmt.Sprintf(`{"kind":%q,"name":null,"ofType":%s}`, wrappers[i], s)
	}
	return s
}

func inputType(name, fieldType, defaultValue string) string {
	def := "null"
	if defaultValue != "" {
		b, _ := json.Marshal(defaultValue)
		def = string(b)
	}
	return fmt.Sprintf(`{"kind":"INPUT_OBJECT","name":%q,"description":null,"fields":null,
		"inputFields":[{"name":"f","description":null,"type":%s,"defaultValue":%s}],
		"interfaces":null,"enumValues":null,"possibleTypes":null}`, name, fieldType, def)
}

func TestSDLRefusesBadAnswers(t *testing.T) {
	int1 := typeRefJSONText(nil, "Int")
	deep := typeRefJSONText(slices.Repeat([]string{"LIST"}, typeRefDepth+1), "Int")
	long := strings.Repeat("x", 5000) + " y"
	cases := []struct {
		name string
		data string
		is   error
		msg  string
	}{
		{"not JSON", `<html>`, ErrNoSchema, "not JSON (offset 1)"},
		{"not an object", `[1,2]`, ErrNoSchema, "array at"},
		{"no __schema", `{"users":[]}`, ErrNoSchema, "holds no __schema"},
		{"__schema of the wrong type", `{"__schema":12345678901234567890}`, ErrNoSchema, "number at"},
		{"no query type", `{"__schema":{"types":[]}}`, ErrInvalid, "no query type"},
		{"a root that is not a name", `{"__schema":{"queryType":{"name":"Query {"}}}`, ErrInvalid, `query type: "Query {" is not a GraphQL name`},
		{"a type name with SDL in it", string(answerWith(inputType("x { f: Int } type evil", int1, ""), "")), ErrInvalid, `is not a GraphQL name`},
		{"a long bad name is cut", string(answerWith(inputType(long, int1, ""), "")), ErrInvalid, `"xxxxxxxx`},
		{"an unknown kind", string(answerWith(`{"kind":"THING","name":"T"}`, "")), ErrInvalid, `type T: unknown kind "THING"`},
		{"a field without a type", string(answerWith(`{"kind":"OBJECT","name":"T","fields":[{"name":"f"}]}`, "")), ErrInvalid, "type T field f: type reference missing"},
		{"non-null of non-null", string(answerWith(inputType("I", typeRefJSONText([]string{"NON_NULL", "NON_NULL"}, "Int"), ""), "")), ErrInvalid, "non-null type of a non-null type"},
		{"a list without an element", string(answerWith(inputType("I", `{"kind":"LIST","name":null,"ofType":null}`, ""), "")), ErrInvalid, "type reference missing"},
		{"a named type without a name", string(answerWith(inputType("I", `{"kind":"SCALAR","name":null}`, ""), "")), ErrInvalid, "type reference without a name"},
		{"a type reference too deep", string(answerWith(inputType("I", deep, ""), "")), ErrInvalid, "nested more than 8 levels deep"},
		{"a default value that adds a type", string(answerWith(inputType("I", int1, "1 } type Evil { x: Int"), "")), ErrInvalid, "is more than a GraphQL constant"},
		{"a default value with a directive", string(answerWith(inputType("I", int1, "1 @deprecated"), "")), ErrInvalid, "is more than a GraphQL constant"},
		{"a default value with a variable", string(answerWith(inputType("I", int1, "$x"), "")), ErrInvalid, "is not a GraphQL constant"},
		{"a default value that does not parse", string(answerWith(inputType("I", int1, "{"), "")), ErrInvalid, "is not a GraphQL constant"},
		{"an unknown type", string(answerWith(inputType("I", typeRefJSONText(nil, "Missing"), ""), "")), ErrInvalid, "Missing"},
		{"a type twice", string(answerWith(inputType("I", int1, "")+","+inputType("I", int1, ""), "")), ErrInvalid, "I"},
		{"an object as an input", string(answerWith(inputType("I", `{"kind":"OBJECT","name":"Query"}`, ""), "")), ErrInvalid, "field must be one of SCALAR, ENUM, INPUT_OBJECT"},
		{"a union member that is a list", string(answerWith(`{"kind":"UNION","name":"U","possibleTypes":[{"kind":"LIST","ofType":{"kind":"OBJECT","name":"Query"}}]}`, "")), ErrInvalid, "[Query] is not a named type"},
		{"a directive location", string(answerWith("", `{"name":"d","locations":["NOWHERE"],"args":[]}`)), ErrInvalid, `directive @d: unknown location "NOWHERE"`},
		{"a directive without location", string(answerWith("", `{"name":"d","locations":[],"args":[]}`)), ErrInvalid, `directive @d: no locations`},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			sdl, err := SDL([]byte(tc.data))
			require.Error(t, err)
			assert.Nil(t, sdl)
			assert.ErrorIs(t, err, tc.is)
			assert.Contains(t, err.Error(), tc.msg)
			assert.NotContains(t, err.Error(), "\n")
			assert.Less(t, len(err.Error()), 400, "the message quotes the whole answer")
		})
	}
}

func TestSDLKeepsWhatTheAnswerSays(t *testing.T) {
	reason := `"gone"`
	types := strings.Join([]string{
		`{"kind":"OBJECT","name":"Mutation","description":"a type named like a root, not one","fields":[
			{"name":"old","description":"has a \"\"\" and a \u0000 and a\ttab","args":[
				{"name":"n","description":null,"type":{"kind":"SCALAR","name":"Int"},"defaultValue":"3"}],
				"type":{"kind":"INTERFACE","name":"Node"},"isDeprecated":true,"deprecationReason":` + reason + `},
			{"name":"older","args":[],"type":{"kind":"UNION","name":"Any"},"isDeprecated":true,"deprecationReason":null}],
			"interfaces":[{"kind":"INTERFACE","name":"Node"}]}`,
		`{"kind":"INTERFACE","name":"Node","fields":[{"name":"old","args":[{"name":"n","type":{"kind":"SCALAR","name":"Int"}}],"type":{"kind":"INTERFACE","name":"Node"}}],"possibleTypes":[{"kind":"OBJECT","name":"Mutation"}]}`,
		`{"kind":"UNION","name":"Any","possibleTypes":[{"kind":"OBJECT","name":"Mutation"},{"kind":"OBJECT","name":"Query"}]}`,
		`{"kind":"ENUM","name":"E","enumValues":[{"name":"B","isDeprecated":true,"deprecationReason":"use A"},{"name":"A","description":"first"}]}`,
		`{"kind":"SCALAR","name":"uuid","description":null}`,
		inputType("I", `{"kind":"NON_NULL","ofType":{"kind":"LIST","ofType":{"kind":"NON_NULL","ofType":{"kind":"ENUM","name":"E"}}}}`, "[ A , B ]"),
	}, ",")
	directives := `{"name":"skip","locations":["FIELD"],"args":[{"name":"if","type":{"kind":"NON_NULL","ofType":{"kind":"SCALAR","name":"Boolean"}}}]},
		{"name":"cached","description":"cache it","locations":["QUERY","FIELD"],"args":[
			{"name":"ttl","type":{"kind":"SCALAR","name":"Int"},"defaultValue":"60"},{"name":"refresh","type":{"kind":"SCALAR","name":"Boolean"},"defaultValue":"false"}]}`
	sdl, err := SDL(answerWith(types, directives))
	require.NoError(t, err)
	out := string(sdl)

	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: "out.graphql", Input: out})
	require.NoError(t, gerr, out)
	assert.Equal(t, "Query", s.Query.Name)
	assert.Nil(t, s.Mutation, "a type named Mutation became the mutation root:\n%s", out)
	assert.True(t, strings.HasPrefix(out, "schema {\n  query: Query\n}\n"), out)

	old := s.Types["Mutation"].Fields.ForName("old")
	assert.Equal(t, `has a """ and a   and a`+"\ttab", old.Description)
	assert.Equal(t, "gone", old.Directives.ForName("deprecated").Arguments.ForName("reason").Value.Raw)
	assert.Equal(t, "3", old.Arguments.ForName("n").DefaultValue.Raw)
	older := s.Types["Mutation"].Fields.ForName("older")
	require.NotNil(t, older.Directives.ForName("deprecated"))
	assert.Empty(t, older.Directives.ForName("deprecated").Arguments, "no reason: @deprecated's own default")
	assert.Equal(t, []string{"Node"}, s.Types["Mutation"].Interfaces)
	assert.Equal(t, []string{"Mutation", "Query"}, s.Types["Any"].Types)
	e := s.Types["E"]
	assert.Equal(t, "B", e.EnumValues[0].Name, "enum values keep the server's order")
	assert.Equal(t, "use A", e.EnumValues[0].Directives.ForName("deprecated").Arguments.ForName("reason").Value.Raw)
	assert.Equal(t, "[E!]!", s.Types["I"].Fields.ForName("f").Type.String())
	assert.Equal(t, "[A,B]", s.Types["I"].Fields.ForName("f").DefaultValue.String())
	assert.Equal(t, ast.Scalar, s.Types["uuid"].Kind)
	assert.NotContains(t, out, "builtin", "the built-in Int was printed")
	assert.NotContains(t, out, "directive @skip")
	assert.Equal(t, []ast.DirectiveLocation{ast.LocationQuery, ast.LocationField}, s.Directives["cached"].Locations)
	assert.Equal(t, "ttl", s.Directives["cached"].Arguments[0].Name, "arguments keep the server's order")

	again, err := SDL(answerWith(types, directives))
	require.NoError(t, err)
	assert.Equal(t, out, string(again))
}

// TestSDLIsStable: the order of the answer's types does not change the
// output, and printing is a fixed point of loading and printing.
func TestSDLIsStable(t *testing.T) {
	p, err := fakehasura.DefaultProject()
	require.NoError(t, err)
	data := introspect(t, fakeEngine(t, p), "user")
	want, err := SDL(data)
	require.NoError(t, err)

	var a map[string]map[string]any
	require.NoError(t, json.Unmarshal(data, &a))
	types := a["__schema"]["types"].([]any)
	slices.Reverse(types)
	reversed, err := json.Marshal(a)
	require.NoError(t, err)
	got, err := SDL(reversed)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Equal(t, formatted(t, string(want)), string(want))
}
