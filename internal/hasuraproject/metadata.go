package hasuraproject

import (
	"path"

	"go.yaml.in/yaml/v3"
)

// metaLoader applies the metadata to the catalog the migrations built.
type metaLoader struct {
	yf     *yamlFiles
	report *Report
	cat    *catalog
	// tracked maps schema.name to the tracked table.
	tracked map[qname]*Table
}

// sourceMeta is the Postgres source: its name and its tables list.
type sourceMeta struct {
	name   string
	tables ynode
}

func (m *metaLoader) skip(at Position, kind string) {
	m.report.Skipped = append(m.report.Skipped, Skip{Position: at, Kind: kind})
}

// nonEmpty reports whether a metadata value holds anything.
func (m *metaLoader) nonEmpty(y ynode) (bool, *Error) {
	y, err := m.yf.resolve(y)
	if err != nil {
		return false, err
	}
	switch y.n.Kind {
	case yaml.ScalarNode:
		return !isNull(y.n) && y.n.Value != "" && y.n.Value != "false", nil
	case yaml.MappingNode:
		// A mapping of empty values, such as actions.yaml's custom_types
		// of empty lists, holds nothing.
		for i := 1; i < len(y.n.Content); i += 2 {
			if set, err := m.nonEmpty(y.child(y.n.Content[i])); err != nil || set {
				return set, err
			}
		}
		return false, nil
	default:
		return len(y.n.Content) > 0, nil
	}
}

// unsupportedIfSet refuses a metadata key the loader does not model when
// it holds anything.
func (m *metaLoader) unsupportedIfSet(e entry, what string) *Error {
	set, err := m.nonEmpty(e.val)
	if err != nil {
		return err
	}
	if set {
		return errAt(e.at, ErrUnsupported, "%s (%s) is not modelled", what, e.key)
	}
	return nil
}

// source finds the one Postgres source.
func (m *metaLoader) source(l *layout) (*sourceMeta, *Error) {
	if !l.v3 {
		file := path.Join(l.metadataDir, "tables.yaml")
		root, err := m.yf.load(file, Position{})
		if err != nil {
			return nil, err
		}
		return &sourceMeta{name: "default", tables: root}, nil
	}
	root, err := m.yf.load(path.Join(l.metadataDir, "databases", "databases.yaml"), Position{})
	if err != nil {
		return nil, err
	}
	dbs, err := m.yf.sequence(root)
	if err != nil {
		return nil, err
	}
	var found *sourceMeta
	for _, db := range dbs {
		entries, err := m.yf.mapping(db)
		if err != nil {
			return nil, err
		}
		src := &sourceMeta{tables: db.child(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"})}
		kind := "postgres"
		for _, e := range entries {
			switch e.key {
			case "name":
				if src.name, err = scalarString(e.val); err != nil {
					return nil, err
				}
			case "kind":
				if kind, err = scalarString(e.val); err != nil {
					return nil, err
				}
			case "tables":
				src.tables = e.val
			case "configuration":
			case "functions":
				err = m.unsupportedIfSet(e, "tracked functions")
			case "customization":
				err = m.unsupportedIfSet(e, "source customization (root field and type name prefixes, naming convention)")
			case "logical_models", "native_queries", "stored_procedures":
				err = m.unsupportedIfSet(e, "logical models and native queries")
			default:
				err = errAt(e.at, ErrUnsupported, "source key %q is not modelled", e.key)
			}
			if err != nil {
				return nil, err
			}
		}
		if kind != "postgres" && kind != "pg" {
			return nil, errAt(db.pos(), ErrUnsupported, "source %q of kind %q: only Postgres sources are modelled", src.name, kind)
		}
		if found != nil {
			return nil, errAt(db.pos(), ErrUnsupported, "more than one Postgres source (%q and %q) is not modelled", found.name, src.name)
		}
		if src.name == "" {
			return nil, errAt(db.pos(), ErrInvalid, "source without a name")
		}
		found = src
	}
	if found == nil {
		return &sourceMeta{tables: root.child(&yaml.Node{Kind: yaml.ScalarNode, Tag: "!!null"})}, nil
	}
	return found, nil
}

// otherMetadata reads the metadata files besides the source: what the
// loader models (introspection), what it refuses (actions, remote schemas,
// inherited roles) and what it lists as skipped.
func (m *metaLoader) otherMetadata(l *layout, p *Project) *Error {
	refuse := [][2]string{
		{"actions.yaml", "actions"},
		{"remote_schemas.yaml", "remote schemas"},
		{"inherited_roles.yaml", "inherited roles"},
	}
	skip := []string{"allow_list.yaml", "api_limits.yaml", "backend_configs.yaml", "cron_triggers.yaml",
		"metrics_config.yaml", "network.yaml", "opentelemetry.yaml", "query_collections.yaml", "rest_endpoints.yaml"}
	for _, fw := range refuse {
		file, what := fw[0], fw[1]
		name := path.Join(l.metadataDir, file)
		if !exists(m.yf.fsys, name) {
			continue
		}
		root, err := m.yf.load(name, Position{})
		if err != nil {
			return err
		}
		if file == "actions.yaml" {
			entries, err := m.yf.mapping(root)
			if err != nil {
				return err
			}
			for _, e := range entries {
				if e.key == "actions" {
					if err := m.unsupportedIfSet(e, what); err != nil {
						return err
					}
				} else if set, err := m.nonEmpty(e.val); err != nil {
					return err
				} else if set {
					m.skip(e.at, e.key)
				}
			}
			continue
		}
		if set, err := m.nonEmpty(root); err != nil {
			return err
		} else if set {
			return errAt(root.pos(), ErrUnsupported, "%s are not modelled", what)
		}
	}
	for _, file := range skip {
		name := path.Join(l.metadataDir, file)
		if !exists(m.yf.fsys, name) {
			continue
		}
		root, err := m.yf.load(name, Position{})
		if err != nil {
			return err
		}
		if set, err := m.nonEmpty(root); err != nil {
			return err
		} else if set {
			m.skip(root.pos(), file)
		}
	}
	return m.introspection(path.Join(l.metadataDir, "graphql_schema_introspection.yaml"), p)
}

func (m *metaLoader) introspection(name string, p *Project) *Error {
	if !exists(m.yf.fsys, name) {
		return nil
	}
	root, err := m.yf.load(name, Position{})
	if err != nil {
		return err
	}
	entries, err := m.yf.mapping(root)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.key != "disabled_for_roles" {
			return errAt(e.at, ErrUnsupported, "key %q is not modelled", e.key)
		}
		roles, err := m.yf.sequence(e.val)
		if err != nil {
			return err
		}
		for _, r := range roles {
			s, err := scalarString(r)
			if err != nil {
				return err
			}
			p.IntrospectionDisabledFor = append(p.IntrospectionDisabledFor, s)
		}
	}
	return nil
}
