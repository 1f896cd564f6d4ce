// Package fakehasura is the engine of the fake Hasura in
// clerkhasura/clerkhasuratest: Hasura v2's /v1/graphql in JWT mode over the
// tables of a Hasura CLI project, kept in memory.
//
// The project comes from internal/hasuraproject ([Config].Project; by
// default examples/hasura, see [DefaultProject]), and each role's schema
// from internal/hasuraschema, generated when the role first sends a
// request: the admin role (the admin secret) sees every table, other roles
// what the metadata's permissions give them, and requests without
// credentials run as [Config].UnauthorizedRole. Every operation is
// validated against the role's schema with Hasura's messages, and
// introspection (__schema, __type) answers from it, except for the roles
// of the project's graphql_schema_introspection.yaml, which get Hasura's
// not-supported error.
//
// The engine is transport-neutral. [Engine.ServeHTTP] is the HTTP
// transport; another transport (the [WSServer]) reuses
// [Engine.Authenticate] to turn request headers into a session,
// [Engine.Execute] to run one operation, [Engine.Subscribe] to run a
// subscription again after [Engine.Changes] signals that rows changed.
//
// Tests seed and read rows of any table with [Engine.Insert],
// [Engine.TableRows], [Engine.UpdateRows] and [Engine.DeleteRows], and
// the rows of public.users with [Engine.Put], [Engine.Rows] and
// [Engine.Delete].
//
// # What runs
//
// Root fields <table>, <table>_by_pk, <table>_aggregate, <table>_stream
// (over a websocket), insert_<table> and insert_<table>_one (with
// on_conflict and nested inserts through relationships), update_<table>,
// update_<table>_by_pk and update_<table>_many (_set and _inc), and
// delete_<table> and delete_<table>_by_pk. Selections follow object and
// array relationships (foreign key or manual ones) with their own where,
// order_by, limit, offset and distinct_on, and <relationship>_aggregate.
// where has every comparison operator of the generated schema, _and,
// _or, _not, relationships and aggregate predicates (count, bool_and,
// bool_or); order_by follows object relationships and orders by array
// relationships' aggregates. Permissions apply their filters (with
// session variables, relationships, _exists and column comparisons),
// checks, presets, column lists and row limits. Values have Postgres'
// types: text, varchar, citext, uuid, smallint, integer, bigint (serials
// and identities from sequences that, as in Postgres, a rollback does not
// rewind), real, double precision, numeric, boolean, date, timestamp,
// timestamptz, json, jsonb and enums, cast from text as Postgres casts
// them and printed as its JSON functions print them. NOT NULL, primary
// key, unique and foreign key constraints hold, with the ON DELETE and ON
// UPDATE actions; their violations get Hasura's constraint-violation
// errors with Postgres' messages. A mutation's root fields run in one
// transaction.
//
// Fidelity comes first: error bodies, codes and paths, JSON layout and
// timestamp formats follow Hasura v2 and PostgreSQL 15. What the engine
// does not emulate is answered with a validation-failed error whose
// message says so, never with a plausible but wrong answer, except where
// listed below.
//
// # What it does not emulate
//
// Refused with "the fake Hasura does not emulate …":
//
//   - the aggregates stddev, stddev_pop, stddev_samp, var_pop, var_samp
//     and variance (count, sum, avg, max and min run);
//   - the update operators _append, _prepend, _delete_key, _delete_elem
//     and _delete_at_path, and an update whose operators are all empty;
//   - mutations of views (the engine keeps a view's rows apart from its
//     tables'), and of tables with generated columns;
//   - values of the types time, timetz, interval, money, bytea, inet and
//     char(n), NaN and infinite numbers, and column defaults other than
//     constants, sequences, now() and random UUIDs;
//   - comparisons of json (not jsonb) values, which Postgres has no
//     operators for;
//   - GET requests, timestamps outside the years 1 to 9999, and
//     responses larger than 64 MiB, which a short query can ask for with
//     aliases at each level of relationships.
//
// Not modelled at all (the loader refuses projects that use the first
// four): custom names and root fields, computed fields, actions, remote
// schemas and relationships, tracked functions, inherited roles, event
// triggers; Relay; query_root fields of other sources; backend_only
// permissions, which need the admin secret and
// x-hasura-use-backend-only-permissions (the schemas leave them out).
//
// Where the engine differs from Hasura and Postgres without saying so:
//
//   - a view holds the rows seeded into it with [Engine.Insert], not the
//     rows its query would select from its tables;
//   - CHECK constraints of the migrations and length limits such as
//     varchar(40) are not enforced; foreign keys to tables the metadata
//     does not track are not enforced either;
//   - text sorts and compares in byte order (the C collation); Go's RE2
//     syntax stands in for Postgres' regular expressions;
//   - which error a statement reports when it breaks several constraints
//     at once, and the order of rows without order_by (insertion order
//     here; Postgres promises none);
//   - now() and timestamptz output use the fake's clock in UTC, the
//     session zone of a database configured for UTC;
//   - live queries run again as soon as a change commits, where Hasura
//     polls every second and batches subscribers; a streaming
//     subscription polls when rows change;
//   - the exact text of messages Hasura copies from libraries (aeson's
//     parse errors, a JWT that does not decode): code and path match, and
//     the message starts as Hasura's does.
package fakehasura

//go:generate go run ../../clerkhasura/cmd/hasura-parse -dir testdata/shop -o testdata/shop.parsed
