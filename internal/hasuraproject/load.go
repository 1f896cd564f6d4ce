package hasuraproject

import (
	"io/fs"
	"path"
	"sort"
)

// Load reads a Hasura CLI project: it applies the migrations of its
// Postgres source in order, then the metadata. The report lists what was
// read but not modelled. Every error is an [*Error] naming the file and
// line.
func Load(fsys fs.FS) (*Project, *Report, error) {
	p, r, err := load(fsys)
	if err != nil {
		return nil, nil, err
	}
	return p, r, nil
}

func load(fsys fs.FS) (*Project, *Report, *Error) {
	yf := &yamlFiles{fsys: fsys}
	l, err := readLayout(fsys, yf)
	if err != nil {
		return nil, nil, err
	}
	report := &Report{}
	m := &metaLoader{yf: yf, report: report}
	src, err := m.source(l)
	if err != nil {
		return nil, nil, err
	}
	dir := l.migrationsDir
	if l.v3 {
		dir = path.Join(dir, src.name)
	}
	var migs []migration
	if src.name != "" {
		if migs, err = listMigrations(fsys, dir); err != nil {
			return nil, nil, err
		}
	}
	names, texts := make([]string, len(migs)), make([]string, len(migs))
	for i, mg := range migs {
		b, err := readFile(fsys, mg.file)
		if err != nil {
			return nil, nil, err
		}
		names[i], texts[i] = mg.file, string(b)
		report.Migrations = append(report.Migrations, mg.file)
	}
	cat, err := applyMigrations(names, texts, report)
	if err != nil {
		return nil, nil, err
	}
	m.cat = cat
	p := &Project{Source: src.name, Enums: cat.enumsIn()}
	if p.Tables, err = m.tables(src.tables); err != nil {
		return nil, nil, err
	}
	if err := m.otherMetadata(l, p); err != nil {
		return nil, nil, err
	}
	sort.Slice(p.Tables, func(i, j int) bool {
		if p.Tables[i].Schema != p.Tables[j].Schema {
			return p.Tables[i].Schema < p.Tables[j].Schema
		}
		return p.Tables[i].Name < p.Tables[j].Name
	})
	return p, report, nil
}
