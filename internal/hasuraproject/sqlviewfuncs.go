package hasuraproject

import pg "github.com/pganalyze/pg_query_go/v6"

// fixedResult are functions whose result type does not depend on their
// arguments.
var fixedResult = map[string]string{
	"count": "int8", "row_number": "int8", "rank": "int8", "dense_rank": "int8", "ntile": "int4",
	"percent_rank": "float8", "cume_dist": "float8",
	"bool_and": "bool", "bool_or": "bool", "every": "bool",
	"string_agg": "text", "lower": "text", "upper": "text", "trim": "text", "btrim": "text",
	"ltrim": "text", "rtrim": "text", "concat": "text", "concat_ws": "text", "substring": "text",
	"substr": "text", "replace": "text", "initcap": "text", "md5": "text", "left": "text",
	"right": "text", "lpad": "text", "rpad": "text", "format": "text", "to_char": "text",
	"split_part": "text", "regexp_replace": "text", "repeat": "text", "reverse": "text",
	"translate": "text", "quote_ident": "text", "quote_literal": "text",
	"length": "int4", "char_length": "int4", "octet_length": "int4", "position": "int4", "strpos": "int4",
	"json_agg": "json", "json_build_object": "json", "json_build_array": "json", "row_to_json": "json",
	"to_json": "json", "json_object_agg": "json",
	"jsonb_agg": "jsonb", "jsonb_build_object": "jsonb", "jsonb_build_array": "jsonb",
	"to_jsonb": "jsonb", "jsonb_object_agg": "jsonb", "jsonb_strip_nulls": "jsonb", "jsonb_set": "jsonb",
	"now": "timestamptz", "transaction_timestamp": "timestamptz", "statement_timestamp": "timestamptz",
	"clock_timestamp": "timestamptz", "to_timestamp": "timestamptz", "to_date": "date",
	"age": "interval", "date_part": "float8", "extract": "numeric",
	"gen_random_uuid": "uuid", "uuid_generate_v4": "uuid",
}

// argResult are functions whose result has the type of one argument.
var argResult = map[string]int{
	"min": 0, "max": 0, "abs": 0, "floor": 0, "ceil": 0, "ceiling": 0,
	"lag": 0, "lead": 0, "first_value": 0, "last_value": 0, "nth_value": 0, "date_trunc": 1,
}

var aggregates = map[string]bool{
	"count": true, "sum": true, "avg": true, "min": true, "max": true, "bool_and": true, "bool_or": true,
	"every": true, "string_agg": true, "json_agg": true, "jsonb_agg": true, "array_agg": true,
	"json_object_agg": true, "jsonb_object_agg": true,
}

func (tc *typer) funcCall(fc *pg.FuncCall) (viewCol, *Error) {
	_, name := qualifiedName(fc.Funcname)
	if aggregates[name] || fc.Over != nil {
		tc.aggregate = true
	}
	out := viewCol{name: name}
	if t, ok := fixedResult[name]; ok {
		out.typ = typ(t)
		return out, nil
	}
	if i, ok := argResult[name]; ok && i < len(fc.Args) {
		a, err := tc.expr(fc.Args[i])
		out.typ = a.typ
		return out, err
	}
	if len(fc.Args) == 0 {
		return viewCol{}, tc.c.errf(ErrUnsupported, "cannot infer the type of %s() in a view", name)
	}
	a, err := tc.expr(fc.Args[len(fc.Args)-1])
	if err != nil {
		return viewCol{}, err
	}
	arg := a.typ.Name
	switch name {
	case "sum":
		switch arg {
		case "int2", "int4":
			out.typ = typ("int8")
		case "int8":
			out.typ = typ("numeric")
		default:
			out.typ = a.typ
		}
	case "avg":
		switch arg {
		case "float4", "float8":
			out.typ = typ("float8")
		case "interval":
			out.typ = a.typ
		default:
			out.typ = typ("numeric")
		}
	case "round", "trunc":
		out.typ = typ("numeric")
		if len(fc.Args) == 1 {
			first, err := tc.expr(fc.Args[0])
			if err != nil {
				return viewCol{}, err
			}
			out.typ = first.typ
		}
	case "timezone":
		switch arg {
		case "timestamptz":
			out.typ = typ("timestamp")
		case "timestamp":
			out.typ = typ("timestamptz")
		default:
			out.typ = typ("timetz")
		}
	default:
		return viewCol{}, tc.c.errf(ErrUnsupported, "cannot infer the type of %s() in a view", name)
	}
	return out, nil
}
