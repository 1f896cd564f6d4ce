package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/hasura"
)

// runFlow runs the example's operations as the signed-in user and writes
// what happens to out. other is another user's todo, known on the fakes
// only; the flow checks that the user cannot read, change or delete it.
// The todo the flow adds is deleted at the end.
func runFlow(ctx context.Context, out io.Writer, hc *hasura.Client, other *otherTodo) error {
	say := func(format string, args ...any) { fmt.Fprintf(out, format+"\n", args...) }
	gql := hc.GraphQL()
	me, err := hc.UserID(ctx)
	if err != nil {
		return err
	}
	say("signed in as %s\n", me)
	// todos.user_id references users.id: the user needs a row first.
	if _, err := hc.Me(ctx); errors.Is(err, hasura.ErrNotFound) {
		if _, err := hc.UpsertMe(ctx, me); err != nil {
			return err
		}
		say("UpsertMe: created your row in users")
	} else if err != nil {
		return err
	}

	added, err := AddTodo(ctx, gql, "Try clerkhasura on my own tables")
	if err != nil {
		return err
	}
	if added.InsertTodosOne == nil {
		return errors.New("AddTodo: Hasura inserted nothing")
	}
	todo := *added.InsertTodosOne
	say("AddTodo      → %s: Hasura set user_id from the token", describe(todo))

	mine, err := MyTodos(ctx, gql)
	if err != nil {
		return err
	}
	say("MyTodos      → %d todo(s), all yours:", len(mine.Todos))
	for _, t := range mine.Todos {
		if t.UserId != me {
			return fmt.Errorf("MyTodos: todo %d belongs to %s, not to %s", t.Id, t.UserId, me)
		}
		say("               %s", describe(t))
	}

	done, err := SetDone(ctx, gql, todo.Id, true)
	if err != nil {
		return err
	}
	if done.UpdateTodosByPk == nil || !done.UpdateTodosByPk.Done {
		return fmt.Errorf("SetDone: todo %d was not marked done", todo.Id)
	}
	say("SetDone      → %s", describe(*done.UpdateTodosByPk))

	if other != nil {
		if err := othersTodo(ctx, say, hc, other); err != nil {
			return err
		}
	}

	deleted, err := DeleteTodo(ctx, gql, todo.Id)
	if err != nil {
		return err
	}
	if deleted.DeleteTodosByPk == nil {
		return fmt.Errorf("DeleteTodo: todo %d was not deleted", todo.Id)
	}
	say("DeleteTodo   → todo %d deleted", deleted.DeleteTodosByPk.Id)
	return nil
}

// othersTodo tries to read, update and delete another user's todo, which
// the role user's row filters hide: each finds no row.
func othersTodo(ctx context.Context, say func(string, ...any), hc *hasura.Client, other *otherTodo) error {
	gql := hc.GraphQL()
	got, err := GetTodo(ctx, gql, other.id)
	if err != nil {
		return err
	}
	if got.TodosByPk != nil {
		return fmt.Errorf("GetTodo: another user's todo %d is visible", other.id)
	}
	updated, err := SetDone(ctx, gql, other.id, true)
	if err != nil {
		return err
	}
	if updated.UpdateTodosByPk != nil {
		return fmt.Errorf("SetDone: another user's todo %d was updated", other.id)
	}
	deleted, err := DeleteTodo(ctx, gql, other.id)
	if err != nil {
		return err
	}
	if deleted.DeleteTodosByPk != nil {
		return fmt.Errorf("DeleteTodo: another user's todo %d was deleted", other.id)
	}
	say("todo %d (%q, another user's): GetTodo, SetDone and DeleteTodo → null, as for no row:", other.id, other.title)
	say("               the role user's filter user_id = X-Hasura-User-Id hides it")
	return nil
}

// describe prints a todo on one line.
func describe(t TodoFields) string {
	box := "[ ]"
	if t.Done {
		box = "[x]"
	}
	return fmt.Sprintf("todo %d %s %q of %s, created %s", t.Id, box, t.Title, t.UserId, t.CreatedAt.UTC().Format(time.DateTime))
}
