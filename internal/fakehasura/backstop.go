package fakehasura

import (
	"github.com/vektah/gqlparser/v2/ast"
	"github.com/vektah/gqlparser/v2/validator"
	"github.com/vektah/gqlparser/v2/validator/rules"
)

// backstopRules are the gqlparser validation rules Hasura enforces as
// well. The parse above already reports their violations with Hasura's
// messages; the rules run after it as a second opinion, so that a gap in
// the parse gives an error rather than a wrong answer. Rules Hasura does
// not enforce are left out: it accepts unused variables and fragments,
// duplicate operation names, string literals for Int offsets, nullable
// list items where non-null ones are declared, and fragments on types that
// cannot apply (it ignores them).
var backstopRules = rules.NewRules(
	rules.FieldsOnCorrectTypeRule,
	rules.KnownArgumentNamesRule,
	rules.NoUndefinedVariablesRule,
	rules.OverlappingFieldsCanBeMergedRule,
	rules.ProvidedRequiredArgumentsRule,
	rules.ScalarLeafsRule,
	rules.UniqueArgumentNamesRule,
	rules.UniqueInputFieldNamesRule,
)

// backstop validates the operation as the parse used it: skipped
// selections and fragments that did not apply removed, fragment spreads
// inlined, directives (already evaluated) dropped.
func (c *opCtx) backstop() *Error {
	op := *c.op
	op.Directives = nil
	op.SelectionSet = c.pruned(c.op.SelectionSet, map[string]ast.SelectionSet{})
	doc := &ast.QueryDocument{Operations: ast.OperationList{&op}}
	if errs := validator.ValidateWithRules(c.rs.schema.AST, doc, backstopRules); len(errs) > 0 {
		return validationError("$", "%s", errs[0].Message)
	}
	return nil
}

// pruned copies ss without the selections the parse dropped. Fragments
// are inlined once per selection set, their pruned bodies shared through
// memo, so the copy stays as small as the query.
func (c *opCtx) pruned(ss ast.SelectionSet, memo map[string]ast.SelectionSet) ast.SelectionSet {
	var out ast.SelectionSet
	inlined := map[string]bool{}
	for _, s := range ss {
		if !c.kept[s] {
			continue
		}
		switch s := s.(type) {
		case *ast.Field:
			cp := *s
			cp.Directives = nil
			if s.Name == "__typename" {
				cp.Arguments, cp.SelectionSet = nil, nil
			} else {
				cp.SelectionSet = c.pruned(s.SelectionSet, memo)
			}
			out = append(out, &cp)
		case *ast.InlineFragment:
			cp := *s
			cp.Directives = nil
			cp.SelectionSet = c.pruned(s.SelectionSet, memo)
			out = append(out, &cp)
		case *ast.FragmentSpread:
			if inlined[s.Name] {
				continue
			}
			inlined[s.Name] = true
			f := c.frags[s.Name]
			body, ok := memo[s.Name]
			if !ok {
				body = c.pruned(f.SelectionSet, memo)
				memo[s.Name] = body
			}
			out = append(out, &ast.InlineFragment{TypeCondition: f.TypeCondition, SelectionSet: body, Position: s.Position})
		}
	}
	return out
}
