package fakehasura

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// opCtx carries one operation through Hasura's pipeline: fragment
// inlining, variable resolution, then parsing against the role's schema.
type opCtx struct {
	doc   *ast.QueryDocument
	op    *ast.OperationDefinition
	rs    *roleSchema
	cat   *catalog
	frags map[string]*ast.FragmentDefinition
	vars  map[string]*variable
	// kept are the selections the parse used: included by @skip and
	// @include, and fragments whose type condition applied.
	kept map[ast.Selection]bool
	// checked and marked are the fragments already walked for references
	// and for variables: a fragment spread many times is walked once, so
	// nested spreads cannot make the work exponential.
	checked, marked map[string]bool
}

type variable struct {
	def     *ast.VariableDefinition
	json    any
	hasJSON bool
}

// prepare runs the checks Hasura makes before it looks at the schema:
// fragments, then variables, then the operation's own directives.
func prepare(doc *ast.QueryDocument, op *ast.OperationDefinition, rs *roleSchema, cat *catalog, values map[string]any) (*opCtx, *Error) {
	c := &opCtx{doc: doc, op: op, rs: rs, cat: cat, frags: map[string]*ast.FragmentDefinition{}, vars: map[string]*variable{}, kept: map[ast.Selection]bool{}, checked: map[string]bool{}, marked: map[string]bool{}}
	for _, f := range doc.Fragments {
		if _, dup := c.frags[f.Name]; dup {
			return nil, newError(CodeParseFailed, "$", "multiple definitions for fragment %q", f.Name)
		}
		c.frags[f.Name] = f
	}
	if err := c.checkFragments(op.SelectionSet, "$.selectionSet", nil); err != nil {
		return nil, err
	}
	for _, vd := range op.VariableDefinitions {
		if _, dup := c.vars[vd.Variable]; dup {
			return nil, newError(CodeParseFailed, "$", "multiple definitions for variable %q", vd.Variable)
		}
		v := &variable{def: vd}
		if js, ok := values[vd.Variable]; ok {
			if js == nil && vd.Type.NonNull {
				return nil, validationError("$", "null value found for non-nullable type: %q", vd.Type.String())
			}
			v.json, v.hasJSON = js, true
		} else if vd.DefaultValue == nil && vd.Type.NonNull {
			return nil, validationError("$", "expecting a value for non-nullable variable: %q", vd.Variable)
		}
		c.vars[vd.Variable] = v
	}
	used := map[string]bool{}
	if err := c.markDirectives(op.Directives, used); err != nil {
		return nil, err
	}
	if err := c.markVariables(op.SelectionSet, used); err != nil {
		return nil, err
	}
	var unexpected []string
	for _, name := range sortedKeys(values) {
		if !used[name] {
			unexpected = append(unexpected, name)
		}
	}
	if len(unexpected) > 0 {
		return nil, validationError("$", "unexpected variables in variableValues: %s", strings.Join(unexpected, ", "))
	}
	if err := c.operationDirectives(); err != nil {
		return nil, err
	}
	return c, nil
}

func (c *opCtx) checkFragments(ss ast.SelectionSet, path string, stack []string) *Error {
	for _, s := range ss {
		switch s := s.(type) {
		case *ast.Field:
			if len(s.SelectionSet) > 0 {
				if err := c.checkFragments(s.SelectionSet, path+"."+s.Name+".selectionSet", stack); err != nil {
					return err
				}
			}
		case *ast.InlineFragment:
			if err := c.checkFragments(s.SelectionSet, path, stack); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			f, ok := c.frags[s.Name]
			if !ok {
				return validationError(path, "reference to undefined fragment %q", s.Name)
			}
			for i, name := range stack {
				if name == s.Name {
					return validationError(path, "the fragment definition(s) %s form a cycle", englishList(stack[i:]))
				}
			}
			if c.checked[s.Name] {
				continue
			}
			if err := c.checkFragments(f.SelectionSet, path+"."+s.Name+".selectionSet", append(stack, s.Name)); err != nil {
				return err
			}
			c.checked[s.Name] = true
		}
	}
	return nil
}

func englishList(names []string) string {
	if len(names) < 2 {
		return strings.Join(names, "")
	}
	return strings.Join(names[:len(names)-1], ", ") + " and " + names[len(names)-1]
}

func (c *opCtx) markValue(v *ast.Value, used map[string]bool) *Error {
	if v == nil {
		return nil
	}
	if v.Kind == ast.Variable {
		if _, ok := c.vars[v.Raw]; !ok {
			return validationError("$", "unbound variable %q", v.Raw)
		}
		used[v.Raw] = true
		return nil
	}
	for _, child := range v.Children {
		if err := c.markValue(child.Value, used); err != nil {
			return err
		}
	}
	return nil
}

func (c *opCtx) markDirectives(ds ast.DirectiveList, used map[string]bool) *Error {
	for _, d := range ds {
		for _, a := range d.Arguments {
			if err := c.markValue(a.Value, used); err != nil {
				return err
			}
		}
	}
	return nil
}

func (c *opCtx) markVariables(ss ast.SelectionSet, used map[string]bool) *Error {
	for _, s := range ss {
		switch s := s.(type) {
		case *ast.Field:
			for _, a := range s.Arguments {
				if err := c.markValue(a.Value, used); err != nil {
					return err
				}
			}
			if err := c.markDirectives(s.Directives, used); err != nil {
				return err
			}
			if err := c.markVariables(s.SelectionSet, used); err != nil {
				return err
			}
		case *ast.InlineFragment:
			if err := c.markDirectives(s.Directives, used); err != nil {
				return err
			}
			if err := c.markVariables(s.SelectionSet, used); err != nil {
				return err
			}
		case *ast.FragmentSpread:
			if err := c.markDirectives(s.Directives, used); err != nil {
				return err
			}
			if f := c.frags[s.Name]; f != nil && !c.marked[s.Name] {
				c.marked[s.Name] = true
				if err := c.markVariables(f.SelectionSet, used); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

// operationDirectives checks the directives on the operation itself, where
// Hasura knows @cached (queries only), @include and @skip (nowhere).
func (c *opCtx) operationDirectives() *Error {
	where := map[ast.Operation]string{ast.Query: "a query", ast.Mutation: "a mutation", ast.Subscription: "a subscription"}[c.op.Operation]
	seen := map[string]int{}
	for _, d := range c.op.Directives {
		switch d.Name {
		case "cached":
			if c.op.Operation != ast.Query {
				return validationError("$", "directive 'cached' is not allowed on %s", where)
			}
			if err := c.cachedArgs(d); err != nil {
				return err
			}
		case "include", "skip":
			return validationError("$", "directive '%s' is not allowed on %s", d.Name, where)
		default:
			return validationError("$", "directive '%s' is not defined in the schema", d.Name)
		}
		seen[d.Name]++
	}
	if seen["cached"] > 1 {
		return validationError("$", "the following directives are used more than once: ['cached']")
	}
	return nil
}

func (c *opCtx) cachedArgs(d *ast.Directive) *Error {
	path := "$.cached"
	for _, a := range d.Arguments {
		switch a.Name {
		case "ttl":
			in, err := c.resolve(literal(a.Value), intType(true), true, path+".args.ttl")
			if err != nil {
				return err
			}
			if _, err := c.int32Value(in, path+".args.ttl"); err != nil {
				return err
			}
		case "refresh":
			in, err := c.resolve(literal(a.Value), boolType(true), true, path+".args.refresh")
			if err != nil {
				return err
			}
			if _, err := c.boolValue(in, path+".args.refresh"); err != nil {
				return err
			}
		default:
			return validationError(path, "'cached' has no argument named '%s'", a.Name)
		}
	}
	return nil
}
