package fakehasura

import (
	"encoding/json"
	"math"
	"strconv"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// tablePerms are a role's permissions on one table, with the metadata's
// filters and checks compiled. A nil permission means the role may not
// run that statement.
type tablePerms struct {
	sel                    *hasuraproject.SelectPermission
	ins                    *hasuraproject.InsertPermission
	upd                    *hasuraproject.UpdatePermission
	del                    *hasuraproject.DeletePermission
	selFilter              boolExp
	insCheck               boolExp
	updFilter, updCheck    boolExp
	delFilter              boolExp
	insPresets, updPresets []preset
}

type preset struct {
	col int
	val operand
}

func compilePerms(ti *tableInfo, p *hasuraproject.Permissions) *tablePerms {
	tp := &tablePerms{}
	if p == nil {
		return tp
	}
	if p.Select != nil {
		tp.sel, tp.selFilter = p.Select, compilePerm(ti, p.Select.Filter)
	}
	if p.Insert != nil {
		tp.ins, tp.insCheck, tp.insPresets = p.Insert, compilePerm(ti, p.Insert.Check), compilePresets(ti, p.Insert.Set)
	}
	if p.Update != nil {
		tp.upd, tp.updFilter, tp.updPresets = p.Update, compilePerm(ti, p.Update.Filter), compilePresets(ti, p.Update.Set)
		if p.Update.Check != nil {
			tp.updCheck = compilePerm(ti, p.Update.Check)
		}
	}
	if p.Delete != nil {
		tp.del, tp.delFilter = p.Delete, compilePerm(ti, p.Delete.Filter)
	}
	return tp
}

func compilePresets(ti *tableInfo, set []hasuraproject.Preset) []preset {
	var out []preset
	for _, s := range set {
		c := ti.col(s.Column)
		out = append(out, preset{col: c.idx, val: metadataOperand(c.typ, s.Value)})
	}
	return out
}

// compilePerm turns a permission's expression over root into a boolExp.
func compilePerm(root *tableInfo, e hasuraproject.BoolExp) boolExp {
	return permCompiler{root: root}.compile(e)
}

type permCompiler struct{ root *tableInfo }

// compile works on the expression of a table the loader resolved: tables
// and columns are known to exist.
func (pc permCompiler) compile(e hasuraproject.BoolExp) boolExp {
	switch x := e.(type) {
	case hasuraproject.And:
		out := andExp{}
		for _, s := range x {
			out = append(out, pc.compile(s))
		}
		return out
	case hasuraproject.Or:
		out := orExp{}
		for _, s := range x {
			out = append(out, pc.compile(s))
		}
		return out
	case hasuraproject.Not:
		return notExp{pc.compile(x.Exp)}
	case hasuraproject.RelationshipExp:
		return permRelExp{name: x.Relationship, e: pc.compile(x.Exp)}
	case hasuraproject.Exists:
		return existsByName{schema: x.Schema, name: x.Table, e: pc.compile(x.Where)}
	case hasuraproject.Compare:
		return permCmp{c: x, root: pc.root}
	}
	return andExp{}
}

// permRelExp and permCmp resolve their relationship and column against
// the table they are bound to, which the compiler does not track.
type permRelExp struct {
	name string
	e    boolExp
}

func (p permRelExp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	return relExp{rel: ti.t.Relationship(p.name), e: p.e}.bind(b, ti)
}

type existsByName struct {
	schema, name string
	e            boolExp
}

func (x existsByName) bind(b *binder, ti *tableInfo) (pred, *Error) {
	return existsExp{table: b.tx.cat.project.Table(x.schema, x.name), e: x.e}.bind(b, ti)
}

type permCmp struct {
	c    hasuraproject.Compare
	root *tableInfo
}

func (p permCmp) bind(b *binder, ti *tableInfo) (pred, *Error) {
	ct := ti.col(p.c.Column).typ
	c := &cmpExp{col: p.c.Column, op: p.c.Op, other: p.c.Other}
	switch {
	case p.c.Op == "_is_null":
		c.isNull, _ = p.c.Value.Literal.(bool)
	case p.c.Other != nil:
		if p.c.Other.Root {
			c.rootIdx = p.root.colIdx[p.c.Other.Column]
		}
	case p.c.Op == "_in" || p.c.Op == "_nin" || p.c.Op == "_has_keys_any" || p.c.Op == "_has_keys_all":
		elem := ct
		if p.c.Op == "_has_keys_any" || p.c.Op == "_has_keys_all" {
			elem = colType{name: "text"}
		}
		c.listVar = p.c.Value.Session
		items, _ := p.c.Value.Literal.([]any)
		for _, it := range items {
			c.list = append(c.list, metadataOperand(elem, hasuraproject.Value{Literal: it}))
		}
	case p.c.Op == "_has_key":
		c.val = metadataOperand(colType{name: "text"}, p.c.Value)
	default:
		c.val = metadataOperand(ct, p.c.Value)
	}
	return c.bind(b, ti)
}

// metadataOperand is a metadata value for a column type: a session
// variable and strings are text for Postgres to cast; YAML numbers,
// booleans and structures are typed as Hasura parses JSON.
func metadataOperand(ct colType, v hasuraproject.Value) operand {
	if v.Session != "" {
		return operand{sessVar: v.Session}
	}
	switch x := v.Literal.(type) {
	case nil:
		return operand{}
	case string:
		if ct.isJSON() {
			return operand{typed: jsonOrNull(ct, x)}
		}
		return textOperand(x)
	case float64:
		return numberOperand(ct, strconv.FormatFloat(x, 'f', -1, 64))
	case bool:
		if ct.name == "bool" {
			return operand{typed: x}
		}
		return textOperand(strconv.FormatBool(x))
	}
	if ct.isJSON() {
		return operand{typed: jsonOrNull(ct, toJSONNumbers(v.Literal))}
	}
	b, _ := json.Marshal(v.Literal)
	return textOperand(string(b))
}

// numberOperand types a number for a column: exactly for the numeric
// types, as text for Postgres to cast otherwise.
func numberOperand(ct colType, text string) operand {
	switch {
	case ct.isInt():
		if n, ok := parseDecimal(text).int64(); ok && n >= intBounds[ct.name][0] && n <= intBounds[ct.name][1] {
			return operand{typed: n}
		}
	case ct.isFloat():
		if f, err := strconv.ParseFloat(text, 64); err == nil && !math.IsInf(f, 0) {
			return operand{typed: f}
		}
	case ct.name == "numeric":
		if n := numericFromNumber(text); n != nil {
			return operand{typed: n}
		}
	case ct.isJSON():
		return operand{typed: jsonOrNull(ct, json.Number(text))}
	}
	return textOperand(text)
}

// toJSONNumbers turns YAML's float64s into json.Number, as the JSON
// values of requests hold them.
func toJSONNumbers(v any) any {
	switch x := v.(type) {
	case float64:
		return json.Number(strconv.FormatFloat(x, 'f', -1, 64))
	case []any:
		out := make([]any, len(x))
		for i, e := range x {
			out[i] = toJSONNumbers(e)
		}
		return out
	case map[string]any:
		out := make(map[string]any, len(x))
		for k, e := range x {
			out[k] = toJSONNumbers(e)
		}
		return out
	}
	return v
}

// jsonOrNull is a metadata value for a json column; a number too large
// for Postgres' numeric, the only way it can fail, makes it NULL.
func jsonOrNull(ct colType, v any) any {
	out, err := jsonFromInput(ct, v)
	if err != nil {
		return nil
	}
	return out
}
