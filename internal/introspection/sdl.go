package introspection

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strings"

	"github.com/vektah/gqlparser/v2"
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/formatter"
)

// Errors of [SDL], matched with [errors.Is].
var (
	// ErrNoSchema means the data is not an answer to [Query]: not a JSON
	// object, or one without a __schema object.
	ErrNoSchema = errors.New("introspection: the data holds no __schema")
	// ErrInvalid means the answer is not a valid schema: a name that is
	// not a GraphQL name, a broken type reference, a type that does not
	// exist, and the like.
	ErrInvalid = errors.New("introspection: the answer does not describe a valid schema")
)

func invalid(format string, args ...any) error {
	return fmt.Errorf("%w: %s", ErrInvalid, fmt.Sprintf(format, args...))
}

// SDL returns the schema that data, the "data" member of the answer to
// [Query], describes, as SDL in a stable order (see the package doc).
// Its errors match [ErrNoSchema] or [ErrInvalid], and quote at most 64
// bytes of the answer.
func SDL(data []byte) ([]byte, error) {
	var a answer
	if err := json.Unmarshal(data, &a); err != nil {
		var syntax *json.SyntaxError
		if errors.As(err, &syntax) {
			return nil, fmt.Errorf("%w: not JSON (offset %d)", ErrNoSchema, syntax.Offset)
		}
		return nil, fmt.Errorf("%w: %s", ErrNoSchema, shapeError(err))
	}
	if a.Schema == nil {
		return nil, ErrNoSchema
	}
	doc, err := document(a.Schema)
	if err != nil {
		return nil, err
	}
	// The document goes through gqlparser's loader, as genqlient's does,
	// which checks it; printing what it loaded makes the output a fixed
	// point, descriptions included, of loading and printing again.
	var first bytes.Buffer
	formatter.NewFormatter(&first, formatter.WithIndent("  ")).FormatSchemaDocument(doc)
	s, gerr := gqlparser.LoadSchema(&ast.Source{Name: "introspection", Input: first.String()})
	if gerr != nil {
		return nil, fmt.Errorf("%w: %s", ErrInvalid, firstLine(gerr.Error()))
	}
	return printSchema(s), nil
}

// printSchema writes s with the schema block always there: gqlparser's
// formatter leaves it out when the root types are named Query, Mutation
// and Subscription, and a schema whose mutation type is not named
// Mutation but which has a type of that name would then read back with
// another root.
func printSchema(s *ast.Schema) []byte {
	var b bytes.Buffer
	b.WriteString("schema {\n")
	for _, root := range []struct {
		op  ast.Operation
		def *ast.Definition
	}{{ast.Query, s.Query}, {ast.Mutation, s.Mutation}, {ast.Subscription, s.Subscription}} {
		if root.def != nil {
			fmt.Fprintf(&b, "  %s: %s\n", root.op, root.def.Name)
		}
	}
	b.WriteString("}\n")
	rootless := *s
	rootless.Query, rootless.Mutation, rootless.Subscription = nil, nil, nil
	formatter.NewFormatter(&b, formatter.WithIndent("  ")).FormatSchema(&rootless)
	return b.Bytes()
}

// shapeError says where JSON of the wrong shape is, without its value.
func shapeError(err error) string {
	var typ *json.UnmarshalTypeError
	if errors.As(err, &typ) {
		return fmt.Sprintf("%s at %s, want %s", typeOfValue(typ.Value), typ.Field, typ.Type)
	}
	return "not an introspection answer"
}

// typeOfValue is the JSON type in an UnmarshalTypeError's Value, which
// also holds a number's digits.
func typeOfValue(v string) string {
	kind, _, _ := strings.Cut(v, " ")
	return kind
}

// firstLine is the first line of a gqlparser error, cut to 200 bytes.
func firstLine(s string) string {
	s, _, _ = strings.Cut(s, "\n")
	if len(s) > 200 {
		s = strings.ToValidUTF8(s[:200], "") + "…"
	}
	return s
}
