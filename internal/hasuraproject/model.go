package hasuraproject

import "sort"

// Project is a Hasura project as the server sees it once its migrations ran
// and its metadata was applied: the tracked tables and views of its one
// Postgres source, with their relationships and permissions.
type Project struct {
	// Source is the name of the Postgres source in the metadata, such as
	// "default".
	Source string
	// Tables are the tracked tables and views, sorted by schema then name.
	Tables []*Table
	// Enums are the Postgres enum types the migrations leave behind,
	// sorted by schema then name.
	Enums []*EnumType
	// IntrospectionDisabledFor lists the roles for which
	// metadata/graphql_schema_introspection.yaml disables introspection.
	IntrospectionDisabledFor []string
	// UnauthorizedRole is the role of requests without credentials. The
	// project cannot say (Hasura reads HASURA_GRAPHQL_UNAUTHORIZED_ROLE from
	// its environment), so the loader leaves it empty for the caller to set.
	UnauthorizedRole string
}

// Table returns the tracked table or view schema.name, or nil.
func (p *Project) Table(schema, name string) *Table {
	for _, t := range p.Tables {
		if t.Schema == schema && t.Name == name {
			return t
		}
	}
	return nil
}

// Roles returns every role some permission names, sorted. The admin role,
// which needs no permissions, is not among them.
func (p *Project) Roles() []string {
	seen := map[string]bool{}
	for _, t := range p.Tables {
		for r := range t.Permissions {
			seen[r] = true
		}
	}
	roles := make([]string, 0, len(seen))
	for r := range seen {
		roles = append(roles, r)
	}
	sort.Strings(roles)
	return roles
}

// RelationKind tells a table from a view.
type RelationKind int

const (
	// KindTable is an ordinary (or partitioned) table.
	KindTable RelationKind = iota
	// KindView is a view.
	KindView
	// KindMaterializedView is a materialized view: never mutable.
	KindMaterializedView
)

// String returns the kind as SQL names it.
func (k RelationKind) String() string {
	switch k {
	case KindView:
		return "view"
	case KindMaterializedView:
		return "materialized view"
	default:
		return "table"
	}
}

// Table is a tracked table or view.
type Table struct {
	Schema string
	Name   string
	Kind   RelationKind
	// Comment is the table's COMMENT ON TABLE, or "".
	Comment string
	// Columns are in the order Postgres numbers them.
	Columns []*Column
	// PrimaryKey is nil when the table has none (views never have one).
	PrimaryKey *Constraint
	// UniqueConstraints are the unique constraints and unique indexes other
	// than the primary key: what Hasura offers in <table>_constraint.
	UniqueConstraints []*Constraint
	// ForeignKeys are the table's own foreign keys.
	ForeignKeys []*ForeignKey
	// Insertable, Updatable and Deletable say whether Postgres accepts
	// these statements on the relation: always for a table, only for an
	// automatically updatable view (or one with INSTEAD OF triggers) for a
	// view.
	Insertable, Updatable, Deletable bool
	// Relationships are the object and array relationships the metadata
	// declares, in metadata order (object relationships first).
	Relationships []*Relationship
	// Permissions are keyed by role.
	Permissions map[string]*Permissions
	// Tracked is where the metadata tracks the table.
	Tracked Position
}

// Column returns the column named name, or nil.
func (t *Table) Column(name string) *Column {
	for _, c := range t.Columns {
		if c.Name == name {
			return c
		}
	}
	return nil
}

// Relationship returns the relationship named name, or nil.
func (t *Table) Relationship(name string) *Relationship {
	for _, r := range t.Relationships {
		if r.Name == name {
			return r
		}
	}
	return nil
}

// Constraints returns the primary key (if any) then the unique constraints:
// the values of <table>_constraint.
func (t *Table) Constraints() []*Constraint {
	var cs []*Constraint
	if t.PrimaryKey != nil {
		cs = append(cs, t.PrimaryKey)
	}
	return append(cs, t.UniqueConstraints...)
}

// Column is a column of a table or view.
type Column struct {
	Name string
	Type Type
	// Nullable is false for NOT NULL and primary key columns. View columns
	// are always nullable, as Postgres reports them.
	Nullable bool
	Default  Default
	// Comment is the column's COMMENT ON COLUMN, or "".
	Comment string
	// Identity is "always", "by default" or "" for GENERATED … AS IDENTITY.
	Identity string
	// Generated is true for GENERATED ALWAYS AS (…) STORED columns.
	Generated bool
}

// Mutable reports whether INSERT and UPDATE may set the column: not for
// GENERATED ALWAYS identity columns nor generated columns, which Hasura
// leaves out of its insert and update inputs.
func (c *Column) Mutable() bool {
	return c.Identity != IdentityAlways && !c.Generated
}

// Identity kinds of a column.
const (
	IdentityAlways    = "always"
	IdentityByDefault = "by default"
)

// Type is a column type as Postgres' catalog names it: the base type of a
// domain, and the type's own name for an enum.
type Type struct {
	// Name is pg_type.typname: "text", "varchar", "bpchar", "int2", "int4",
	// "int8", "float4", "float8", "numeric", "bool", "uuid", "date",
	// "time", "timetz", "timestamp", "timestamptz", "interval", "json",
	// "jsonb", "bytea", "citext", "money", "inet", or an enum's name.
	Name string
	// Enum is the enum type when the column has one, else nil.
	Enum *EnumType
}

// EnumType is a Postgres enum type (CREATE TYPE … AS ENUM).
type EnumType struct {
	Schema string
	Name   string
	Values []string
}

// DefaultKind classifies a column default by what an emulator must do
// to produce its value.
type DefaultKind int

const (
	// NoDefault means the column defaults to NULL.
	NoDefault DefaultKind = iota
	// ConstantDefault is Default.Value, as text.
	ConstantDefault
	// NowDefault is the transaction's time (now(), CURRENT_TIMESTAMP,
	// CURRENT_DATE, timezone('utc', now()), …) cast to the column type.
	NowDefault
	// UUIDDefault is a random UUID (gen_random_uuid(), uuid_generate_v4(),
	// gen_hasura_uuid()).
	UUIDDefault
	// SequenceDefault is the next value of Default.Sequence (serial,
	// identity and nextval defaults).
	SequenceDefault
	// ExpressionDefault is any other expression, in Default.Expr.
	ExpressionDefault
)

// Default is a column default.
type Default struct {
	Kind DefaultKind
	// Value is the constant of a ConstantDefault, as Postgres would read
	// it from text: "false", "0", "pending".
	Value string
	// Sequence is the schema-qualified sequence of a SequenceDefault.
	Sequence string
	// Expr is the default's SQL for every kind but NoDefault.
	Expr string
}

// Constraint is a primary key, unique constraint or unique index.
type Constraint struct {
	// Name is the constraint's (or index's) name, as Postgres chose it
	// when the SQL gave none: <table>_pkey, <table>_<columns>_key,
	// <table>_<columns>_idx.
	Name string
	// Columns are in key order. An expression index lists only its plain
	// columns.
	Columns []string
}

// FKAction is a foreign key's ON DELETE or ON UPDATE action.
type FKAction string

// Foreign key actions.
const (
	NoAction   FKAction = "NO ACTION"
	Restrict   FKAction = "RESTRICT"
	Cascade    FKAction = "CASCADE"
	SetNull    FKAction = "SET NULL"
	SetDefault FKAction = "SET DEFAULT"
)

// ForeignKey is a foreign key constraint.
type ForeignKey struct {
	Name       string
	Columns    []string
	RefSchema  string
	RefTable   string
	RefColumns []string
	OnUpdate   FKAction
	OnDelete   FKAction
}

// RelationshipKind is object (at most one row) or array.
type RelationshipKind int

const (
	// ObjectRelationship points to at most one row of the remote table.
	ObjectRelationship RelationshipKind = iota
	// ArrayRelationship points to any number of rows.
	ArrayRelationship
)

// Relationship is an object or array relationship from the metadata.
type Relationship struct {
	Name string
	Kind RelationshipKind
	// Remote is the table the relationship points to (always tracked).
	Remote *Table
	// Mapping pairs the table's columns with the remote table's, in the
	// order the foreign key or the manual configuration gives them.
	Mapping []ColumnMapping
	// Manual is true for manual_configuration relationships.
	Manual bool
	// Nullable is false for an object relationship over the table's own
	// foreign key whose columns are all NOT NULL: Hasura types it <remote>!.
	Nullable bool
	// Declared is where the metadata declares the relationship.
	Declared Position
}

// ColumnMapping pairs a column with the remote column it joins.
type ColumnMapping struct {
	Column       string
	RemoteColumn string
}

// Permissions are one role's permissions on one table. A nil field means
// the role may not run that kind of statement.
type Permissions struct {
	Select *SelectPermission
	Insert *InsertPermission
	Update *UpdatePermission
	Delete *DeletePermission
}

// Root field kinds a select permission can restrict with
// query_root_fields and subscription_root_fields.
const (
	RootSelect          = "select"
	RootSelectByPk      = "select_by_pk"
	RootSelectAggregate = "select_aggregate"
	RootSelectStream    = "select_stream"
)

// SelectPermission is a select_permissions entry.
type SelectPermission struct {
	// Columns are the selectable columns, in table order ("*" expanded).
	Columns []string
	// Filter restricts the visible rows.
	Filter BoolExp
	// Limit caps the rows of one select; nil for none.
	Limit *int
	// AllowAggregations enables <table>_aggregate and aggregate fields.
	AllowAggregations bool
	// QueryRootFields and SubscriptionRootFields restrict the root fields;
	// nil allows all of them.
	QueryRootFields        []string
	SubscriptionRootFields []string
	Declared               Position
}

// InsertPermission is an insert_permissions entry.
type InsertPermission struct {
	Columns     []string
	Check       BoolExp
	Set         []Preset
	BackendOnly bool
	Declared    Position
}

// UpdatePermission is an update_permissions entry.
type UpdatePermission struct {
	Columns []string
	Filter  BoolExp
	// Check is nil when the metadata has none (or null): no post-update check.
	Check       BoolExp
	Set         []Preset
	BackendOnly bool
	Declared    Position
}

// DeletePermission is a delete_permissions entry.
type DeletePermission struct {
	Filter      BoolExp
	BackendOnly bool
	Declared    Position
}

// Preset is a column preset of an insert or update permission.
type Preset struct {
	Column string
	Value  Value
}

// Value is a constant or a session variable.
type Value struct {
	// Session is the session variable's name in lower case
	// ("x-hasura-user-id"), or "" for a literal.
	Session string
	// Literal is the constant as JSON decodes it (string, float64, bool,
	// nil, []any, map[string]any) when Session is "".
	Literal any
}

// Position is a place in the project: a file of the fs.FS and a 1-based
// line (0 when unknown).
type Position struct {
	File string
	Line int
}
