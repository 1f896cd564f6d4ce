package introspection

import (
	"testing"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"

	"github.com/clerkhasura/clerkhasura-go/internal/fakehasura"
)

// FuzzSDL: any answer gives an error or SDL that gqlparser loads, and the
// same SDL every time.
func FuzzSDL(f *testing.F) {
	p, err := fakehasura.DefaultProject()
	if err != nil {
		f.Fatal(err)
	}
	f.Add(introspect(f, fakeEngine(f, p), "user"))
	f.Add(answerWith("", ""))
	f.Add(answerWith(inputType("I", typeRefJSONText([]string{"NON_NULL", "LIST"}, "Int"), "[1, 2]"), `{"name":"d","locations":["FIELD"],"args":[]}`))
	f.Add(answerWith(`{"kind":"ENUM","name":"E","enumValues":[{"name":"A","isDeprecated":true,"deprecationReason":"x"}]}`, ""))
	f.Add(answerWith(`{"kind":"UNION","name":"U","possibleTypes":[{"kind":"OBJECT","name":"Query"}]}`, ""))
	f.Add([]byte(`{"__schema":{"queryType":{"name":"Q"},"types":[{"kind":"OBJECT","name":"Q","fields":[]}]}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		sdl, err := SDL(data)
		if err != nil {
			return
		}
		if _, err := gqlparser.LoadSchema(&ast.Source{Name: "fuzz.graphql", Input: string(sdl)}); err != nil {
			t.Fatalf("the SDL does not load: %v\n%s", err, sdl)
		}
		again, err := SDL(data)
		if err != nil || string(again) != string(sdl) {
			t.Fatalf("a second run differs: %v", err)
		}
	})
}
