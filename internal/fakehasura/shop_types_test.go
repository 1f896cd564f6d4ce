package fakehasura

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestShopMoreTypes(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	assert.Equal(t,
		`{"data":{"insert_readings":{"returning" : [{"id":1,"sensor":"Kitchen","value":21.5,"raw":{"a":[1.0,2],"b":1},"taken_on":"2024-05-01","note":null}, {"id":2,"sensor":"kitchen","value":null,"raw":null,"taken_on":"2024-05-01","note":null}]}}}`,
		f.admin(`mutation { insert_readings(objects: [{sensor: "Kitchen", value: 21.5, raw: {b: 1, a: [1.0, 2]}}, {sensor: "kitchen"}]) { returning { id sensor value raw taken_on note } } }`, nil),
		"an identity key, json kept as aeson wrote it, CURRENT_DATE on the clock")

	assert.Equal(t, `{"data":{"readings":[{"id":1}, {"id":2}]}}`, f.as("alice", `{ readings(where: {taken_on: {_eq: "2024-05-01"}}) { id } }`, nil),
		"CURRENT_DATE is the day, not the time")
	assert.Equal(t, `{"data":{"a":[{"id":1}, {"id":2}],"b":[{"id":1}, {"id":2}],"c":[{"id":1}]}}`,
		f.as("alice", `{ a: readings(where: {sensor: {_eq: "KITCHEN"}}) { id } b: readings(where: {sensor: {_like: "kit%"}}) { id } c: readings(distinct_on: sensor) { id } }`, nil),
		"citext compares without case")

	assert.Equal(t, `{"data":{"update_readings":{"returning" : [{"value":21.6,"note":"alice"}]}}}`,
		f.as("alice", `mutation { update_readings(where: {id: {_eq: 1}}, _inc: {value: 0.1}) { returning { value note } } }`, nil),
		"real arithmetic, and the preset from the session")
	assert.Equal(t, `{"data":{"update_readings":{"affected_rows" : 2}}}`,
		f.as("bob", `mutation { update_readings(where: {}) { affected_rows } }`, nil),
		"a preset makes an update without operators valid")
	rows, err := f.eng.TableRows("readings")
	require.NoError(t, err)
	assert.Equal(t, []any{"bob", "bob"}, []any{rows[0]["note"], rows[1]["note"]})
	assert.Equal(t, map[string]any{"a": []any{json.Number("1.0"), json.Number("2")}, "b": json.Number("1")}, rows[0]["raw"])

	assert.Equal(t, errBody("the fake Hasura does not emulate comparisons of json values (Postgres has no operators for them)", "$", "validation-failed"),
		f.as("alice", `{ readings(where: {raw: {_eq: {a: 1}}}) { id } }`, nil))
}

func TestUsersHelpersOnAnyProject(t *testing.T) {
	f := newShopFixture(t)
	seedShop(t, f)
	require.NoError(t, f.eng.Put(Row{ID: "alice", Name: strp("Ally")}, Row{ID: "zoe", LastSeen: tsp(t, "2024-01-01")}))
	users, err := f.eng.TableRows("users")
	require.NoError(t, err)
	assert.Equal(t, map[string]any{"id": "alice", "name": "Ally", "email": "alice@example.com", "last_seen": nil}, users[0],
		"Put replaces the columns Row holds and keeps the others")
	assert.Equal(t, "2024-01-01T00:00:00", users[3]["last_seen"])
	var ids []string
	for _, r := range f.eng.Rows() {
		ids = append(ids, r.ID)
	}
	assert.Equal(t, []string{"alice", "bob", "carol", "zoe"}, ids, "in physical order, replaced rows in place")
	assert.True(t, f.eng.Delete("zoe"))
	assert.False(t, f.eng.Delete("zoe"))
}
