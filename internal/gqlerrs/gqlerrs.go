// Package gqlerrs reads Hasura's code and path out of the GraphQL errors
// genqlient returns, for the errors of the Hasura client and of the
// subscription client alike. It is apart from package hasuraerr, which
// reads raw bodies, so that the token layer, which uses that one, imports
// nothing of GraphQL.
package gqlerrs

import (
	"github.com/vektah/gqlparser/v2/gqlerror"

	"github.com/clerkhasura/clerkhasura-go/internal/hasuraerr"
)

// Read returns the errors of list, skipping nil ones, each with its
// extensions.code and its path: Hasura's extensions.path, such as
// "$.selectionSet.users", or else the GraphQL response path.
func Read(list gqlerror.List) []hasuraerr.Error {
	out := make([]hasuraerr.Error, 0, len(list))
	for _, e := range list {
		if e == nil {
			continue
		}
		g := hasuraerr.Error{Message: e.Message, Extensions: e.Extensions}
		g.Code, _ = e.Extensions["code"].(string)
		g.Path, _ = e.Extensions["path"].(string)
		if g.Path == "" && len(e.Path) > 0 {
			g.Path = e.Path.String()
		}
		out = append(out, g)
	}
	return out
}
