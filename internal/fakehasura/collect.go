package fakehasura

import (
	"strings"

	"github.com/vektah/gqlparser/v2/ast"
)

// collected is one response key of a selection set after Hasura's
// collectFields: directives applied, fragments flattened, and fields with
// the same response key merged (their selection sets concatenated).
type collected struct {
	key   string
	field *ast.Field
	sets  []ast.SelectionSet
}

// collectFields flattens sets against the object type typeName. Inline
// fragments (and fragment spreads, which Hasura inlines) whose type
// condition names another type are dropped without error, as Hasura does.
// path is the selection set's path, ending in ".selectionSet".
func (c *opCtx) collectFields(typeName string, sets []ast.SelectionSet, path string) ([]*collected, *Error) {
	var flat []*ast.Field
	// A fragment spread twice into one selection set adds the same fields
	// twice, which merging undoes: flatten each fragment once.
	spread := map[string]bool{}
	var flatten func(ss ast.SelectionSet) *Error
	flatten = func(ss ast.SelectionSet) *Error {
		for _, s := range ss {
			switch s := s.(type) {
			case *ast.Field:
				ok, err := c.included(s.Directives, path)
				if err != nil {
					return err
				}
				if ok {
					c.kept[s] = true
					flat = append(flat, s)
				}
			case *ast.InlineFragment:
				ok, err := c.included(s.Directives, path)
				if err != nil {
					return err
				}
				if ok && (s.TypeCondition == "" || s.TypeCondition == typeName) {
					c.kept[s] = true
					if err := flatten(s.SelectionSet); err != nil {
						return err
					}
				}
			case *ast.FragmentSpread:
				ok, err := c.included(s.Directives, path)
				if err != nil {
					return err
				}
				f := c.frags[s.Name]
				if ok && f.TypeCondition == typeName && !spread[s.Name] {
					spread[s.Name] = true
					c.kept[s] = true
					if err := flatten(f.SelectionSet); err != nil {
						return err
					}
				}
			}
		}
		return nil
	}
	for _, ss := range sets {
		if err := flatten(ss); err != nil {
			return nil, err
		}
	}
	var out []*collected
	byKey := map[string]*collected{}
	for _, f := range flat {
		key := f.Alias
		if key == "" {
			key = f.Name
		}
		prev, ok := byKey[key]
		if !ok {
			col := &collected{key: key, field: f, sets: []ast.SelectionSet{f.SelectionSet}}
			byKey[key] = col
			out = append(out, col)
			continue
		}
		if prev.field.Name != f.Name {
			return nil, validationError(path, "selection of both '%s' and '%s' specify the same response name, '%s'", prev.field.Name, f.Name, key)
		}
		if argumentsKey(prev.field.Arguments) != argumentsKey(f.Arguments) {
			return nil, validationError(path, "inconsistent arguments between multiple selections of field '%s'", f.Name)
		}
		prev.sets = append(prev.sets, f.SelectionSet)
	}
	return out, nil
}

// argumentsKey renders arguments canonically, object keys and arguments in
// name order, so that merged fields compare as Hasura compares them.
func argumentsKey(args ast.ArgumentList) string {
	var b strings.Builder
	names := map[string]*ast.Value{}
	for _, a := range args {
		names[a.Name] = a.Value
	}
	for _, n := range sortedKeys(names) {
		b.WriteString(n + ":")
		writeValueKey(&b, names[n])
		b.WriteString(";")
	}
	return b.String()
}

func writeValueKey(b *strings.Builder, v *ast.Value) {
	switch v.Kind {
	case ast.ObjectValue:
		kids := map[string]*ast.Value{}
		for _, ch := range v.Children {
			kids[ch.Name] = ch.Value
		}
		b.WriteString("{")
		for _, n := range sortedKeys(kids) {
			b.WriteString(n + ":")
			writeValueKey(b, kids[n])
			b.WriteString(",")
		}
		b.WriteString("}")
	case ast.ListValue:
		b.WriteString("[")
		for _, ch := range v.Children {
			writeValueKey(b, ch.Value)
			b.WriteString(",")
		}
		b.WriteString("]")
	default:
		b.WriteString(v.String())
	}
}

// included evaluates @skip and @include, the only directives Hasura knows
// while it collects fields: any other directive there is undefined.
func (c *opCtx) included(ds ast.DirectiveList, path string) (bool, *Error) {
	include, skip := true, false
	count := map[string]int{}
	var dups []string
	for _, d := range ds {
		if d.Name != "skip" && d.Name != "include" {
			return false, validationError(path, "directive '%s' is not defined in the schema", d.Name)
		}
		dpath := path + "." + d.Name
		var ifArg *ast.Argument
		for _, a := range d.Arguments {
			if a.Name != "if" {
				return false, validationError(dpath, "'%s' has no argument named '%s'", d.Name, a.Name)
			}
			ifArg = a
		}
		apath := dpath + ".args.if"
		if ifArg == nil {
			return false, validationError(apath, "missing required field 'if'")
		}
		in, err := c.resolve(literal(ifArg.Value), boolType(true), false, apath)
		if err != nil {
			return false, err
		}
		v, err := c.boolValue(in, apath)
		if err != nil {
			return false, err
		}
		if d.Name == "skip" {
			skip = v
		} else {
			include = v
		}
		count[d.Name]++
		if count[d.Name] == 2 {
			dups = append(dups, "'"+d.Name+"'")
		}
	}
	if len(dups) > 0 {
		return false, validationError(path, "the following directives are used more than once: [%s]", strings.Join(dups, ", "))
	}
	return include && !skip, nil
}
