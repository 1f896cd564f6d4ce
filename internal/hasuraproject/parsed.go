package hasuraproject

import (
	"bytes"
	"crypto/sha256"
	"encoding/gob"
	"fmt"
	"io/fs"
	"sort"
	"sync/atomic"

	pg "github.com/pganalyze/pg_query_go/v6"
	"google.golang.org/protobuf/proto"
)

// parserCalls counts calls into Postgres' parser, so that tests can tell
// whether a load needed it.
var parserCalls atomic.Int64

// savedParse is what Parse returns: the parse tree of a project's
// migrations and the SQL text of the expressions the loader prints, keyed
// by the expression's serialised node. Exprs is a list sorted by key, not
// a map, so that the encoding is the same on every run and go generate
// leaves a committed parse alone.
type savedParse struct {
	SQLHash [sha256.Size]byte
	Tree    []byte
	Exprs   []savedExpr
	// exprs indexes Exprs while loading, and collects them while parsing.
	exprs map[string]string
}

// savedExpr is one printed expression.
type savedExpr struct {
	Key, SQL string
}

// Parse runs Postgres' parser over the project's migrations and returns the
// result for [LoadParsed]. The first parse in a process compiles the
// parser, which takes a second or more (several under the race detector);
// a project embedded in a program can carry its parse, written by go
// generate, and load without the parser.
func Parse(fsys fs.FS) ([]byte, error) {
	saved := &savedParse{exprs: map[string]string{}}
	l := &loader{fsys: fsys, record: saved}
	if _, _, err := l.load(); err != nil {
		return nil, err
	}
	for k, sql := range saved.exprs {
		saved.Exprs = append(saved.Exprs, savedExpr{Key: k, SQL: sql})
	}
	sort.Slice(saved.Exprs, func(i, j int) bool { return saved.Exprs[i].Key < saved.Exprs[j].Key })
	var b bytes.Buffer
	if err := gob.NewEncoder(&b).Encode(saved); err != nil {
		return nil, fmt.Errorf("hasuraproject: encode the parse: %w", err)
	}
	return b.Bytes(), nil
}

// LoadParsed is [Load] with the result of [Parse] for the same project.
// When the migrations no longer match it (or parsed is not a parse), it
// parses them again: the outcome is always Load's.
func LoadParsed(fsys fs.FS, parsed []byte) (*Project, *Report, error) {
	saved := &savedParse{}
	if gob.NewDecoder(bytes.NewReader(parsed)).Decode(saved) != nil {
		saved = nil
	} else {
		saved.exprs = make(map[string]string, len(saved.Exprs))
		for _, e := range saved.Exprs {
			saved.exprs[e.Key] = e.SQL
		}
	}
	l := &loader{fsys: fsys, saved: saved}
	p, r, err := l.load()
	if err != nil {
		return nil, nil, err
	}
	return p, r, nil
}

// treeFor returns the parse tree of src: the saved one when it was made
// from the same text, else the parser's.
func (l *loader) treeFor(src *sqlSource) (*pg.ParseResult, error) {
	hash := sha256.Sum256([]byte(src.text))
	if s := l.saved; s != nil && s.SQLHash == hash {
		tree := &pg.ParseResult{}
		if proto.Unmarshal(s.Tree, tree) == nil {
			return tree, nil
		}
	}
	tree, err := parseSQL(src.text)
	if err != nil {
		return nil, err
	}
	if l.record != nil {
		l.record.SQLHash = hash
		if l.record.Tree, err = (proto.MarshalOptions{Deterministic: true}).Marshal(tree); err != nil {
			return nil, err
		}
	}
	return tree, nil
}

// deparse prints an expression, from the saved parse when it has it.
func (l *loader) deparse(n *pg.Node) (string, error) {
	key, err := proto.MarshalOptions{Deterministic: true}.Marshal(n)
	if err != nil {
		return "", err
	}
	if l.saved != nil {
		if sql, ok := l.saved.exprs[string(key)]; ok {
			return sql, nil
		}
	}
	sql, err := deparseExpr(n)
	if err == nil && l.record != nil {
		l.record.exprs[string(key)] = sql
	}
	return sql, err
}
