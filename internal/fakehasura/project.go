package fakehasura

import (
	"sync"

	"github.com/clerkhasura/clerkhasura-go/examples/hasura"
	"github.com/clerkhasura/clerkhasura-go/internal/hasuraproject"
)

var defaultProject struct {
	once sync.Once
	p    *hasuraproject.Project
	err  error
}

// DefaultProject is examples/hasura, the project an [Engine] serves when
// its Config names none. It is loaded once per process, from the parse
// of its migrations that go generate embeds beside them, so that it
// needs no SQL parser.
func DefaultProject() (*hasuraproject.Project, error) {
	defaultProject.once.Do(func() {
		defaultProject.p, _, defaultProject.err = hasuraproject.LoadParsed(hasura.Project, hasura.Parsed)
	})
	return defaultProject.p, defaultProject.err
}
