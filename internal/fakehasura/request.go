package fakehasura

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/parser"
)

// Request is one GraphQL request as a client posts it.
type Request struct {
	Query         string
	OperationName *string
	// Variables are the JSON variable values, numbers as json.Number.
	Variables map[string]any
}

// decodeBody reads a POST body the way Hasura does: invalid JSON is
// invalid-json; JSON that is not a request (or a batch, a JSON array of
// requests) is parse-failed, with the JSON path of the offending member.
func decodeBody(body []byte) (reqs []Request, batched bool, err *Error) {
	if !json.Valid(body) {
		if len(bytes.TrimSpace(body)) == 0 {
			return nil, false, newError(CodeInvalidJSON, "$", "Error in $: not enough input")
		}
		return nil, false, newError(CodeInvalidJSON, "$", "Error in $: Failed reading: not a valid json value")
	}
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var v any
	if derr := dec.Decode(&v); derr != nil {
		return nil, false, newError(CodeInvalidJSON, "$", "Error in $: Failed reading: not a valid json value")
	}
	if list, ok := v.([]any); ok {
		for i, item := range list {
			r, err := decodeRequest(item, fmt.Sprintf("$[%d]", i))
			if err != nil {
				return nil, true, err
			}
			reqs = append(reqs, r)
		}
		return reqs, true, nil
	}
	r, err := decodeRequest(v, "$")
	if err != nil {
		return nil, false, err
	}
	return []Request{r}, false, nil
}

func aesonKind(v any) string {
	switch v.(type) {
	case nil:
		return "Null"
	case bool:
		return "Boolean"
	case json.Number:
		return "Number"
	case string:
		return "String"
	case []any:
		return "Array"
	default:
		return "Object"
	}
}

func decodeRequest(v any, path string) (Request, *Error) {
	obj, ok := v.(map[string]any)
	if !ok {
		return Request{}, newError(CodeParseFailed, path, "parsing GQLReq failed, expected Object, but encountered %s", aesonKind(v))
	}
	q, present := obj["query"]
	if !present {
		return Request{}, newError(CodeParseFailed, path, `key "query" not found`)
	}
	qs, ok := q.(string)
	if !ok {
		return Request{}, newError(CodeParseFailed, path+".query", "parsing Text failed, expected String, but encountered %s", aesonKind(q))
	}
	r := Request{Query: qs}
	switch op := obj["operationName"].(type) {
	case nil:
	case string:
		if !isName(op) {
			return Request{}, newError(CodeParseFailed, path+".operationName", "%s is not valid GraphQL name", op)
		}
		r.OperationName = &op
	default:
		return Request{}, newError(CodeParseFailed, path+".operationName", "parsing Name failed, expected String, but encountered %s", aesonKind(op))
	}
	switch vars := obj["variables"].(type) {
	case nil:
	case map[string]any:
		r.Variables = vars
	default:
		return Request{}, newError(CodeParseFailed, path+".variables", "parsing HashMap failed, expected Object, but encountered %s", aesonKind(vars))
	}
	return r, nil
}

func isName(s string) bool {
	if s == "" {
		return false
	}
	for i, c := range s {
		letter := c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
		if !letter && (i == 0 || c < '0' || c > '9') {
			return false
		}
	}
	return true
}

var errNotAQuery = newError(CodeValidationFailed, "$.query", "not a valid graphql query")

// parseDocument parses the query text. Hasura's parser also refuses
// duplicate argument names and duplicate keys in an object literal.
func parseDocument(query string) (*ast.QueryDocument, *Error) {
	doc, err := parser.ParseQuery(&ast.Source{Name: "query", Input: query})
	if err != nil || len(doc.Operations) == 0 || hasDuplicateKeys(doc) {
		return nil, errNotAQuery
	}
	return doc, nil
}

func hasDuplicateKeys(doc *ast.QueryDocument) bool {
	dup := false
	var value func(v *ast.Value)
	value = func(v *ast.Value) {
		if v == nil {
			return
		}
		seen := map[string]bool{}
		for _, c := range v.Children {
			if v.Kind == ast.ObjectValue {
				if seen[c.Name] {
					dup = true
				}
				seen[c.Name] = true
			}
			value(c.Value)
		}
	}
	args := func(list ast.ArgumentList) {
		seen := map[string]bool{}
		for _, a := range list {
			if seen[a.Name] {
				dup = true
			}
			seen[a.Name] = true
			value(a.Value)
		}
	}
	dirs := func(list ast.DirectiveList) {
		for _, d := range list {
			args(d.Arguments)
		}
	}
	var sels func(ss ast.SelectionSet)
	sels = func(ss ast.SelectionSet) {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.Field:
				args(s.Arguments)
				dirs(s.Directives)
				sels(s.SelectionSet)
			case *ast.InlineFragment:
				dirs(s.Directives)
				sels(s.SelectionSet)
			case *ast.FragmentSpread:
				dirs(s.Directives)
			}
		}
	}
	for _, op := range doc.Operations {
		dirs(op.Directives)
		for _, vd := range op.VariableDefinitions {
			value(vd.DefaultValue)
		}
		sels(op.SelectionSet)
	}
	for _, f := range doc.Fragments {
		dirs(f.Directives)
		sels(f.SelectionSet)
	}
	return dup
}

// selectOperation picks the operation to run as Hasura's getQueryParts
// does. A shorthand "{ … }" operation is anonymous and untyped; only named
// operations can be chosen with operationName.
func selectOperation(query string, doc *ast.QueryDocument, name *string) (*ast.OperationDefinition, *Error) {
	runes := []rune(query)
	var shorthand, typed []*ast.OperationDefinition
	for _, op := range doc.Operations {
		if op.Position != nil && op.Position.Start < len(runes) && runes[op.Position.Start] == '{' {
			shorthand = append(shorthand, op)
		} else {
			typed = append(typed, op)
		}
	}
	switch {
	case name != nil && len(shorthand) == 0:
		for _, op := range typed {
			if op.Name == *name {
				return op, nil
			}
		}
		return nil, validationError("$", "no such operation found in the document: %q", *name)
	case name != nil:
		return nil, validationError("$", "operationName cannot be used when an anonymous operation exists in the document")
	case len(shorthand) == 1 && len(typed) == 0:
		return shorthand[0], nil
	case len(shorthand) == 0 && len(typed) == 1:
		return typed[0], nil
	default:
		return nil, validationError("$", "exactly one operation has to be present in the document when operationName is not specified")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
