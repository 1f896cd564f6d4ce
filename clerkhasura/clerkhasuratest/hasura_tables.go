package clerkhasuratest

import "strings"

// Insert adds rows to a table of the fake's project as a migration or
// the admin role would: no permission applies, columns left out get their
// defaults (sequences, gen_random_uuid(), now() on the fake's clock), and
// NOT NULL, unique and foreign key constraints hold. It inserts every row
// or none, and live queries see the change. table is the table's GraphQL
// name ("todos", "billing_invoices") or "schema.name". A value is nil
// (NULL), a string that Postgres casts to the column's type ("now()",
// "2024-05-01", JSON text), a number, a bool, a time.Time (its UTC wall
// clock for timestamp), or a map or slice for json and jsonb. It calls
// t.Fatalf, with Postgres' message, for a row Postgres would refuse.
func (h *Hasura) Insert(table string, rows ...map[string]any) {
	h.t.Helper()
	if err := h.eng.Insert(table, rows...); err != nil {
		h.t.Fatalf("clerkhasuratest: Insert: %s", engineMessage(err))
	}
}

// Table returns the rows of a table, sorted by primary key, each value as
// a JSON decoder with UseNumber reads Hasura's answer: a string,
// json.Number, bool, nil, or a map or slice for json and jsonb. It calls
// t.Fatalf for an unknown table.
func (h *Hasura) Table(table string) []map[string]any {
	h.t.Helper()
	rows, err := h.eng.TableRows(table)
	if err != nil {
		h.t.Fatalf("clerkhasuratest: Table: %s", engineMessage(err))
	}
	return rows
}

// engineMessage is the engine's error without its package's prefix,
// which names nothing a test of the kit can import.
func engineMessage(err error) string {
	return strings.TrimPrefix(err.Error(), "fakehasura: ")
}
