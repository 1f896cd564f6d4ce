package hasuraproject

import (
	"errors"
	"io/fs"
	"path"
	"sort"
	"strings"
)

// layout is where a project keeps its metadata and migrations.
type layout struct {
	metadataDir   string
	migrationsDir string
	// v3 keeps sources in metadata/databases/databases.yaml and
	// migrations per source; older projects keep one metadata/tables.yaml.
	v3 bool
}

func exists(fsys fs.FS, name string) bool {
	_, err := fs.Stat(fsys, name)
	return err == nil
}

// readLayout reads config.yaml (optional) and finds the metadata.
func readLayout(fsys fs.FS, yf *yamlFiles) (*layout, *Error) {
	l := &layout{metadataDir: "metadata", migrationsDir: "migrations"}
	version := 0
	if exists(fsys, "config.yaml") {
		root, err := yf.load("config.yaml", Position{})
		if err != nil {
			return nil, err
		}
		entries, err := yf.mapping(root)
		if err != nil {
			return nil, err
		}
		for _, e := range entries {
			switch e.key {
			case "version":
				if version, err = scalarInt(e.val); err != nil {
					return nil, err
				}
			case "metadata_directory":
				if l.metadataDir, err = projectPath(e); err != nil {
					return nil, err
				}
			case "migrations_directory":
				if l.migrationsDir, err = projectPath(e); err != nil {
					return nil, err
				}
			}
		}
	}
	switch {
	case exists(fsys, path.Join(l.metadataDir, "databases", "databases.yaml")):
		l.v3 = true
	case exists(fsys, path.Join(l.metadataDir, "tables.yaml")):
	case version == 1 || exists(fsys, path.Join(l.metadataDir, "metadata.yaml")) || exists(fsys, "metadata.yaml"):
		return nil, errAt(Position{File: "config.yaml"}, ErrUnsupported, "config v1 projects (one metadata.yaml) are not modelled")
	default:
		return nil, errAt(Position{File: l.metadataDir}, ErrUndefined,
			"no metadata: expected %s/databases/databases.yaml (config v3) or %s/tables.yaml (config v2)", l.metadataDir, l.metadataDir)
	}
	return l, nil
}

// projectPath reads a directory setting of config.yaml.
func projectPath(e entry) (string, *Error) {
	s, err := scalarString(e.val)
	if err != nil {
		return "", err
	}
	p := path.Clean(s)
	if !fs.ValidPath(p) {
		return "", errAt(e.at, ErrInvalid, "%s: %q is outside the project", e.key, s)
	}
	return p, nil
}

// migration is one up.sql, ordered by version.
type migration struct {
	version string
	file    string
}

// listMigrations finds the up migrations in dir: directories
// <version>_<name>/up.sql, as the Hasura CLI writes them, and older flat
// files <version>_<name>.up.sql.
func listMigrations(fsys fs.FS, dir string) ([]migration, *Error) {
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, &Error{File: dir, Err: errors.Join(ErrInvalid, err)}
	}
	var out []migration
	for _, e := range entries {
		version := leadingDigits(e.Name())
		if version == "" {
			continue
		}
		switch {
		case e.IsDir():
			up := path.Join(dir, e.Name(), "up.sql")
			if exists(fsys, up) {
				out = append(out, migration{version, up})
			} else if exists(fsys, path.Join(dir, e.Name(), "up.yaml")) {
				return nil, errAt(Position{File: path.Join(dir, e.Name(), "up.yaml")}, ErrUnsupported, "YAML migrations are not modelled")
			}
		case strings.HasSuffix(e.Name(), ".up.sql"):
			out = append(out, migration{version, path.Join(dir, e.Name())})
		case strings.HasSuffix(e.Name(), ".up.yaml"):
			return nil, errAt(Position{File: path.Join(dir, e.Name())}, ErrUnsupported, "YAML migrations are not modelled")
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return versionLess(out[i].version, out[j].version) })
	for i := 1; i < len(out); i++ {
		if out[i].version == out[i-1].version {
			return nil, errAt(Position{File: out[i].file}, ErrInvalid, "migration version %s appears twice", out[i].version)
		}
	}
	return out, nil
}

func leadingDigits(s string) string {
	i := 0
	for i < len(s) && s[i] >= '0' && s[i] <= '9' {
		i++
	}
	if i == 0 || (i < len(s) && s[i] != '_' && s[i] != '.') {
		return ""
	}
	return s[:i]
}

// versionLess compares decimal versions of any length numerically.
func versionLess(a, b string) bool {
	a, b = strings.TrimLeft(a, "0"), strings.TrimLeft(b, "0")
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}
