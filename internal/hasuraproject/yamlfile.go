package hasuraproject

import (
	"encoding/json"
	"errors"
	"io"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// maxFileSize bounds every file the loader reads.
const maxFileSize = 16 << 20

// ynode is a YAML node, the file it comes from, and the files that
// included that file, outermost first.
type ynode struct {
	n    *yaml.Node
	file string
	via  []string
}

func (y ynode) child(n *yaml.Node) ynode { return ynode{n: n, file: y.file, via: y.via} }

func (y ynode) pos() Position { return Position{File: y.file, Line: y.n.Line} }

// yamlFiles reads the metadata's YAML files and follows the Hasura CLI's
// !include: a string "!include path" (or a scalar tagged !include) stands
// for the file at path, relative to the including file.
type yamlFiles struct {
	fsys fs.FS
}

var yamlLine = regexp.MustCompile(`line (\d+)`)

func readFile(fsys fs.FS, name string) ([]byte, *Error) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, &Error{File: name, Err: errors.Join(ErrUndefined, err)}
	}
	defer f.Close()
	b, err := io.ReadAll(io.LimitReader(f, maxFileSize+1))
	if err != nil {
		return nil, &Error{File: name, Err: errors.Join(ErrInvalid, err)}
	}
	if len(b) > maxFileSize {
		return nil, errAt(Position{File: name}, ErrInvalid, "larger than %d bytes", maxFileSize)
	}
	return b, nil
}

// load parses a YAML file; from is the !include that names it, if any.
func (yf *yamlFiles) load(name string, from Position) (ynode, *Error) {
	b, err := readFile(yf.fsys, name)
	if err != nil {
		if from.File != "" && errors.Is(err, ErrUndefined) {
			return ynode{}, errAt(from, ErrUndefined, "!include %s: no such file", name)
		}
		return ynode{}, err
	}
	var doc yaml.Node
	if perr := yaml.Unmarshal(b, &doc); perr != nil {
		pos := Position{File: name}
		if m := yamlLine.FindStringSubmatch(perr.Error()); m != nil {
			pos.Line, _ = strconv.Atoi(m[1])
		}
		return ynode{}, errAt(pos, ErrSyntax, "%s", strings.TrimPrefix(perr.Error(), "yaml: "))
	}
	if len(doc.Content) == 0 {
		return ynode{n: &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null", Line: 1}, file: name}, nil
	}
	return ynode{n: doc.Content[0], file: name}, nil
}

// includePath returns the file an !include names, or "".
func includePath(n *yaml.Node) string {
	if n.Kind != yaml.ScalarNode {
		return ""
	}
	if n.Tag == "!include" {
		return strings.TrimSpace(n.Value)
	}
	if rest, ok := strings.CutPrefix(n.Value, "!include "); ok && n.Tag == "!!str" {
		return strings.TrimSpace(rest)
	}
	return ""
}

// resolve follows !include until it reaches content.
func (yf *yamlFiles) resolve(y ynode) (ynode, *Error) {
	for depth := 0; ; depth++ {
		p := includePath(y.n)
		if p == "" {
			return y, nil
		}
		if depth > 16 {
			return ynode{}, errAt(y.pos(), ErrInvalid, "!include nested too deeply")
		}
		if path.IsAbs(p) {
			return ynode{}, errAt(y.pos(), ErrInvalid, "!include %s: absolute paths are not allowed", p)
		}
		target := path.Join(path.Dir(y.file), p)
		if !fs.ValidPath(target) {
			return ynode{}, errAt(y.pos(), ErrInvalid, "!include %s: outside the project", p)
		}
		via := append(slices.Clone(y.via), y.file)
		if slices.Contains(via, target) {
			return ynode{}, errAt(y.pos(), ErrInvalid, "!include %s: includes itself", p)
		}
		next, err := yf.load(target, y.pos())
		if err != nil {
			return ynode{}, err
		}
		next.via = via
		y = next
	}
}

// entry is a key and its value in a YAML mapping.
type entry struct {
	key string
	at  Position
	val ynode
}

func (yf *yamlFiles) mapping(y ynode) ([]entry, *Error) {
	y, err := yf.resolve(y)
	if err != nil {
		return nil, err
	}
	if isNull(y.n) {
		return nil, nil
	}
	if y.n.Kind != yaml.MappingNode {
		return nil, errAt(y.pos(), ErrInvalid, "expected a mapping")
	}
	var out []entry
	for i := 0; i+1 < len(y.n.Content); i += 2 {
		k := y.n.Content[i]
		out = append(out, entry{key: k.Value, at: Position{File: y.file, Line: k.Line}, val: y.child(y.n.Content[i+1])})
	}
	return out, nil
}

func (yf *yamlFiles) sequence(y ynode) ([]ynode, *Error) {
	y, err := yf.resolve(y)
	if err != nil {
		return nil, err
	}
	if isNull(y.n) {
		return nil, nil
	}
	if y.n.Kind != yaml.SequenceNode {
		return nil, errAt(y.pos(), ErrInvalid, "expected a list")
	}
	out := make([]ynode, len(y.n.Content))
	for i, c := range y.n.Content {
		out[i] = y.child(c)
	}
	return out, nil
}

func isNull(n *yaml.Node) bool {
	return n.Kind == yaml.ScalarNode && n.Tag == "!!null"
}

func scalarString(y ynode) (string, *Error) {
	if y.n.Kind != yaml.ScalarNode || isNull(y.n) {
		return "", errAt(y.pos(), ErrInvalid, "expected a string")
	}
	return y.n.Value, nil
}

func scalarBool(y ynode) (bool, *Error) {
	var b bool
	if y.n.Kind != yaml.ScalarNode || y.n.Decode(&b) != nil {
		return false, errAt(y.pos(), ErrInvalid, "expected true or false")
	}
	return b, nil
}

func scalarInt(y ynode) (int, *Error) {
	var i int
	if y.n.Kind != yaml.ScalarNode || y.n.Decode(&i) != nil {
		return 0, errAt(y.pos(), ErrInvalid, "expected an integer")
	}
	return i, nil
}

// literal converts a YAML value to what JSON decoding would give, with
// numbers as json.Number.
func (yf *yamlFiles) literal(y ynode) (any, *Error) {
	y, err := yf.resolve(y)
	if err != nil {
		return nil, err
	}
	switch y.n.Kind {
	case yaml.ScalarNode:
		switch y.n.Tag {
		case "!!null":
			return nil, nil
		case "!!bool":
			b, err := scalarBool(y)
			return b, err
		case "!!int", "!!float":
			return json.Number(y.n.Value), nil
		default:
			return y.n.Value, nil
		}
	case yaml.SequenceNode:
		out := make([]any, 0, len(y.n.Content))
		for _, c := range y.n.Content {
			v, err := yf.literal(y.child(c))
			if err != nil {
				return nil, err
			}
			out = append(out, v)
		}
		return out, nil
	case yaml.MappingNode:
		out := map[string]any{}
		for i := 0; i+1 < len(y.n.Content); i += 2 {
			v, err := yf.literal(y.child(y.n.Content[i+1]))
			if err != nil {
				return nil, err
			}
			out[y.n.Content[i].Value] = v
		}
		return out, nil
	case yaml.AliasNode:
		return yf.literal(y.child(y.n.Alias))
	}
	return nil, errAt(y.pos(), ErrInvalid, "unexpected YAML node")
}
