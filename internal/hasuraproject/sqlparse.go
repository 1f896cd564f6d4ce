package hasuraproject

import (
	"errors"
	"sort"
	"strings"
	"sync"
	"unicode/utf8"

	pg "github.com/pganalyze/pg_query_go/v6"
	pgquery "github.com/wasilibs/go-pgquery"
	pgparser "github.com/wasilibs/go-pgquery/parser"
)

// parseMu serialises calls into Postgres' parser. go-pgquery runs it as a
// WebAssembly module and compiles a new instance for every call that finds
// none idle; one caller at a time keeps a single instance for the whole
// process, so only the first parse pays for the compilation.
var parseMu sync.Mutex

func parseSQL(sql string) (*pg.ParseResult, error) {
	parserCalls.Add(1)
	parseMu.Lock()
	defer parseMu.Unlock()
	return pgquery.Parse(sql)
}

// deparseExpr returns an expression's SQL as Postgres would print it.
func deparseExpr(n *pg.Node) (string, error) {
	sel := &pg.SelectStmt{
		TargetList:  []*pg.Node{pg.MakeResTargetNodeWithVal(n, 0)},
		LimitOption: pg.LimitOption_LIMIT_OPTION_DEFAULT,
		Op:          pg.SetOperation_SETOP_NONE,
	}
	tree := &pg.ParseResult{Stmts: []*pg.RawStmt{{Stmt: &pg.Node{Node: &pg.Node_SelectStmt{SelectStmt: sel}}}}}
	parserCalls.Add(1)
	parseMu.Lock()
	sql, err := pgquery.Deparse(tree)
	parseMu.Unlock()
	if err != nil {
		return "", err
	}
	return strings.TrimPrefix(sql, "SELECT "), nil
}

// sqlFile is one migration inside the text handed to the parser.
type sqlFile struct {
	name  string
	start int // byte offset of the file's first byte in sqlSource.text
	end   int
}

// sqlSource is every migration of a project joined into one text, so
// that the parser runs once per project. A statement separator between
// files ends a last statement that lacks its semicolon, as Hasura runs
// each file on its own.
type sqlSource struct {
	text  string
	files []sqlFile
}

const fileSeparator = "\n;\n"

func newSQLSource(names []string, texts []string) *sqlSource {
	var b strings.Builder
	s := &sqlSource{}
	for i, t := range texts {
		t = strings.TrimPrefix(t, "\uFEFF")
		start := b.Len()
		b.WriteString(t)
		s.files = append(s.files, sqlFile{name: names[i], start: start, end: b.Len()})
		b.WriteString(fileSeparator)
	}
	s.text = b.String()
	return s
}

// pos maps a byte offset of the joined text to a file and line.
func (s *sqlSource) pos(offset int) Position {
	i := sort.Search(len(s.files), func(i int) bool { return s.files[i].end >= offset }) // first file ending at or after offset
	if i == len(s.files) {
		i = len(s.files) - 1
	}
	if i < 0 {
		return Position{}
	}
	f := s.files[i]
	if offset < f.start {
		offset = f.start
	}
	if offset > f.end {
		offset = f.end
	}
	return Position{File: f.name, Line: 1 + strings.Count(s.text[f.start:offset], "\n")}
}

// stmtStart skips the blanks and comments libpg_query counts as part of a
// statement, to the statement's first keyword.
func (s *sqlSource) stmtStart(loc int) int {
	t := s.text
	for loc < len(t) {
		switch {
		case t[loc] == ' ' || t[loc] == '\t' || t[loc] == '\n' || t[loc] == '\r' || t[loc] == '\f':
			loc++
		case strings.HasPrefix(t[loc:], "--"):
			nl := strings.IndexByte(t[loc:], '\n')
			if nl < 0 {
				return len(t)
			}
			loc += nl + 1
		case strings.HasPrefix(t[loc:], "/*"):
			end := strings.Index(t[loc+2:], "*/")
			if end < 0 {
				return len(t)
			}
			loc += end + 4
		default:
			return loc
		}
	}
	return loc
}

// syntaxError turns the parser's error into an *Error at the file and line
// of its cursor position, which Postgres counts in characters from 1.
func (s *sqlSource) syntaxError(err error) *Error {
	var pe *pgparser.Error
	if !errors.As(err, &pe) || pe.Cursorpos <= 0 {
		pos := Position{}
		if len(s.files) == 1 {
			pos.File = s.files[0].name
		}
		return errAt(pos, ErrSyntax, "%v", err)
	}
	offset, chars := 0, pe.Cursorpos-1
	for chars > 0 && offset < len(s.text) {
		_, size := utf8.DecodeRuneInString(s.text[offset:])
		offset += size
		chars--
	}
	return errAt(s.pos(offset), ErrSyntax, "%s", pe.Message)
}
