package hasuraproject

import (
	"slices"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// typer types the expressions of a view's select list, as far as the
// common view shapes need: columns, casts, constants and the usual
// functions, operators and aggregates. Anything else is refused rather
// than guessed.
type typer struct {
	c         *catalog
	scope     []rangeEntry
	info      *selectInfo
	aggregate bool
}

func (tc *typer) star(cr *pg.ColumnRef) ([]viewCol, *Error) {
	if len(cr.Fields) == 1 {
		var out []viewCol
		for _, e := range tc.scope {
			out = append(out, e.cols...)
		}
		return out, nil
	}
	qual := cr.Fields[len(cr.Fields)-2].GetString_().GetSval()
	for _, e := range tc.scope {
		if e.alias == qual {
			return slices.Clone(e.cols), nil
		}
	}
	return nil, tc.c.errAtLoc(cr.Location, ErrUndefined, "missing FROM-clause entry for table %q", qual)
}

func (tc *typer) column(cr *pg.ColumnRef) (viewCol, *Error) {
	fields := stringList(cr.Fields)
	name := fields[len(fields)-1]
	var found []viewCol
	for _, e := range tc.scope {
		if len(fields) > 1 && e.alias != fields[len(fields)-2] {
			continue
		}
		for _, vc := range e.cols {
			if vc.name == name {
				found = append(found, vc)
			}
		}
	}
	switch len(found) {
	case 0:
		return viewCol{}, tc.c.errAtLoc(cr.Location, ErrUndefined, "column %q does not exist", qualifiedList(fields))
	case 1:
		if found[0].src != nil {
			tc.info.deps = append(tc.info.deps, *found[0].src)
		}
		return found[0], nil
	default:
		return viewCol{}, tc.c.errAtLoc(cr.Location, ErrInvalid, "column reference %q is ambiguous", name)
	}
}

func qualifiedList(parts []string) string {
	out := ""
	for i, p := range parts {
		if i > 0 {
			out += "."
		}
		out += p
	}
	return out
}

func typ(name string) Type { return Type{Name: name} }

// expr returns an expression's type and the column name Postgres gives it.
func (tc *typer) expr(n *pg.Node) (viewCol, *Error) {
	c := tc.c
	switch {
	case n.GetColumnRef() != nil:
		return tc.column(n.GetColumnRef())
	case n.GetTypeCast() != nil:
		cast := n.GetTypeCast()
		inner, err := tc.expr(cast.Arg)
		if err != nil {
			return viewCol{}, err
		}
		t, _, err := c.resolveType(cast.TypeName, false)
		if err != nil {
			return viewCol{}, err
		}
		name := inner.name
		if name == "?column?" {
			name = t.Name
		}
		return viewCol{name: name, typ: t}, nil
	case n.GetAConst() != nil:
		k := n.GetAConst()
		t := "text"
		switch {
		case k.GetIval() != nil:
			t = "int4"
		case k.GetFval() != nil:
			t = "numeric"
		case k.GetBoolval() != nil:
			t = "bool"
		}
		return viewCol{name: "?column?", typ: typ(t)}, nil
	case n.GetFuncCall() != nil:
		return tc.funcCall(n.GetFuncCall())
	case n.GetCoalesceExpr() != nil:
		v, err := tc.expr(n.GetCoalesceExpr().Args[0])
		return viewCol{name: "coalesce", typ: v.typ}, err
	case n.GetMinMaxExpr() != nil:
		m := n.GetMinMaxExpr()
		v, err := tc.expr(m.Args[0])
		name := "greatest"
		if m.Op == pg.MinMaxOp_IS_LEAST {
			name = "least"
		}
		return viewCol{name: name, typ: v.typ}, err
	case n.GetCaseExpr() != nil:
		ce := n.GetCaseExpr()
		first := ce.Defresult
		if len(ce.Args) > 0 {
			first = ce.Args[0].GetCaseWhen().GetResult()
		}
		v, err := tc.expr(first)
		return viewCol{name: "case", typ: v.typ}, err
	case n.GetSqlvalueFunction() != nil:
		return sqlValueFunctionType(n.GetSqlvalueFunction()), nil
	case n.GetBoolExpr() != nil, n.GetNullTest() != nil, n.GetBooleanTest() != nil:
		return viewCol{name: "?column?", typ: typ("bool")}, nil
	case n.GetSubLink() != nil:
		sl := n.GetSubLink()
		if sl.SubLinkType == pg.SubLinkType_EXPR_SUBLINK {
			sub, err := c.inferSelect(sl.Subselect.GetSelectStmt())
			if err != nil {
				return viewCol{}, err
			}
			tc.info.deps = append(tc.info.deps, sub.deps...)
			if len(sub.cols) != 1 {
				return viewCol{}, c.errAtLoc(sl.Location, ErrInvalid, "subquery must return only one column")
			}
			return viewCol{name: sub.cols[0].name, typ: sub.cols[0].typ}, nil
		}
		if sl.SubLinkType == pg.SubLinkType_ARRAY_SUBLINK {
			return viewCol{}, c.errAtLoc(sl.Location, ErrUnsupported, "array view columns are not modelled")
		}
		return viewCol{name: "exists", typ: typ("bool")}, nil
	case n.GetAExpr() != nil:
		return tc.aExpr(n.GetAExpr())
	}
	return viewCol{}, c.errf(ErrUnsupported, "cannot infer the type of view column expression %T", n.Node)
}

func sqlValueFunctionType(f *pg.SQLValueFunction) viewCol {
	switch f.Op {
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:
		return viewCol{name: "current_date", typ: typ("date")}
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:
		return viewCol{name: "current_time", typ: typ("timetz")}
	case pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP, pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N:
		return viewCol{name: "current_timestamp", typ: typ("timestamptz")}
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIME, pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:
		return viewCol{name: "localtime", typ: typ("time")}
	case pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP, pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:
		return viewCol{name: "localtimestamp", typ: typ("timestamp")}
	}
	return viewCol{name: "current_user", typ: typ("text")}
}

var comparisonOps = map[string]bool{"=": true, "<>": true, "!=": true, "<": true, ">": true, "<=": true, ">=": true,
	"~": true, "~*": true, "!~": true, "!~*": true, "~~": true, "~~*": true, "!~~": true, "!~~*": true,
	"@>": true, "<@": true, "?": true, "?|": true, "?&": true}

var numericRank = map[string]int{"int2": 1, "int4": 2, "int8": 3, "numeric": 4, "float4": 5, "float8": 6}

func (tc *typer) aExpr(e *pg.A_Expr) (viewCol, *Error) {
	switch e.Kind {
	case pg.A_Expr_Kind_AEXPR_OP:
	case pg.A_Expr_Kind_AEXPR_NULLIF:
		l, err := tc.expr(e.Lexpr)
		return viewCol{name: "nullif", typ: l.typ}, err
	default:
		return viewCol{name: "?column?", typ: typ("bool")}, nil
	}
	_, op := qualifiedName(e.Name)
	if comparisonOps[op] {
		return viewCol{name: "?column?", typ: typ("bool")}, nil
	}
	if e.Lexpr == nil {
		r, err := tc.expr(e.Rexpr)
		return viewCol{name: "?column?", typ: r.typ}, err
	}
	l, err := tc.expr(e.Lexpr)
	if err != nil {
		return viewCol{}, err
	}
	r, err := tc.expr(e.Rexpr)
	if err != nil {
		return viewCol{}, err
	}
	out := viewCol{name: "?column?"}
	lt, rt := l.typ.Name, r.typ.Name
	switch {
	case op == "||":
		out.typ = typ("text")
		if lt == "jsonb" {
			out.typ = l.typ
		}
	case op == "->" || op == "#>":
		out.typ = l.typ
	case op == "->>" || op == "#>>":
		out.typ = typ("text")
	case numericRank[lt] > 0 && numericRank[rt] > 0:
		out.typ = l.typ
		if numericRank[rt] > numericRank[lt] {
			out.typ = r.typ
		}
		if out.typ.Name == "int2" {
			out.typ = typ("int4")
		}
	case (lt == "timestamptz" || lt == "timestamp") && rt == lt && op == "-":
		out.typ = typ("interval")
	case (lt == "timestamptz" || lt == "timestamp" || lt == "interval") && (op == "+" || op == "-"):
		out.typ = l.typ
	case lt == "date" && rt == "date" && op == "-":
		out.typ = typ("int4")
	case lt == "date" && numericRank[rt] > 0:
		out.typ = typ("date")
	case lt == "date" && rt == "interval":
		out.typ = typ("timestamp")
	default:
		return viewCol{}, tc.c.errAtLoc(e.Location, ErrUnsupported, "cannot infer the type of %s %s %s in a view", lt, op, rt)
	}
	return out, nil
}
