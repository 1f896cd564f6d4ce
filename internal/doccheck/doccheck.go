// Package doccheck finds exported names without a doc comment. Its test
// runs it over the whole module, so that `go test ./...` fails for an
// exported type, function, method, constant or variable whose doc comment
// is missing or does not start with its name, and for a package without
// a package comment. Struct fields and interface methods are not checked,
// nor are test files and generated files ("// Code generated … DO NOT
// EDIT.").
package doccheck

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"path/filepath"
	"sort"
	"strings"
)

// Violation is an exported name, or a package, lacking a proper doc
// comment.
type Violation struct {
	// Pos is where the name is declared.
	Pos token.Position
	// Name is the name, "Type.Method" for a method, or "package x".
	Name string
	// Problem says what is wrong, such as "no doc comment".
	Problem string
}

// String formats v as "file:line: name: problem".
func (v Violation) String() string {
	return fmt.Sprintf("%s:%d: %s: %s", v.Pos.Filename, v.Pos.Line, v.Name, v.Problem)
}

// CheckModule checks every Go file under root that is neither a test nor
// generated, skipping directories named testdata or vendor and those
// starting with "." or "_", as the go command does. File names in the
// violations are relative to root.
func CheckModule(root string) ([]Violation, error) {
	fset := token.NewFileSet()
	pkgDocs := map[string]bool{} // directory → some file has a package comment
	pkgFirst := map[string]token.Position{}
	pkgName := map[string]string{}
	var out []Violation
	err := filepath.WalkDir(root, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		name := d.Name()
		if d.IsDir() {
			if path != root && (name == "testdata" || name == "vendor" || strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_")) {
				return filepath.SkipDir
			}
			return nil
		}
		if !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
			return nil
		}
		rel, err := filepath.Rel(root, path)
		if err != nil {
			return err
		}
		f, err := parser.ParseFile(fset, path, nil, parser.ParseComments)
		if err != nil {
			return err
		}
		if ast.IsGenerated(f) {
			return nil
		}
		dir := filepath.Dir(rel)
		if _, seen := pkgFirst[dir]; !seen {
			pkgFirst[dir] = token.Position{Filename: rel, Line: fset.Position(f.Package).Line}
			pkgName[dir] = f.Name.Name
		}
		if f.Doc != nil {
			pkgDocs[dir] = true
		}
		for _, v := range CheckFile(fset, f) {
			v.Pos.Filename = rel
			out = append(out, v)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	for dir, pos := range pkgFirst {
		if !pkgDocs[dir] {
			out = append(out, Violation{Pos: pos, Name: "package " + pkgName[dir], Problem: "no package comment"})
		}
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Pos.Filename != out[j].Pos.Filename {
			return out[i].Pos.Filename < out[j].Pos.Filename
		}
		return out[i].Pos.Line < out[j].Pos.Line
	})
	return out, nil
}

// CheckFile checks the exported declarations of one parsed file: their doc
// comments must exist and start with the declared name followed by a
// space. A package comment, if the file has one, must start with
// "Package <name> " unless the package is main.
func CheckFile(fset *token.FileSet, f *ast.File) []Violation {
	var out []Violation
	report := func(pos token.Pos, name string, doc *ast.CommentGroup, names ...string) {
		if v, bad := judge(doc, names); bad {
			out = append(out, Violation{Pos: fset.Position(pos), Name: name, Problem: v})
		}
	}
	if f.Doc != nil && f.Name.Name != "main" {
		if want := "Package " + f.Name.Name + " "; !strings.HasPrefix(f.Doc.Text(), want) {
			out = append(out, Violation{Pos: fset.Position(f.Package), Name: "package " + f.Name.Name,
				Problem: fmt.Sprintf("package comment does not start with %q", want)})
		}
	}
	for _, decl := range f.Decls {
		switch d := decl.(type) {
		case *ast.FuncDecl:
			if !d.Name.IsExported() {
				continue
			}
			name := d.Name.Name
			if d.Recv != nil {
				recv := receiverType(d.Recv)
				if !ast.IsExported(recv) {
					continue
				}
				name = recv + "." + name
			}
			report(d.Name.Pos(), name, d.Doc, d.Name.Name)
		case *ast.GenDecl:
			for _, spec := range d.Specs {
				doc := specDoc(d, spec)
				switch s := spec.(type) {
				case *ast.TypeSpec:
					if s.Name.IsExported() {
						report(s.Name.Pos(), s.Name.Name, doc, s.Name.Name)
					}
				case *ast.ValueSpec:
					if documentedAsGroup(d) {
						continue
					}
					var exported []string
					for _, n := range s.Names {
						if n.IsExported() {
							exported = append(exported, n.Name)
						}
					}
					if len(exported) > 0 {
						report(s.Names[0].Pos(), strings.Join(exported, ", "), doc, exported...)
					}
				}
			}
		}
	}
	return out
}

// documentedAsGroup reports whether d is a parenthesized group with a doc
// comment and none on its specs: go doc shows such a group, a list of
// related constants for example, under its one comment.
func documentedAsGroup(d *ast.GenDecl) bool {
	if !d.Lparen.IsValid() || d.Doc == nil {
		return false
	}
	for _, spec := range d.Specs {
		if vs, ok := spec.(*ast.ValueSpec); !ok || vs.Doc != nil {
			return false
		}
	}
	return true
}

// specDoc is the doc comment of one spec: its own, or the declaration's
// when the declaration is not a parenthesized group.
func specDoc(d *ast.GenDecl, spec ast.Spec) *ast.CommentGroup {
	var doc *ast.CommentGroup
	switch s := spec.(type) {
	case *ast.TypeSpec:
		doc = s.Doc
	case *ast.ValueSpec:
		doc = s.Doc
	}
	if doc == nil && !d.Lparen.IsValid() {
		doc = d.Doc
	}
	return doc
}

// judge says what is wrong with doc for a declaration of names, if
// anything: it must start with one of them followed by a space.
func judge(doc *ast.CommentGroup, names []string) (string, bool) {
	if doc == nil || strings.TrimSpace(doc.Text()) == "" {
		return "no doc comment", true
	}
	text := doc.Text()
	for _, n := range names {
		if strings.HasPrefix(text, n+" ") {
			return "", false
		}
	}
	return fmt.Sprintf("doc comment does not start with %q", names[0]+" "), true
}

// receiverType is the name of a method's receiver type, without pointer
// or type parameters.
func receiverType(recv *ast.FieldList) string {
	if recv == nil || len(recv.List) == 0 {
		return ""
	}
	t := recv.List[0].Type
	for {
		switch x := t.(type) {
		case *ast.StarExpr:
			t = x.X
		case *ast.IndexExpr:
			t = x.X
		case *ast.IndexListExpr:
			t = x.X
		case *ast.ParenExpr:
			t = x.X
		case *ast.Ident:
			return x.Name
		default:
			return ""
		}
	}
}
