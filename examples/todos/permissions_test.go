package main

import (
	"context"
	"errors"
	"testing"

	"github.com/Khan/genqlient/graphql"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// world starts the fakes of the example, Alice and Bob with a todo each,
// and returns them with Alice's genqlient client.
func world(t *testing.T) (*fakes, graphql.Client) {
	t.Helper()
	var st clerkhasuratest.StandaloneTester
	t.Cleanup(st.Close)
	f, err := startFakes(&st)
	require.NoError(t, err)
	ctx := context.Background()
	s, err := signin.SignIn(ctx, f.env, f.signedIn)
	require.NoError(t, err)
	t.Cleanup(func() { assert.NoError(t, s.Close(ctx)) })
	hc, err := hasura.NewClient(f.env.Endpoint, s.Tokens, nil)
	require.NoError(t, err)
	return f, hc.GraphQL()
}

// bobsRow is Bob's todo as the fake holds it.
func bobsRow(t *testing.T, f *fakes) map[string]any {
	t.Helper()
	for _, row := range f.hasura.Table("todos") {
		if todoID(t, row) == f.bobs.id {
			return row
		}
	}
	return nil
}

func TestAnotherUsersTodoIsOutOfReach(t *testing.T) {
	f, gql := world(t)
	ctx := context.Background()
	before := bobsRow(t, f)
	require.NotNil(t, before)
	require.Equal(t, "user_bob", before["user_id"])

	got, err := GetTodo(ctx, gql, f.bobs.id)
	require.NoError(t, err)
	assert.Nil(t, got.TodosByPk, "Alice reads Bob's todo")
	mine, err := MyTodos(ctx, gql)
	require.NoError(t, err)
	require.Len(t, mine.Todos, 1)
	assert.Equal(t, "user_alice", mine.Todos[0].UserId)

	updated, err := SetDone(ctx, gql, f.bobs.id, true)
	require.NoError(t, err)
	assert.Nil(t, updated.UpdateTodosByPk, "Alice updates Bob's todo")
	deleted, err := DeleteTodo(ctx, gql, f.bobs.id)
	require.NoError(t, err)
	assert.Nil(t, deleted.DeleteTodosByPk, "Alice deletes Bob's todo")
	assert.Equal(t, before, bobsRow(t, f), "Bob's todo changed")

	var resp struct {
		Update struct {
			AffectedRows int `json:"affected_rows"`
		} `json:"update_todos"`
	}
	err = gql.MakeRequest(ctx, &graphql.Request{OpName: "AllDone", Query: `mutation AllDone { update_todos(where: {}, _set: {done: true}) { affected_rows } }`},
		&graphql.Response{Data: &resp})
	require.NoError(t, err)
	assert.Equal(t, 1, resp.Update.AffectedRows, "an update of every row reaches Alice's only")
	assert.Equal(t, before, bobsRow(t, f))
}

func TestInsertPresetSetsTheOwner(t *testing.T) {
	f, gql := world(t)
	added, err := AddTodo(context.Background(), gql, "mine")
	require.NoError(t, err)
	require.NotNil(t, added.InsertTodosOne)
	assert.Equal(t, "user_alice", added.InsertTodosOne.UserId)
	assert.False(t, added.InsertTodosOne.Done, "done's default")
	assert.Equal(t, f.hasura.Now().Unix(), added.InsertTodosOne.CreatedAt.Unix(), "created_at's default, now()")
	rows := f.hasura.Table("todos")
	require.Len(t, rows, 3)
	assert.Equal(t, "user_alice", rows[2]["user_id"])
	assert.Equal(t, "mine", rows[2]["title"])
}

// TestColumnsOutsideThePermissions: the role user's schema has no
// user_id in todos_insert_input or todos_set_input, so Hasura refuses an
// operation naming it before it runs, with a validation error.
func TestColumnsOutsideThePermissions(t *testing.T) {
	f, gql := world(t)
	ctx := context.Background()
	tests := []struct {
		name, query, message, path string // name is the operation's
	}{
		{"AddTodoFor", `mutation AddTodoFor { insert_todos_one(object: {title: "x", user_id: "user_bob"}) { id } }`,
			"field 'user_id' not found in type: 'todos_insert_input'", "$.selectionSet.insert_todos_one.args.object.user_id"},
		{"GiveTodo", `mutation GiveTodo { update_todos(where: {}, _set: {user_id: "user_bob"}) { affected_rows } }`,
			"field 'user_id' not found in type: 'todos_set_input'", "$.selectionSet.update_todos.args._set.user_id"},
		{"AddTodoWithID", `mutation AddTodoWithID { insert_todos_one(object: {id: 99, title: "x"}) { id } }`,
			"field 'id' not found in type: 'todos_insert_input'", "$.selectionSet.insert_todos_one.args.object.id"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var data map[string]any
			err := gql.MakeRequest(ctx, &graphql.Request{OpName: tt.name, Query: tt.query}, &graphql.Response{Data: &data})
			require.Error(t, err)
			assert.ErrorIs(t, err, hasura.ErrValidation)
			var herr *hasura.Error
			require.True(t, errors.As(err, &herr))
			require.Len(t, herr.Errors, 1)
			assert.Equal(t, tt.message, herr.Errors[0].Message)
			assert.Equal(t, tt.path, herr.Errors[0].Path)
			assert.Equal(t, "validation-failed", herr.Errors[0].Code)
		})
	}
	assert.Len(t, f.hasura.Table("todos"), 2, "nothing was inserted")
	assert.Equal(t, "user_bob", bobsRow(t, f)["user_id"])
}
