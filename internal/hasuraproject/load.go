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
	p, r, err := (&loader{fsys: fsys}).load()
	if err != nil {
		return nil, nil, err
	}
	return p, r, nil
}

// loader loads one project; saved and record are the parse [LoadParsed]
// reuses and [Parse] writes.
type loader struct {
	fsys   fs.FS
	saved  *savedParse
	record *savedParse
}

func (l *loader) load() (*Project, *Report, *Error) {
	fsys := l.fsys
	yf := &yamlFiles{fsys: fsys}
	lay, err := readLayout(fsys, yf)
	if err != nil {
		return nil, nil, err
	}
	report := &Report{}
	m := &metaLoader{yf: yf, report: report}
	src, err := m.source(lay)
	if err != nil {
		return nil, nil, err
	}
	dir := lay.migrationsDir
	if lay.v3 {
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
	cat, err := l.applyMigrations(names, texts, report)
	if err != nil {
		return nil, nil, err
	}
	m.cat = cat
	p := &Project{Source: src.name, Enums: cat.enumsIn()}
	if p.Tables, err = m.tables(src.tables); err != nil {
		return nil, nil, err
	}
	if err := m.otherMetadata(lay, p); err != nil {
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
