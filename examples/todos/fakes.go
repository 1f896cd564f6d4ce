package main

import (
	"encoding/json"
	"fmt"

	"github.com/clerkhasura/clerkhasura-go/clerkhasura/clerkhasuratest"
	todoshasura "github.com/clerkhasura/clerkhasura-go/examples/todos/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/signin"
)

// fakes are a fake Clerk and a fake Hasura trusting it that serves
// ./hasura, with the rows of Alice and Bob and a todo of each.
type fakes struct {
	clerk  *clerkhasuratest.Clerk
	hasura *clerkhasuratest.Hasura
	// env points signin at the fakes, and signedIn is Alice.
	env      signin.Env
	signedIn signin.Identity
	bobs     otherTodo
}

// otherTodo is a todo of another user than the signed-in one.
type otherTodo struct {
	id    int
	title string
}

// startFakes starts the fakes, which t's Close stops. The fakes report a
// failure by calling t.Fatalf, which a StandaloneTester turns into a
// panic: it is returned as an error.
func startFakes(t clerkhasuratest.Tester) (f *fakes, err error) {
	defer func() {
		if r := recover(); r != nil {
			err = fmt.Errorf("starting the fakes: %v", r)
		}
	}()
	fc := clerkhasuratest.NewClerk(t, nil)
	fh := clerkhasuratest.NewHasura(t, &clerkhasuratest.HasuraOptions{
		JWKURL:     fc.JWKSURL(),
		HTTPClient: fc.HTTPClient(),
		Project:    todoshasura.Project,
	})
	fh.Insert("users", map[string]any{"id": "user_alice", "name": "Alice"}, map[string]any{"id": "user_bob", "name": "Bob"})
	bobs := otherTodo{title: "Bob's surprise party"}
	fh.Insert("todos",
		map[string]any{"user_id": "user_bob", "title": bobs.title},
		map[string]any{"user_id": "user_alice", "title": "Buy milk"},
	)
	id, err := fh.Table("todos")[0]["id"].(json.Number).Int64()
	if err != nil {
		return nil, fmt.Errorf("reading the ID of Bob's todo: %w", err)
	}
	bobs.id = int(id)
	return &fakes{
		clerk:    fc,
		hasura:   fh,
		env:      signin.Env{SecretKey: fc.SecretKey(), APIURL: fc.APIURL(), Endpoint: fh.Endpoint(), Template: clerkhasuratest.DefaultTemplateName},
		signedIn: signin.Identity{UserID: "user_alice"},
		bobs:     bobs,
	}, nil
}
