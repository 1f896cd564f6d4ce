package hasuraproject

import (
	"strconv"
	"strings"

	pg "github.com/pganalyze/pg_query_go/v6"
)

// nowFunctions return the transaction's (or the statement's) time.
var nowFunctions = map[string]bool{
	"now": true, "transaction_timestamp": true, "statement_timestamp": true, "clock_timestamp": true,
}

var nowValueFunctions = map[pg.SQLValueFunctionOp]bool{
	pg.SQLValueFunctionOp_SVFOP_CURRENT_DATE:        true,
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME:        true,
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIME_N:      true,
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP:   true,
	pg.SQLValueFunctionOp_SVFOP_CURRENT_TIMESTAMP_N: true,
	pg.SQLValueFunctionOp_SVFOP_LOCALTIME:           true,
	pg.SQLValueFunctionOp_SVFOP_LOCALTIME_N:         true,
	pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP:      true,
	pg.SQLValueFunctionOp_SVFOP_LOCALTIMESTAMP_N:    true,
}

// uuidFunctions return a random UUID; gen_hasura_uuid is the one older
// Hasura versions install in hdb_catalog.
var uuidFunctions = map[string]bool{"gen_random_uuid": true, "uuid_generate_v4": true, "gen_hasura_uuid": true}

// defaultOf classifies a DEFAULT expression. schema is the table's, for
// sequences named without one.
func (c *catalog) defaultOf(expr *pg.Node, schema string) (Default, *Error) {
	if expr == nil {
		return Default{}, nil
	}
	sql, err := c.deparse(expr)
	if err != nil {
		return Default{}, c.errf(ErrInvalid, "default expression: %v", err)
	}
	d := Default{Kind: ExpressionDefault, Expr: sql}
	inner := expr
	if tc := expr.GetTypeCast(); tc != nil {
		inner = tc.Arg
	}
	switch {
	case inner.GetAConst() != nil:
		v, isNull := constText(inner.GetAConst())
		if isNull {
			return Default{}, nil
		}
		d.Kind, d.Value = ConstantDefault, v
	case inner.GetSqlvalueFunction() != nil:
		if nowValueFunctions[inner.GetSqlvalueFunction().Op] {
			d.Kind = NowDefault
		}
	case inner.GetFuncCall() != nil:
		fc := inner.GetFuncCall()
		_, fn := qualifiedName(fc.Funcname)
		switch {
		case nowFunctions[fn] && len(fc.Args) == 0:
			d.Kind = NowDefault
		case fn == "timezone" && len(fc.Args) == 2 && isNowCall(fc.Args[1]):
			d.Kind = NowDefault
		case uuidFunctions[fn] && len(fc.Args) == 0:
			d.Kind = UUIDDefault
		case fn == "nextval" && len(fc.Args) == 1:
			if seq, ok := c.sequenceArg(fc.Args[0], schema); ok {
				d.Kind, d.Sequence = SequenceDefault, seq
			}
		}
	}
	return d, nil
}

func isNowCall(n *pg.Node) bool {
	if fc := n.GetFuncCall(); fc != nil {
		_, fn := qualifiedName(fc.Funcname)
		return nowFunctions[fn] && len(fc.Args) == 0
	}
	if sv := n.GetSqlvalueFunction(); sv != nil {
		return nowValueFunctions[sv.Op]
	}
	return false
}

// sequenceArg reads nextval's argument, 'name'::regclass or 'name'.
func (c *catalog) sequenceArg(n *pg.Node, schema string) (string, bool) {
	if tc := n.GetTypeCast(); tc != nil {
		n = tc.Arg
	}
	k := n.GetAConst()
	if k == nil || k.GetSval() == nil {
		return "", false
	}
	name := k.GetSval().Sval
	if i := strings.LastIndexByte(name, '.'); i >= 0 {
		return strings.Trim(name[:i], `"`) + "." + strings.Trim(name[i+1:], `"`), true
	}
	if q, r := c.lookup("", name); r != nil {
		return q.String(), true
	}
	return schema + "." + name, true
}

// constText renders a constant as Postgres would read it from text.
func constText(k *pg.A_Const) (string, bool) {
	switch {
	case k == nil || k.Isnull:
		return "", true
	case k.GetIval() != nil:
		return strconv.FormatInt(int64(k.GetIval().Ival), 10), false
	case k.GetFval() != nil:
		return k.GetFval().Fval, false
	case k.GetBoolval() != nil:
		return strconv.FormatBool(k.GetBoolval().Boolval), false
	case k.GetSval() != nil:
		return k.GetSval().Sval, false
	case k.GetBsval() != nil:
		return k.GetBsval().Bsval, false
	}
	// A zero integer constant has no value set.
	return "0", false
}
