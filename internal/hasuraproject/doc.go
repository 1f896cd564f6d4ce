// Package hasuraproject reads a Hasura CLI project (an fs.FS, so that a
// project can be embedded) into the model a Hasura v2 server would build
// from it: the tables and views of its Postgres source after the
// migrations ran, and the relationships and permissions of its metadata.
//
// [Load] finds the metadata (config v3: metadata/databases/databases.yaml
// with !include files; config v2: one metadata/tables.yaml), applies the
// up.sql migrations of the source in version order, then the metadata.
// Every problem is an [*Error] naming the file and line, wrapping one of
// [ErrSyntax], [ErrUnsupported], [ErrUndefined] and [ErrInvalid]; nothing
// the loader cannot model is passed over in silence.
//
// # SQL
//
// The migrations are parsed by Postgres' own parser (libpg_query through
// WebAssembly, so no cgo), all of a project's files in one call. The
// parser is one instance per process: the first parse compiles it (about
// a second, several under the race detector), later ones take well under
// a millisecond. A project embedded in a program can skip the parser:
// [Parse] returns the parse (for go generate to save beside it) and
// [LoadParsed] loads with it, parsing again only if the migrations changed.
//
// Modelled, as Postgres applies them: CREATE TABLE (columns, NOT NULL,
// DEFAULT, PRIMARY KEY, UNIQUE, REFERENCES, CHECK, serial types, identity
// and generated columns), ALTER TABLE (ADD, DROP, RENAME, ALTER TYPE,
// SET/DROP DEFAULT and NOT NULL of columns; ADD and DROP of constraints,
// USING INDEX included; identity), CREATE [UNIQUE] INDEX, CREATE [OR
// REPLACE] VIEW and CREATE MATERIALIZED VIEW (column types inferred from
// the query; automatically updatable views are insertable, updatable and
// deletable, as are views with INSTEAD OF triggers), CREATE TYPE … AS ENUM
// and ALTER TYPE … ADD/RENAME VALUE, CREATE DOMAIN (a column of a domain
// has the domain's base type, as Hasura sees it), CREATE SCHEMA,
// sequences, RENAME and SET SCHEMA of tables, views, columns, constraints,
// types and schemas, DROP (RESTRICT and CASCADE), COMMENT ON TABLE, VIEW
// and COLUMN (Hasura's descriptions), search_path (SET and pg_dump's
// set_config). Constraint, index and sequence names are chosen as
// Postgres chooses them: <table>_pkey, <table>_<columns>_key,
// <table>_<columns>_fkey, <table>_<column>_seq, cut to 63 bytes.
//
// Column types: text, varchar, char (bpchar), citext, uuid, smallint,
// integer, bigint (and the serials), real, double precision, numeric,
// money, boolean, date, time, timetz, timestamp, timestamptz, interval,
// json, jsonb, bytea, inet, Postgres enums and domains over these.
//
// Skipped and listed in the [Report], since they cannot change the schema
// Hasura exposes: functions, triggers other than INSTEAD OF on views,
// extensions, privileges, row level security and policies, ownership,
// storage options, data (INSERT, UPDATE, DELETE, COPY), SET, SELECT,
// transaction control, comments on other objects.
//
// Refused with [ErrUnsupported]: rules, DO blocks and CALL (they can do
// anything), inheritance and partitions, typed and temporary tables,
// foreign tables, array and composite column types, CREATE TABLE … AS,
// view queries with WITH or VALUES, and view columns whose type the
// loader cannot infer.
//
// # Metadata
//
// Modelled: tracked tables and views of one Postgres source (any name),
// object and array relationships over foreign keys (the table's own, or
// the remote table's) and manual column mappings, select, insert, update
// and delete permissions (columns, filters and checks as [BoolExp] trees
// with session variables and constants, presets, limit,
// allow_aggregations, query_root_fields and subscription_root_fields,
// backend_only), and the roles of graphql_schema_introspection.yaml.
//
// Refused with [ErrUnsupported]: table configuration (custom names, custom
// root fields, comments), enum tables, computed fields, remote
// relationships, tracked functions, source customization, actions, remote
// schemas, inherited roles, more than one source, non-Postgres sources,
// YAML migrations and config v1 projects. Listed as skipped: event
// triggers, validate_input, cron triggers, allow lists, query collections,
// REST endpoints, API limits, network and other server settings.
//
// The unauthorized role is a server setting, not part of the project:
// [Project.UnauthorizedRole] is left for the caller to fill in.
package hasuraproject
