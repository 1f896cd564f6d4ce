package hasuraschema

import (
	"fmt"
	"regexp"
	"strings"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// TypeName is the GraphQL name Hasura gives a table: its name in public,
// <schema>_<name> elsewhere. Every type and root field of the table starts
// with it.
func TypeName(t *hasuraproject.Table) string {
	if t.Schema == "public" {
		return t.Name
	}
	return t.Schema + "_" + t.Name
}

// sqlName is the table's name as Hasura writes it in descriptions: bare in
// public, schema-qualified elsewhere.
func sqlName(t *hasuraproject.Table) string {
	if t.Schema == "public" {
		return t.Name
	}
	return t.Schema + "." + t.Name
}

// quoted is the table's name in double quotes, as most descriptions have it.
func quoted(t *hasuraproject.Table) string { return `"` + sqlName(t) + `"` }

var graphqlName = regexp.MustCompile(`^[_A-Za-z][_0-9A-Za-z]*$`)

func (b *builder) checkNames(t *hasuraproject.Table) error {
	check := func(kind, name string) error {
		if !graphqlName.MatchString(name) || strings.HasPrefix(name, "__") {
			return fmt.Errorf("%w: %s %q of table %s (tracked at %s:%d)", ErrInvalidName, kind, name, sqlName(t), t.Tracked.File, t.Tracked.Line)
		}
		return nil
	}
	if err := check("table", TypeName(t)); err != nil {
		return err
	}
	for _, c := range t.Columns {
		if err := check("column", c.Name); err != nil {
			return err
		}
	}
	for _, r := range t.Relationships {
		if err := check("relationship", r.Name); err != nil {
			return err
		}
	}
	for _, k := range t.Constraints() {
		if err := check("constraint", k.Name); err != nil {
			return err
		}
	}
	return nil
}

// tableDescription is the object type's description: the table's comment
// above Hasura's default, as its mkDescriptionWith joins them.
func tableDescription(t *hasuraproject.Table) string {
	def := "columns and relationships of " + quoted(t)
	if t.Comment == "" {
		return def
	}
	return t.Comment + "\n\n\n" + def + "\n"
}
