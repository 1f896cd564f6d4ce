package hasuraschema

import (
	"slices"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

// access is what the role may do on a table, with the admin role's
// everything spelt out. A nil field means nothing of that kind.
type access struct {
	sel *selectAccess
	ins []*hasuraproject.Column // insertable columns; nil when no insert permission
	upd []*hasuraproject.Column // updatable columns; nil when no update permission
	del bool
	// insPerm and updPerm tell an empty column list from no permission.
	insPerm, updPerm bool
	// Backend-only permissions need the admin secret, which a request
	// authenticated by a JWT never has: they add no root field.
	insBackendOnly, updBackendOnly, delBackendOnly bool
}

type selectAccess struct {
	cols      []*hasuraproject.Column
	aggregate bool
	// queryRoots and subRoots are nil when every root field is allowed.
	queryRoots, subRoots []string
}

func (s *selectAccess) hasColumn(name string) bool {
	return slices.ContainsFunc(s.cols, func(c *hasuraproject.Column) bool { return c.Name == name })
}

func (s *selectAccess) allowsQuery(kind string) bool {
	return s.queryRoots == nil || slices.Contains(s.queryRoots, kind)
}

func (s *selectAccess) allowsSubscription(kind string) bool {
	return s.subRoots == nil || slices.Contains(s.subRoots, kind)
}

func columnsNamed(t *hasuraproject.Table, names []string, mutableOnly bool) []*hasuraproject.Column {
	out := []*hasuraproject.Column{}
	for _, c := range t.Columns {
		if slices.Contains(names, c.Name) && (!mutableOnly || c.Mutable()) {
			out = append(out, c)
		}
	}
	return out
}

// withoutPresets drops the columns a permission presets: Hasura sets them
// itself and leaves them out of the role's insert and update inputs.
func withoutPresets(cols []*hasuraproject.Column, set []hasuraproject.Preset) []*hasuraproject.Column {
	return slices.DeleteFunc(cols, func(c *hasuraproject.Column) bool {
		return slices.ContainsFunc(set, func(p hasuraproject.Preset) bool { return p.Column == c.Name })
	})
}

// access returns the role's access to t.
func (b *builder) access(t *hasuraproject.Table) access {
	if b.admin {
		var mutable []*hasuraproject.Column
		for _, c := range t.Columns {
			if c.Mutable() {
				mutable = append(mutable, c)
			}
		}
		return access{
			sel: &selectAccess{cols: t.Columns, aggregate: true},
			ins: mutable, upd: mutable, del: true, insPerm: true, updPerm: true,
		}
	}
	p := t.Permissions[b.role]
	if p == nil {
		return access{}
	}
	var a access
	if p.Select != nil {
		a.sel = &selectAccess{
			cols:       columnsNamed(t, p.Select.Columns, false),
			aggregate:  p.Select.AllowAggregations,
			queryRoots: p.Select.QueryRootFields,
			subRoots:   p.Select.SubscriptionRootFields,
		}
	}
	if p.Insert != nil {
		a.ins, a.insPerm, a.insBackendOnly = withoutPresets(columnsNamed(t, p.Insert.Columns, true), p.Insert.Set), true, p.Insert.BackendOnly
	}
	if p.Update != nil {
		a.upd, a.updPerm, a.updBackendOnly = withoutPresets(columnsNamed(t, p.Update.Columns, true), p.Update.Set), true, p.Update.BackendOnly
	}
	if p.Delete != nil {
		a.del, a.delBackendOnly = true, p.Delete.BackendOnly
	}
	return a
}
